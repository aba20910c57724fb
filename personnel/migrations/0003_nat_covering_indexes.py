"""Covering indexes for the dashboards' per-commune probes (PostgreSQL only; measured in README, Performance).

The coverage selectors ask, for each commune, "postings (or Party roles) open on day D": an index on
(commune, start_date) finds the candidates and INCLUDE carries end_date, position, officer and id,
so PostgreSQL answers from the index alone (index-only scans, no heap visits) however many postings
the other provinces hold. Plain SQL because INCLUDE is PostgreSQL's, like the exclusion constraints of 0002.
"""

from django.db import migrations

INDEXES = [
    (
        "posting_commune_start_cover",
        "personnel_posting (commune_id, start_date) INCLUDE (end_date, position, officer_id, id)",
    ),
    (
        "party_role_commune_cover",
        "personnel_partyrole (commune_id, role, start_date) INCLUDE (end_date, officer_id, cell_id, id)",
    ),
]


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, spec in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {spec}")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _spec in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("personnel", "0002_postgres_exclusion_constraints")]

    operations = [migrations.RunPython(add, remove)]
