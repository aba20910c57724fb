"""Writes of user administration: an account and its profile together, in one transaction."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from personnel.models import UserProfile


@transaction.atomic
def account_save(*, account=None, username: str, full_name: str, role: str, province, districts,
                 is_active: bool = True, password: str | None = None):
    """Create (`account` None) or change an account with its role and area. Never a superuser or staff:
    those are national administrators, made with `manage.py createsuperuser`."""
    if account is None:
        account = get_user_model()(username=username)
        account.set_password(password)
    account.username, account.first_name, account.is_active = username, full_name, is_active
    account.is_staff = account.is_superuser = False
    account.full_clean(exclude=["password"])
    account.save()
    profile, _ = UserProfile.objects.update_or_create(user=account, defaults={"role": role, "province": province})
    profile.districts.set(districts)
    return account


def account_set_password(*, account, password: str) -> None:
    account.set_password(password)
    account.save(update_fields=["password"])
