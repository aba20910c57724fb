from django.db import migrations

def fill_province(apps, schema_editor):
    """Every commune had a district until now: its province is the district's."""
    Commune = apps.get_model("communes", "Commune")
    District = apps.get_model("communes", "District")
    for district_id, province_id in District.objects.values_list("pk", "province_id"):
        Commune.objects.filter(district_id=district_id).update(province_id=province_id)


# Its own migration: PostgreSQL refuses to alter a table with row updates pending in the same transaction.
class Migration(migrations.Migration):
    dependencies = [("communes", "0005_units_with_lives_and_lineage")]

    operations = [migrations.RunPython(fill_province, migrations.RunPython.noop)]
