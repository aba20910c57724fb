"""The access log of personnel data: logins and failed logins (auth signals), and every export of a
list and download of a report with its filters (the query string). Province administrators read
their province's entries in the app, national administrators all; `manage.py purge_access_log`
deletes entries older than ACCESS_LOG_KEEP_DAYS."""

from __future__ import annotations

import datetime
from functools import wraps

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from personnel.access import scope_for
from personnel.models import AccessEvent, UserProfile


def _address(request) -> str | None:
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def record(request, kind: str, *, user=None, username: str = "") -> AccessEvent:
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    province_id = None
    if user is not None:
        province_id = scope_for(user).province_id
        username = user.get_username()
    elif username:
        # A failed login for an account that exists is its province's business.
        province_id = (UserProfile.objects.filter(user__username=username)
                       .values_list("province_id", flat=True).first())
    return AccessEvent.objects.create(
        kind=kind, user=user, username=username[:150], province_id=province_id, address=_address(request),
        path=request.path[:300] if request is not None else "",
        query=request.META.get("QUERY_STRING", "")[:2000] if request is not None else "",
    )


def logs_download(view):
    """Record a successful response of a report view as a download, with its query string."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            record(request, AccessEvent.Kind.REPORT)
        return response

    return wrapper


def visible_events(user):
    """The entries `user` may read: a province administrator their province's, a national one all."""
    scope = scope_for(user)
    if not scope.is_admin:
        return AccessEvent.objects.none()
    if scope.national:
        return AccessEvent.objects.all()
    return AccessEvent.objects.filter(province_id=scope.province_id)


def purge(*, now: datetime.datetime | None = None, keep_days: int | None = None) -> int:
    keep_days = settings.ACCESS_LOG_KEEP_DAYS if keep_days is None else keep_days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=keep_days)
    deleted, _ = AccessEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


@receiver(user_logged_in, dispatch_uid="access-log-login")
def _logged_in(sender, request, user, **kwargs):
    record(request, AccessEvent.Kind.LOGIN, user=user)


@receiver(user_login_failed, dispatch_uid="access-log-login-failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username") or "").replace("\x00", "")
    record(request, AccessEvent.Kind.LOGIN_FAILED, username=username)
