"""Every msgid this branch adds has its Vietnamese in locale/translations_prod.py."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]
FILES = ["templates/500.html", "templates/503.html", "templates/403.html", "templates/404.html",
         "templates/registration/locked_out.html", "kontum_posts/lib/clean.py"]


def msgids(text: str) -> set[str]:
    found = set(re.findall(r'{%\s*translate\s+"([^"]+)"', text))
    found |= set(re.findall(r'\b_\(\s*"((?:[^"\\]|\\.)+)"', text))
    for block in re.findall(r"{%\s*blocktranslate[^%]*%}(.*?){%\s*endblocktranslate\s*%}", text, flags=re.S):
        for part in block.split("{% plural %}"):
            found.add(re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", part.strip()))
    return found


class TranslationTests(SimpleTestCase):
    def test_every_new_msgid_has_a_vietnamese_translation(self):
        vi = runpy.run_path(str(ROOT / "locale" / "translations_prod.py"))["VI"]
        for name in FILES:
            for msgid in msgids((ROOT / name).read_text()):
                with self.subTest(file=name, msgid=msgid):
                    self.assertIn(msgid, vi)
                    self.assertTrue(vi[msgid].strip())
                    self.assertEqual(set(re.findall(r"%\(\w+\)s", msgid)), set(re.findall(r"%\(\w+\)s", vi[msgid])))
