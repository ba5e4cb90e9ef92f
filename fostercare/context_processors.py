from django.utils.translation import gettext_lazy as _

from fostercare.mfa import mfa_needed
from fostercare.navigation import links_for


def navigation(request):
    """The header's links: each is shown only to users who may open it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or mfa_needed(user):
        return {"nav_links": []}
    links = [("home", _("Front page"), None)]
    links += [(link.url_name, link.label, True) for link in links_for(user)]
    return {"nav_links": links}


def session_timeout(request):
    """The idle limit and its warning, for the notice script (static/js/session-timeout.js)."""
    from django.conf import settings

    return {
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "session_idle_warning": settings.SESSION_IDLE_WARNING,
        "session_idle_warning_minutes": max(1, round(settings.SESSION_IDLE_WARNING / 60)),
    }


def unit_contact(request):
    """The unit's contact details (settings), for the footer and the public pages."""
    from django.conf import settings

    return {
        "unit": {
            "name": settings.UNIT_NAME,
            "organisation": settings.UNIT_ORGANISATION,
            "address": settings.UNIT_ADDRESS,
            "phone": settings.UNIT_PHONE,
            "email": settings.UNIT_EMAIL,
            "data_protection_officer": settings.UNIT_DATA_PROTECTION_OFFICER,
        }
    }
