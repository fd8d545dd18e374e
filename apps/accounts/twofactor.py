"""Optional two-step sign-in: a TOTP app (django-otp's TOTPDevice) and one-use recovery codes
(its StaticDevice). Coordinators and funder reviewers are encouraged to turn it on."""
import base64

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Role

# Roles holding decisions or money: they are asked, not forced, to turn two-step sign-in on.
ENCOURAGED_ROLES = [Role.NATIONAL_COORDINATOR, Role.CITY_COORDINATOR, Role.FUNDER_REVIEWER]
RECOVERY_CODES = 10


def has_two_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def encouraged(user):
    """Whether to suggest two-step sign-in to this user (who has not turned it on)."""
    return (user.roles.filter(role__in=ENCOURAGED_ROLES).exists()
            and not has_two_factor(user))


def pending_device(user):
    """The authenticator being set up: kept until confirmed, so reloading the page keeps the
    key the user may already have scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def manual_key(device):
    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def qr_svg(device):
    import segno
    from django.utils.translation import gettext as _

    # A white background, so phones read it on a dark screen too.
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=2, light="#fff", title=_("QR code for your authenticator app"))


@transaction.atomic
def confirm(device, code):
    """Turn two-step sign-in on if the code matches; returns fresh recovery codes, or None."""
    if not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user):
    """Replace the user's recovery codes; only their owner ever sees them, once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def turn_off(user):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
