"""Request-wide security rules: idle and absolute session limits, the second factor, and
no caching of anything a logged-in user sees."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from fostercare.mfa import MFA_URL_NAMES, mfa_needed, user_has_confirmed_device

LAST_ACTIVITY_KEY = "fostercare_last_activity"
LOGGED_IN_AT_KEY = "fostercare_logged_in_at"
# Writing the session on every request would be a database write per click; a minute's
# precision is plenty for a 30-minute limit.
ACTIVITY_WRITE_INTERVAL = 60


class SessionTimeoutMiddleware:
    """Log out a session idle for SESSION_IDLE_TIMEOUT seconds, and any session older than
    SESSION_COOKIE_AGE however active (the sliding cookie expiry alone would let it live on).

    The keep-alive request of the warning notice (static/js/session-timeout.js) counts as
    activity: it is sent only when the person presses "Stay logged in".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            last = session.get(LAST_ACTIVITY_KEY)
            started = session.get(LOGGED_IN_AT_KEY)
            idle = last is not None and now - last > settings.SESSION_IDLE_TIMEOUT
            too_old = started is not None and now - started > settings.SESSION_COOKIE_AGE
            if idle or too_old:
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after %(minutes)d minutes without activity.")
                    % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60}
                    if idle
                    else _("Your login expired. Please log in again."),
                )
                login_url = resolve_url(settings.LOGIN_URL)
                return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
            if started is None:
                session[LOGGED_IN_AT_KEY] = now
            if last is None or now - last >= ACTIVITY_WRITE_INTERVAL:
                session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class MFARequiredMiddleware:
    """With MFA_REQUIRED, a user without a verified second factor reaches only the
    enrolment and verification pages, logout and the language switch."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if mfa_needed(request.user):
            try:
                view_name = resolve(request.path_info).view_name
            except Resolver404:
                view_name = None
            if view_name not in MFA_URL_NAMES:
                name = "mfa-verify" if user_has_confirmed_device(request.user) else "mfa-setup"
                return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing shown to a logged-in user, and no document, is kept in a browser's or a
    proxy's cache: personal data is behind nearly every page, so the rule is simply all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.has_header(
            "Content-Disposition"
        ):
            add_never_cache_headers(response)
        return response
