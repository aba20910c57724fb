"""HTML to PDF with WeasyPrint, fetching nothing but the app's own static files.

The report templates link their stylesheet and fonts relative to a base URL on disk (the static
directory), so WeasyPrint never needs the network. The fetcher (reports.fetcher) is the only way WeasyPrint
reads anything: it serves `file://` URLs that resolve inside a static directory and refuses every
other URL (http, https, ftp, data:, file:// elsewhere, symlinks or `..` escaping the directory).
A refusal stops the render: a report with a silently missing part is worse than no report.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders


class URLRefused(ValueError):
    """WeasyPrint asked for something outside the app's static files."""


@cache
def static_roots() -> tuple[Path, ...]:
    """Every directory the static files finders serve from, resolved (symlinks followed)."""
    roots: list[Path] = []
    for finder in finders.get_finders():
        for _prefix, root in getattr(finder, "locations", []):
            roots.append(Path(root))
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    return tuple(dict.fromkeys(root.resolve() for root in roots if Path(root).is_dir()))


def base_url() -> str:
    """The project's static directory as a file:// URL, so `css/print.css` resolves on disk."""
    return Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"


def static_path(url: str) -> Path:
    """The file a `file://` URL names, if it lies inside a static directory; URLRefused otherwise."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise URLRefused(f"only the app's static files may be fetched, not {parts.scheme or 'relative'} URLs: {url!r}")
    if parts.netloc not in ("", "localhost"):
        raise URLRefused(f"file URL on another host: {url!r}")
    path = Path(unquote(parts.path)).resolve()
    if not any(path.is_relative_to(root) for root in static_roots()):
        raise URLRefused(f"file outside the static directories: {url!r}")
    if not path.is_file():
        raise URLRefused(f"no such static file: {url!r}")
    return path


def render_pdf(html: str) -> bytes:
    """The PDF of an HTML document whose relative links point into the static directory."""
    # WeasyPrint is imported here, not at start-up: its import (cffi loading Pango, its default stylesheets) is
    # most of a process's start (~1.5 of ~3.5 s of CPU on a slow machine), paid by every manage.py command and
    # server worker whether it prints or not.
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    from reports.fetcher import StaticFilesFetcher

    try:
        return HTML(string=html, base_url=base_url(), url_fetcher=StaticFilesFetcher()).write_pdf()
    except FatalURLFetchingError as error:
        # WeasyPrint's fatal error is a BaseException; make it an ordinary error Django reports as a 500.
        raise URLRefused(str(error)) from error
