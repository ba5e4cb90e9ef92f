from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.i18n import LANGUAGE_QUERY_PARAMETER, set_language

from fostercare.forms import (
    AccessibilityFeedbackForm,
    AccessReportPeriodForm,
    AccessReportSearchForm,
    OneTimeCodeForm,
    run_service,
)
from fostercare.mfa import (
    mfa_enrolment_confirm,
    mfa_needed,
    mfa_verify,
    totp_device_pending,
    totp_qr_svg,
    totp_secret,
    user_has_confirmed_device,
)
from fostercare.models import AccessLogEntry
from fostercare.paging import paginate
from fostercare.pdf import pdf_response
from fostercare.people import people_search, person_kind
from fostercare.ratelimit import over_rate_limit
from fostercare.selectors import access_log_for_person, may_report_access
from fostercare.services import (
    access_log_record,
    accessibility_feedback_create,
    user_language_set,
)
from fostercare.worklist import front_page

REPORT_PURPOSE = "access-log report (Client Data Act 703/2023)"


def home(request):
    """The front page is the user's work queue (fostercare.worklist)."""
    return front_page(request)


def _language_cookie_set(response, language: str) -> None:
    # as django.views.i18n.set_language sets it
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class LoginView(auth_views.LoginView):
    """Django's login page; logging in switches to the user's own language (Django keeps
    the choice in the language cookie, which LocaleMiddleware reads)."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().language
        translation.activate(language)
        _language_cookie_set(response, language)
        return response


@login_not_required  # the language can be switched on the login page too
def language_switch(request):
    """Django's ``set_language`` (the header's language switch); a logged-in user's
    choice is also recorded on them, for their next login and their morning digest (not
    before their second factor: a password alone changes nothing stored)."""
    response = set_language(request)
    language = request.POST.get(LANGUAGE_QUERY_PARAMETER)
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and not mfa_needed(request.user)
        and language in dict(settings.LANGUAGES)
    ):
        user_language_set(user=request.user, language=language)
    return response


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


def _report_form(request, form_class=AccessReportPeriodForm):
    today = timezone.localdate()
    data = {
        "start": today - timedelta(days=settings.ACCESS_REPORT_DEFAULT_DAYS),
        "end": today,
        **request.GET.dict(),
    }
    return form_class(data)


def access_report(request):
    """Find a person whose access-log report a client asked for."""
    if not may_report_access(request.user):
        raise PermissionDenied
    form = _report_form(request, AccessReportSearchForm)
    found = people_search(form.cleaned_data["q"]) if form.is_valid() else []
    return render(request, "fostercare/access_report_search.html", {"form": form, "found": found})


def _report(request, kind_key: str, pk: int):
    if not may_report_access(request.user):
        raise PermissionDenied
    kind = person_kind(kind_key)
    if kind is None:
        raise Http404
    person = kind.model.objects.filter(pk=pk).first()
    if person is None:
        raise Http404
    form = _report_form(request)
    entries = AccessLogEntry.objects.none()
    if form.is_valid():
        entries = access_log_for_person(
            kind=kind,
            person=person,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
        )
    return kind, person, form, entries


REPORT_PAGE_SIZE = 100


def access_report_person(request, kind: str, pk: int):
    """Who processed one person's data in a period, and why (Act 703/2023)."""
    kind_obj, person, form, entries = _report(request, kind, pk)
    # years of a person's history are thousands of rows: the page shows them a hundred at
    # a time, the PDF (what the client is given) holds the whole period; read before this
    # view of the report is itself recorded
    page = paginate(request, entries, per_page=REPORT_PAGE_SIZE)
    page.object_list = list(page.object_list)
    access_log_record(
        user=request.user, action=AccessLogEntry.Action.VIEW, obj=person, purpose=REPORT_PURPOSE
    )
    return render(
        request,
        "fostercare/access_report.html",
        {
            "kind": kind_obj,
            "person": person,
            "form": form,
            "entries": page.object_list,
            "page": page,
        },
    )


def access_report_pdf(request, kind: str, pk: int):
    """The same report as a PDF to hand to the client."""
    kind_obj, person, form, entries = _report(request, kind, pk)
    if not form.is_valid():
        raise Http404
    entries = list(entries)  # read before this export is itself recorded
    access_log_record(
        user=request.user, action=AccessLogEntry.Action.EXPORT, obj=person, purpose=REPORT_PURPOSE
    )
    return pdf_response(
        request,
        "fostercare/access_report_pdf.html",
        {
            "kind": kind_obj,
            "person": person,
            "entries": entries,
            "start": form.cleaned_data["start"],
            "end": form.cleaned_data["end"],
            "produced_at": timezone.now(),
        },
        filename=f"access-log-{kind_obj.model._meta.model_name}-{person.pk}.pdf",
    )


# --- the public pages: accessibility statement, its feedback form, privacy notice --------


@login_not_required
def accessibility_statement(request):
    return render(
        request,
        "fostercare/accessibility_statement.html",
        {
            "drawn_up_on": date.fromisoformat(settings.ACCESSIBILITY_STATEMENT_DATE),
            "reviewed_on": date.fromisoformat(settings.ACCESSIBILITY_STATEMENT_REVIEWED),
            "supervisor": {
                "url": settings.ACCESSIBILITY_SUPERVISOR_URL,
                "email": settings.ACCESSIBILITY_SUPERVISOR_EMAIL,
                "phone": settings.ACCESSIBILITY_SUPERVISOR_PHONE,
            },
        },
    )


@login_not_required
def accessibility_feedback(request):
    form = AccessibilityFeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if over_rate_limit(request, "accessibility-feedback"):
            form.is_valid()  # keep what the person typed, with the reason on top
            form.add_error(
                None, _("Too many messages from your address. Please try again in an hour.")
            )
            return render(
                request, "fostercare/accessibility_feedback.html", {"form": form}, status=429
            )
        if form.is_spam:
            return redirect("accessibility-feedback-thanks")
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("website")
            feedback = run_service(
                form,
                lambda: accessibility_feedback_create(**data, language=get_language()),
            )
            if feedback:
                return redirect("accessibility-feedback-thanks")
        status = 400
    return render(request, "fostercare/accessibility_feedback.html", {"form": form}, status=status)


@login_not_required
def accessibility_feedback_thanks(request):
    return render(request, "fostercare/accessibility_feedback_thanks.html")


@login_not_required
def privacy_notice(request):
    return render(
        request,
        "fostercare/privacy_notice.html",
        {"access_log_days": settings.ACCESS_LOG_RETENTION_DAYS},
    )
