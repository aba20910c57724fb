import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("communes", "0006_fill_commune_province")]

    operations = [
        migrations.AlterField(
            model_name="commune",
            name="province",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="communes", to="communes.province",
                verbose_name="province",
            ),
        ),
    ]
