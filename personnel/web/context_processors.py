"""What every page's template may ask about the user."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from personnel.access import scope_for


def access(request):
    """The user's scope for templates (edit buttons, report links); lazy, and cached on the user."""
    return {"scope": SimpleLazyObject(lambda: scope_for(request.user))}
