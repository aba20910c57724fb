"""The Vietnamese catalogue (locale/vi/LC_MESSAGES/django.po) is complete, compiled, and covers the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.test import SimpleTestCase
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
CODE_DIRS = ["kontum_posts", "communes", "personnel", "templates"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def read_po(path: Path) -> list[dict]:
    """Entries as {'msgid', 'msgid_plural', 'msgstr', 'flags'}: just enough of the PO format for a check."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and entry.get("msgid"):
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": "", "msgid": "", "msgid_plural": "", "msgstr": ""}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            name, _, rest = line.partition(" ")
            key = "msgstr" if name.startswith("msgstr") else name
            if name.startswith("msgstr[") and name != "msgstr[0]":
                key = "ignored"
                entry.setdefault("ignored", "")
            entry[key] = entry.get(key, "") if key == "ignored" else ast.literal_eval(rest)
    return entries


def marked_strings() -> set[str]:
    """Literal strings marked for translation in Python (_("…")) and templates ({% translate "…" %})."""
    found = set()
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix == ".py" and "migrations" not in path.parts:
                found |= set(re.findall(r'\b_\(\s*"((?:[^"\\\n]|\\.)+)"\s*[,)]', path.read_text(encoding="utf-8")))
            elif path.suffix in (".html", ".txt"):
                found |= set(re.findall(r'{%\s*translate\s+"([^"]+)"', path.read_text(encoding="utf-8")))
    return {ast.literal_eval(f'"{s}"') for s in found}


class CatalogueTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.entries = read_po(PO)

    def test_every_entry_is_translated_and_none_is_fuzzy(self):
        self.assertGreater(len(self.entries), 400)
        for e in self.entries:
            with self.subTest(msgid=e["msgid"]):
                self.assertTrue(e["msgstr"].strip())
                self.assertNotIn("fuzzy", e["flags"])

    def test_placeholders_survive_translation(self):
        for e in self.entries:
            with self.subTest(msgid=e["msgid"]):
                self.assertEqual(sorted(PLACEHOLDER.findall(e["msgid"])), sorted(PLACEHOLDER.findall(e["msgstr"])))

    def test_the_compiled_catalogue_matches_the_po_file(self):
        with translation.override("vi"):
            for e in self.entries:
                if e["msgid_plural"]:
                    continue
                with self.subTest(msgid=e["msgid"]):
                    self.assertEqual(translation.gettext(e["msgid"]), e["msgstr"])

    def test_every_string_marked_in_the_code_is_in_the_catalogue(self):
        msgids = {e["msgid"] for e in self.entries}
        for text in sorted(marked_strings()):
            with self.subTest(msgid=text):
                self.assertIn(text, msgids)
