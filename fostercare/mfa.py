"""The second factor (django-otp): a TOTP app and single-use recovery codes.

Enrolment: the first login after MFA is required creates an unconfirmed TOTP device;
the person scans its QR code (or types the secret) into an authenticator app and
confirms it with one code; then ten recovery codes are made and shown once. Later logins
ask for a code from the app or one recovery code (each works once).
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

# The pages a logged-in user without a verified second factor may open.
MFA_URL_NAMES = frozenset({"mfa-setup", "mfa-verify", "logout", "login", "set_language"})

DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"


def mfa_needed(user) -> bool:
    """Whether ``user`` is logged in with a password but has not yet given a second factor."""
    return (
        settings.MFA_REQUIRED
        and user.is_authenticated
        and not (hasattr(user, "is_verified") and user.is_verified())
    )


def user_has_confirmed_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def totp_device_pending(*, user) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (made on the first visit, then reused,
    so reloading the page does not change the secret the person already scanned)."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=False, name=DEVICE_NAME)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps want it typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (no image request, no external service)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", omitsize=True
    )


def mfa_enrolment_confirm(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the pending device with a code from the app; return the new recovery codes
    (to be shown once), or None when the code is wrong."""
    user = request.user
    if not device.verify_token(token.strip().replace(" ", "")):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_renew(user=user)
    mfa_login(request, device)
    return codes


def recovery_codes_renew(*, user) -> list[str]:
    """Replace the user's recovery codes with MFA_RECOVERY_CODES new ones."""
    static, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    static.confirmed = True
    static.save()
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.MFA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def mfa_verify(*, request, token: str):
    """Check a code from the app or a recovery code; on success mark the session verified.

    Each device throttles its own failures (django-otp), so guessing slows down."""
    token = token.strip().replace(" ", "").lower()
    user = request.user
    for device in [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]:
        if device.verify_token(token):
            mfa_login(request, device)
            return device
    return None


def mfa_login(request, device) -> None:
    # A new session key when the session gains rights, as at the password login.
    request.session.cycle_key()
    otp_login(request, device)
