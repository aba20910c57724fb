"""Two-factor sign-in: who must give a one-time code after the password, and the devices behind it.

A device is django-otp's: a TOTP authenticator app (confirmed by a first good code) and a static
device holding one-time recovery codes. Editors and administrators (anyone who can write, and staff)
must use one when `settings.OTP_REQUIRED_FOR_EDITORS` is on (the default with DEBUG off); anyone who
enrolled, a viewer included, is asked for a code at every login whatever the setting.
"""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from personnel.access import scope_for

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def must_use(user) -> bool:
    """The role and the setting say this user cannot sign in without a second factor."""
    if not getattr(settings, "OTP_REQUIRED_FOR_EDITORS", False):
        return False
    return bool(user.is_staff or user.is_superuser or scope_for(user).can_edit)


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_step_needed(user) -> bool:
    """After a right password: ask for a code (enrolled), or enrol first (required but not enrolled)."""
    return is_enrolled(user) or must_use(user)


def enrolment_device(user) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed TOTP device per user, its key kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def secret_for_display(device: TOTPDevice) -> str:
    """The key as authenticator apps take it typed in: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def qr_data_uri(text: str) -> str:
    """An SVG QR code of `text` as a data: URI (img-src allows data:; nothing is fetched, nothing inline runs)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


def normalise_code(code: str) -> str:
    """What was typed, as the devices compare it: no spaces or dashes, lower case (recovery codes are base32)."""
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()[:16]


def confirm_enrolment(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with its first code; the user's earlier authenticators go, and a fresh set of
    recovery codes is returned (to be shown once). None if the code is wrong."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(normalise_code(code)):
            return None
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return new_recovery_codes(device.user)


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes by RECOVERY_CODE_COUNT new ones, each good once."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _recovery_code() -> str:
    # 10 base32 characters: 50 random bits, typed as two groups of five ("abcde-fghij" is accepted too).
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii")[:10].lower()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(user, code: str):
    """The confirmed device (authenticator or recovery codes) that accepts `code`, or None. A recovery code is
    used up; an authenticator's code is not accepted twice (django-otp keeps the last time step)."""
    code = normalise_code(code)
    if not code:
        return None
    # A code of digits is the app's, anything else a recovery code: only that device is asked, so a recovery
    # code does not count as a failure (and a back-off) of the authenticator, nor the reverse.
    model = TOTPDevice if code.isdigit() and len(code) <= 8 else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None
