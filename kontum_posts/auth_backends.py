"""The login-attempt guard (django-axes) as the first authentication backend."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ProfileModelBackend(ModelBackend):
    """ModelBackend whose signed-in user comes with its profile (role, province): one query a request fewer,
    on every page (personnel.access.scope_for reads the profile)."""

    def get_user(self, user_id):
        try:
            user = get_user_model()._default_manager.select_related("profile").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


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


def client_address(request) -> str:
    """The client's address for axes: REMOTE_ADDR, or, when REMOTE_ADDR is one of TRUSTED_PROXIES and
    TRUSTED_PROXY_COUNT proxies stand in front, the address the outermost of them put into
    X-Forwarded-For (counted from the right, so whatever a client writes into the header itself is
    never believed). A peer reaching gunicorn directly is not a proxy: its header is ignored."""
    import ipaddress

    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops and _is_trusted_proxy(remote, settings.TRUSTED_PROXIES):
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= hops:
            candidate = chain[-hops]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


def _is_trusted_proxy(address: str, proxies) -> bool:
    import ipaddress

    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for proxy in proxies:
        if ip in ipaddress.ip_network(proxy, strict=False):  # the settings checked each entry
            return True
    return False


def attempted_username(request, credentials=None):
    """The username axes records, cut to what its column holds.

    Django's AuthenticationForm does not enforce the username's max_length, so a 10,000-character
    "username" reaches authenticate(); axes would then fail to store it (varchar(255) on PostgreSQL)
    and the login page would answer 500. No real username is longer than 150 characters.
    """
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        value = getattr(request, "data", None) or request.POST
        value = value.get(field) if hasattr(value, "get") else None
    if value is None:
        return None
    return str(value).replace("\x00", "")[:150]
