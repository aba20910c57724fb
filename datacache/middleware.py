"""The data version numbers read once per request (datacache.one_reading_per_request)."""

from __future__ import annotations

import datacache


class DataVersionsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with datacache.one_reading_per_request():
            return self.get_response(request)
