"""One version row per province instead of one for the whole country (issue 16): the old number carries over
as the row of what belongs to no single province, so every result cached under it is out of reach."""

from django.db import migrations, models


def carry(apps, schema_editor):
    old = apps.get_model("datacache", "DataVersion").objects.filter(pk=1).values_list("value", flat=True).first()
    apps.get_model("datacache", "AreaVersion").objects.create(area=0, value=(old or 0) + 1)


class Migration(migrations.Migration):

    dependencies = [
        ("datacache", "0001_data_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="AreaVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("area", models.BigIntegerField(unique=True, verbose_name="area")),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "data version"},
        ),
        migrations.RunPython(carry, migrations.RunPython.noop),
        migrations.DeleteModel(name="DataVersion"),
    ]
