"""The production configuration as a deployment runs it: check --deploy, collectstatic, the deploy/ files."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.test import SimpleTestCase

from tests.prod.processes import ROOT, manage, production_env

DEPLOY = ROOT / "deploy"


@pytest.mark.slow
class ProductionSettingsTests(SimpleTestCase):
    def documented_env(self, **extra):
        # What deploy/env.template documents, with real-looking values.
        return production_env(**{
            "SECURE_SSL_REDIRECT": "1", "SECURE_COOKIES": "1", "TRUSTED_PROXY_COUNT": "1",
            "DATABASE_URL": "postgres://kontum_posts:pw@127.0.0.1:5432/kp_prod", **extra,
        })

    def test_check_deploy_prints_no_warning_with_the_documented_environment(self):
        result = manage("check", "--deploy", "--fail-level", "WARNING", env=self.documented_env())
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("System check identified no issues", result.stdout)
        self.assertNotIn("WARNING", result.stdout + result.stderr)

    def test_check_deploy_complains_when_https_is_switched_off(self):
        result = manage("check", "--deploy", "--fail-level", "WARNING",
                        env=self.documented_env(SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("security.W008", result.stdout + result.stderr)

    def test_production_settings_have_the_hardening(self):
        code = (
            "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
            "'debug': s.DEBUG, 'hsts': s.SECURE_HSTS_SECONDS, 'ssl': s.SECURE_SSL_REDIRECT, "
            "'cookie': s.SESSION_COOKIE_SECURE, 'csrf': s.CSRF_COOKIE_SECURE, 'name': s.SESSION_COOKIE_NAME, "
            "'storage': s.STORAGES['staticfiles']['BACKEND'], 'session': s.SESSION_ENGINE, "
            "'proxy': list(s.SECURE_PROXY_SSL_HEADER)}))"
        )
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=self.documented_env(),
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        values = json.loads(result.stdout)
        self.assertEqual(values, {
            "debug": False, "hsts": 31536000, "ssl": True, "cookie": True, "csrf": True, "name": "__Host-sessionid",
            "storage": "whitenoise.storage.CompressedManifestStaticFilesStorage",
            "session": "django.contrib.sessions.backends.db", "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        })

    def test_collectstatic_writes_hashed_compressed_files_and_a_manifest(self):
        with tempfile.TemporaryDirectory() as static_root:
            result = manage("collectstatic", "--noinput", "-v0", env=self.documented_env(STATIC_ROOT=static_root))
            self.assertEqual(result.returncode, 0, result.stderr)
            root = Path(static_root)
            manifest = json.loads((root / "staticfiles.json").read_text())
            hashed = manifest["paths"]["css/app.css"]
            self.assertRegex(hashed, r"^css/app\.[0-9a-f]{12}\.css$")
            self.assertTrue((root / hashed).exists())
            self.assertTrue((root / (hashed + ".gz")).exists())
            self.assertTrue((root / "admin" / "css" / "base.css").exists())


class DeployFilesTests(SimpleTestCase):
    def test_the_deploy_directory_has_what_the_readme_promises(self):
        for name in ["kontum-posts.service", "nginx-kontum-posts.conf", "nginx-proxy-snippet.conf", "env.template",
                     "gunicorn.conf.py", "backup.sh", "restore.sh", "README.md"]:
            self.assertTrue((DEPLOY / name).exists(), name)

    def test_the_shell_scripts_parse_and_are_executable(self):
        for name in ["backup.sh", "restore.sh"]:
            path = DEPLOY / name
            self.assertTrue(path.stat().st_mode & 0o111, f"{name} is not executable")
            result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, result.stderr)

    def test_the_env_template_holds_no_secret_and_names_every_required_variable(self):
        text = (DEPLOY / "env.template").read_text()
        values = dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
        self.assertEqual(values["SECRET_KEY"], "")
        self.assertEqual(values["DEBUG"], "0")
        for name in ["ALLOWED_HOSTS", "DATABASE_URL", "STATIC_ROOT", "TRUSTED_PROXY_COUNT"]:
            self.assertIn(name, values)

    def test_the_systemd_unit_runs_gunicorn_with_the_env_file_and_checks_first(self):
        unit = (DEPLOY / "kontum-posts.service").read_text()
        self.assertIn("EnvironmentFile=/etc/kontum-posts/env", unit)
        self.assertIn("gunicorn --config deploy/gunicorn.conf.py", unit)
        self.assertIn("check --deploy", unit)
        self.assertIn("NoNewPrivileges=true", unit)

    def test_nginx_forwards_the_scheme_and_the_client_address(self):
        snippet = (DEPLOY / "nginx-proxy-snippet.conf").read_text()
        self.assertIn("X-Forwarded-Proto $scheme", snippet)
        self.assertIn("X-Forwarded-For $remote_addr", snippet)
