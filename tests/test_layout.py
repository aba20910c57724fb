"""The layout docs/development.md describes: imports point one way and no module grows past ~500 lines."""

from __future__ import annotations

import ast
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parent.parent
APPS = ("kontum_posts", "datacache", "communes", "personnel", "followup", "pipeline", "roadmap", "facilities",
        "dashboards", "reports", "sampledata")
# What each package may import from the project (besides itself and kontum_posts.lib).
MAY_IMPORT = {
    "kontum_posts": set(),
    "datacache": set(),
    "communes": {"datacache"},
    "personnel": {"datacache", "communes"},
    "followup": {"datacache", "communes", "personnel"},
    "pipeline": {"datacache", "communes", "personnel"},
    "roadmap": {"datacache", "communes", "personnel"},
    "facilities": {"datacache", "communes", "personnel"},
    "dashboards": {"datacache", "communes", "personnel", "followup", "pipeline", "roadmap", "facilities"},
    "reports": {"datacache", "communes", "personnel", "dashboards", "followup", "roadmap", "facilities"},
    "sampledata": {"datacache", "communes", "personnel", "followup", "pipeline", "roadmap", "facilities"},
}
# The project package's own wiring, which names every app on purpose.
WIRING = {"kontum_posts/urls.py", "kontum_posts/settings.py"}
MAX_LINES = 500


def _modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


class LayoutTests(SimpleTestCase):
    def test_imports_point_one_way(self):
        wrong = []
        for package in APPS:
            for path in _modules(package):
                if str(path.relative_to(ROOT)) in WIRING:
                    continue
                for name in _imports(path):
                    top = name.split(".")[0]
                    if top not in APPS or top == package or name.startswith("kontum_posts.lib"):
                        continue
                    if top not in MAY_IMPORT[package]:
                        wrong.append(f"{path.relative_to(ROOT)} imports {name}")
        self.assertEqual(wrong, [], "imports that point the wrong way (see docs/development.md)")

    def test_only_the_screens_import_the_screens(self):
        """Rules live in their own modules: nothing outside the web layers imports a table or a form to get one."""
        wrong = [
            f"{path.relative_to(ROOT)} imports {name}"
            for package in ("communes", "personnel", "followup", "datacache", "sampledata")
            for path in _modules(package)
            if "web" not in path.relative_to(ROOT).parts
            for name in _imports(path)
            if name.startswith("personnel.web")
        ]
        self.assertEqual(wrong, [])

    def test_no_module_passes_five_hundred_lines(self):
        long = [
            f"{path.relative_to(ROOT)}: {n} lines"
            for package in (*APPS, "bench", "load")
            for path in _modules(package)
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        ]
        self.assertEqual(long, [])
