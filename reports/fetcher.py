"""The URL fetcher WeasyPrint renders with (reports.pdf): static files from disk, anything else refused.

Apart from reports.pdf so that importing the rules (static_path) does not import WeasyPrint."""

from __future__ import annotations

import logging
import mimetypes

from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.pdf import URLRefused, static_path

logger = logging.getLogger("reports.pdf")


class StaticFilesFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves static files from disk and refuses anything else."""

    def __init__(self):
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=True)

    def fetch(self, url, headers=None):
        try:
            path = static_path(url)
        except URLRefused:
            logger.warning("Refused a fetch while rendering a PDF: %s", url)
            raise
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})
