from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fostercare.forms import OneTimeCodeForm
from fostercare.mfa import (
    mfa_enrolment_confirm,
    mfa_verify,
    totp_device_pending,
    totp_qr_svg,
    totp_secret,
    user_has_confirmed_device,
)


def home(request):
    return render(request, "fostercare/home.html")


def login_locked_out(request, credentials, *args, **kwargs):
    """The login page again, saying why (django-axes calls this for a locked username)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request, initial={"username": (credentials or {}).get("username")})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "locked_out": _(
                "Too many failed attempts to log in with this username. Try again in "
                "%(minutes)d minutes, or ask an administrator to unlock it."
            )
            % {"minutes": minutes},
        },
        status=429,
    )


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def mfa_setup(request):
    """Enrol an authenticator app: QR code and secret, confirmed by one code."""
    if user_has_confirmed_device(request.user):
        return redirect("mfa-verify")
    device = totp_device_pending(user=request.user)
    form = OneTimeCodeForm(request.POST or None)
    if form.is_valid():
        codes = mfa_enrolment_confirm(
            request=request, device=device, token=form.cleaned_data["code"]
        )
        if codes is not None:
            # shown this once only: django-otp keeps them, and nothing shows them again
            return render(
                request,
                "fostercare/mfa_recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error(
            "code", _("The code is not correct. Check your device's clock and try again.")
        )
    return render(
        request,
        "fostercare/mfa_setup.html",
        {
            "form": form,
            "qr_svg": totp_qr_svg(device),
            "secret": totp_secret(device),
            "next": _next_url(request),
        },
    )


def mfa_verify_view(request):
    """The second step of every login: a code from the app or one recovery code."""
    if not user_has_confirmed_device(request.user):
        return redirect("mfa-setup")
    form = OneTimeCodeForm(request.POST or None)
    if form.is_valid():
        if mfa_verify(request=request, token=form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error("code", _("The code is not correct, or it was already used."))
    return render(request, "fostercare/mfa_verify.html", {"form": form, "next": _next_url(request)})


@require_GET
def session_keepalive(request):
    """The warning notice's "Stay logged in": any request counts as activity."""
    return HttpResponse(status=204)
