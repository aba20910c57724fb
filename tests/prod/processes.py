"""Start the app the way production does (gunicorn, DEBUG=0) on loopback ports, for tests."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import WORKER_NUMBER

ROOT = Path(__file__).resolve().parents[2]

PORTS = range(8110 + 10 * WORKER_NUMBER, 8120 + 10 * WORKER_NUMBER)  # ten ports per xdist worker
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def production_env(**extra: str) -> dict[str, str]:
    """The documented production environment, with HTTPS redirects off for plain-HTTP loopback tests."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "kontum_posts.settings",
        "DEBUG": "0",
        "SECRET_KEY": "kp-test-production-key-" + "x7Qm2v9Lr4Tn8Wc1Zb6Hd3Jf5Gs0Ky" * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,posts.example.gov.vn",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "ERROR",
    }
    env.update(extra)
    return env


_static_root: tempfile.TemporaryDirectory | None = None


def static_root() -> str:
    """collectstatic's output for the servers the tests start, written once per test process (it reads no database
    and takes ~10 s: every file hashed and compressed); removed when the process ends. tests/prod/test_deploy.py
    checks collectstatic itself."""
    global _static_root
    if _static_root is None:
        directory = tempfile.TemporaryDirectory(prefix="kp-static-")
        result = manage("collectstatic", "--noinput", "-v0", env=production_env(STATIC_ROOT=directory.name))
        assert result.returncode == 0, result.stderr
        _static_root = directory
    return _static_root.name


def free_port(exclude: set[int] = frozenset()) -> int:
    for port in PORTS:
        if port in exclude:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def manage(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


@contextlib.contextmanager
def gunicorn(port: int, env: dict[str, str]):
    """One gunicorn (one worker) with deploy/gunicorn.conf.py on 127.0.0.1:port; yields its base URL."""
    process_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1", "GUNICORN_LOG_LEVEL": "error"}
    process = subprocess.Popen(
        [GUNICORN, "--config", "deploy/gunicorn.conf.py", "--access-logfile", "/dev/null"],
        cwd=ROOT, env=process_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {process.stdout.read()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start within 30 s") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


class Browser:
    """A tiny cookie-keeping HTTP client (urllib) that does not follow redirects."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, cookies: http.cookiejar.CookieJar | None = None):
        self.cookies = cookies if cookies is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect)

    def request(self, url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None):
        """(status, headers, body text)."""
        from urllib.parse import urlencode

        body = urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=20) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)
