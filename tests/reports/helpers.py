"""Reading the reports back: PDF text and fonts (pypdf), and a record of what WeasyPrint fetched."""

from __future__ import annotations

import contextlib
import io
import unicodedata
from unittest import mock

from pypdf import PdfReader

from reports.fetcher import StaticFilesFetcher
from reports.pdf import static_path


def pdf_pages(body: bytes) -> list[str]:
    """The text of each page, NFC-normalised (PDF text extraction may give decomposed marks)."""
    return [unicodedata.normalize("NFC", page.extract_text() or "") for page in PdfReader(io.BytesIO(body)).pages]


def pdf_font_names(body: bytes) -> set[str]:
    """Every font a page uses, without the subset prefix ("ABCDEF+Tinos-Bold" -> "Tinos-Bold")."""
    names = set()

    def collect(resources):
        if not resources:
            return
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1])
            for descendant in font.get("/DescendantFonts") or []:
                names.add(str(descendant.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
        for xobject in (resources.get("/XObject") or {}).values():
            collect(xobject.get_object().get("/Resources"))

    for page in PdfReader(io.BytesIO(body)).pages:
        collect(page.get("/Resources"))
    return names


@contextlib.contextmanager
def recorded_fetches():
    """Every URL WeasyPrint asks the fetcher for, while the real fetcher still decides."""
    urls: list[str] = []
    real_fetch = StaticFilesFetcher.fetch

    def fetch(self, url, headers=None):
        urls.append(url)
        return real_fetch(self, url, headers)

    with mock.patch.object(StaticFilesFetcher, "fetch", fetch):
        yield urls


def only_static(urls: list[str]) -> bool:
    for url in urls:
        try:
            static_path(url)
        except ValueError:
            return False
    return True
