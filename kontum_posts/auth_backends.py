"""The login-attempt guard (django-axes) as the first authentication backend."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LoginAttemptBackend(AxesStandaloneBackend):
    """Refuses logins locked out by django-axes; lets ModelBackend do the authenticating.

    Axes needs the request (for the address). A call without one (`manage.py shell`, the test
    client's `login()`) cannot come from the web, so it is not counted instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (429): how long to wait, and that others are not affected."""
    from django.conf import settings
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request, "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}, status=429,
    )
