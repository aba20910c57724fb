"""Import previews: a checked file kept in the database until its owner confirms it, logs out, or it expires."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.utils import timezone

from personnel.models import ImportPreview


def preview_save(*, owner, filename: str, content: bytes) -> ImportPreview:
    """Keep the checked file for its owner; their earlier previews are dropped (one pending import per user)."""
    ImportPreview.objects.filter(owner=owner).delete()
    return ImportPreview.objects.create(
        token=secrets.token_urlsafe(32), owner=owner, filename=filename[:255], content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        expires=timezone.now() + datetime.timedelta(seconds=settings.IMPORT_PREVIEW_SECONDS),
    )


def preview_take(*, token: str, owner) -> ImportPreview | None:
    """The owner's unexpired preview with that token, removed from the database (a confirm uses it once); None
    if there is none or its bytes are not those that were checked."""
    if not token or not owner.is_authenticated:
        return None
    preview = ImportPreview.objects.filter(token=token, owner=owner, expires__gt=timezone.now()).first()
    if preview is None:
        return None
    preview.delete()
    preview.content = bytes(preview.content)  # PostgreSQL gives a memoryview
    if hashlib.sha256(preview.content).hexdigest() != preview.sha256:
        return None
    return preview


def previews_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete every expired preview; the number deleted."""
    deleted, _ = ImportPreview.objects.filter(expires__lte=now or timezone.now()).delete()
    return deleted


@receiver(user_logged_out, dispatch_uid="personnel_import_previews_on_logout")
def _drop_on_logout(sender, request, user, **kwargs):
    if user is not None:
        ImportPreview.objects.filter(owner=user).delete()
