"""A version number per province and topic (datacache/topics.py): the numbers so far become topic 0's (units),
and results are now filed under tags of another form, so nothing cached before is reachable."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('datacache', '0002_area_versions'),
    ]

    operations = [
        migrations.AddField(
            model_name='areaversion',
            name='topic',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='topic'),
        ),
        migrations.AlterField(
            model_name='areaversion',
            name='area',
            field=models.BigIntegerField(verbose_name='area'),
        ),
        migrations.AddConstraint(
            model_name='areaversion',
            constraint=models.UniqueConstraint(fields=('area', 'topic'), name='datacache_one_number_per_area_and_topic'),
        ),
    ]
