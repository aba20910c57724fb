from __future__ import annotations

from django.utils.translation import gettext as _

from kontum_posts.lib.asof import parse_as_of


def as_of_error(value: str) -> str:
    return _("“%(value)s” is not a date. Use the date picker or dd/mm/yyyy; showing today instead.") % {"value": value[:40]}


def as_of(request):
    """The as-of day shown in every page's header (views that read it pass the same day)."""
    raw = request.GET.get("as_of", "")
    day, valid = parse_as_of(raw)
    return {"as_of": day, "as_of_given": bool(raw) and valid, "date_error": "" if valid else as_of_error(raw)}


def access(request):
    """The user's scope for templates (edit buttons, report links); lazy, and cached on the user."""
    from django.utils.functional import SimpleLazyObject

    from personnel.access import scope_for

    return {"scope": SimpleLazyObject(lambda: scope_for(request.user))}
