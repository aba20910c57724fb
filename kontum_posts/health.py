"""/healthz for the load balancer, and the error pages that must work with the database away."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kontum_posts import dbrouting

logger = logging.getLogger(__name__)

# Errors that mean "the database did not answer" rather than a bug: they get a 503, retry later.
DATABASE_AWAY = (OperationalError, InterfaceError)


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 {"database": "ok"} when the database answers a query, else 503; no detail beyond that. With a read
    replica, also {"replica": {"state": "ok", "lag_bytes": …, "lag_seconds": …}} or {"state": "unavailable"}."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("healthz: the database did not answer", exc_info=True)
        return JsonResponse({"database": "unavailable"}, status=503)
    if not dbrouting.replica_configured():
        return JsonResponse({"database": "ok"})
    # A replica that is away leaves the site working on the primary: 200, with its state and lag.
    return JsonResponse({"database": "ok", "replica": dbrouting.replica_health()})


def _stylesheet() -> str:
    """The stylesheet's URL, even when the static manifest is missing (an error page must not fail)."""
    try:
        return staticfiles_storage.url("css/app.css")
    except Exception:  # noqa: BLE001 — any failure here would turn an error page into a worse one
        return f"/{settings.STATIC_URL.lstrip('/')}css/app.css"


def _render_plain(template_name: str, status: int) -> HttpResponse:
    # No request, no context processors: nothing here may touch the database or request.user.
    try:
        body = loader.get_template(template_name).render({"stylesheet": _stylesheet()})
    except Exception:  # noqa: BLE001
        body = "<!DOCTYPE html><title>Error</title><h1>Error</h1>"
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def server_error(request, *args, **kwargs):
    """handler500: a database that went away gets 503 "try again shortly", anything else 500."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_AWAY):
        response = _render_plain("503.html", 503)
        response["Retry-After"] = "30"
        return response
    return _render_plain("500.html", 500)
