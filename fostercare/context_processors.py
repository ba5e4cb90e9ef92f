from django.utils.translation import gettext_lazy as _


def navigation(request):
    """The header's links: each is shown only to users who may open it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    links = [("home", _("Front page"), None)]
    candidates = [
        ("families:family-list", _("Families"), "families.view_family"),
        ("families:provider-list", _("Providers"), "families.view_provider"),
    ]
    links += [c for c in candidates if user.has_perm(c[2])]
    return {"nav_links": links}
