from __future__ import annotations

from kontum_posts.lib.asof import request_as_of


def as_of(request):
    """The as-of day shown in every page's header (views that read it read the same day)."""
    day = request_as_of(request)
    return {"as_of": day.day, "as_of_given": day.given, "date_error": day.error}

