"""Service numbers are stored as their key (personnel.rules.service_number_key): NFKC, no invisible
characters, single spaces, upper case, so the unique index refuses the look-alikes the rule refuses.

Rows whose keys collide (look-alikes recorded before this rule) cannot both keep the key: the oldest keeps
it, each later one gets "~<id>" at its end, so both can be opened and corrected, and a search for "~"
in the officer list finds them. The key function is copied here as it is today, so later changes to it
do not change what this migration did.
"""

import re
import unicodedata

from django.db import migrations

_INVISIBLE = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]")
LIMIT = 20


def key(value):
    text = unicodedata.normalize("NFKC", value or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = " ".join(_INVISIBLE.sub("", text).split())
    return unicodedata.normalize("NFKC", text.upper())


def store_keys(apps, schema_editor):
    Officer = apps.get_model("personnel", "Officer")
    rows = list(Officer.objects.order_by("pk").values_list("pk", "service_number"))
    taken = {number for _pk, number in rows}
    wanted = {}
    seen = set()
    for pk, number in rows:
        new = key(number)[:LIMIT]
        if new in seen:
            suffix = f"~{pk}"
            new = new[:LIMIT - len(suffix)] + suffix
        seen.add(new)
        if new != number:
            wanted[pk] = new
    # Two passes: a row may take the number another row gives up in this migration.
    for pk in wanted:
        placeholder = f"~tmp{pk}"[:LIMIT]
        assert placeholder not in taken
        Officer.objects.filter(pk=pk).update(service_number=placeholder)
    for pk, new in wanted.items():
        Officer.objects.filter(pk=pk).update(service_number=new)


class Migration(migrations.Migration):
    dependencies = [
        ("personnel", "0007_search_column_holds_any_name"),
    ]

    operations = [
        migrations.RunPython(store_keys, migrations.RunPython.noop),
    ]
