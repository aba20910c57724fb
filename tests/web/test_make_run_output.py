"""`make run` prints the URL and the logins, not Django's shell chatter."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_shell_command_in_the_makefile_is_quiet():
    lines = [line for line in (ROOT / "Makefile").read_text().splitlines() if "manage.py shell" in line]
    assert lines, "the db target checks for Kon Tum with manage.py shell"
    for line in lines:
        assert re.search(r"manage\.py shell -v0 ", line), line


def test_a_quiet_shell_prints_no_objects_imported_automatically_line(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", "print('ok')"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )
    assert result.stdout.strip() == "ok"
    assert "imported automatically" not in result.stdout + result.stderr
