"""Exclusion constraints that only PostgreSQL can hold: no two date ranges of the same kind overlap.

SQLite has no exclusion constraints; there the partial unique indexes of 0001 refuse a second
open row and the services refuse overlaps. Ranges use '[]' because end dates are inclusive
(the last day in post); an open row's NULL end is an unbounded range.
"""

from django.db import migrations

EXCLUSIONS = [
    (
        "personnel_posting",
        "posting_officer_periods_never_overlap",
        "officer_id WITH =, daterange(start_date, end_date, '[]') WITH &&",
        None,
    ),
    (
        "personnel_posting",
        "posting_one_chief_per_commune_at_a_time",
        "commune_id WITH =, daterange(start_date, end_date, '[]') WITH &&",
        "position = 'chief'",
    ),
    (
        "personnel_partyrole",
        "party_role_one_secretary_per_cell_at_a_time",
        "cell_id WITH =, daterange(start_date, end_date, '[]') WITH &&",
        "role = 'secretary'",
    ),
    (
        "communes_partycell",
        "party_cell_one_per_commune_at_a_time",
        "commune_id WITH =, daterange(established_on, dissolved_on, '[)') WITH &&",
        None,
    ),
]


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for table, name, spec, where in EXCLUSIONS:
        condition = f" WHERE ({where})" if where else ""
        schema_editor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist ({spec}){condition}")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, _spec, _where in EXCLUSIONS:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("personnel", "0001_initial"),
        ("communes", "0001_initial"),
    ]

    operations = [migrations.RunPython(add, remove)]
