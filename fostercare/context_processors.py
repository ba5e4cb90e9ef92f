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
        ("contracts:contract-list", _("Contracts"), "contracts.view_contract"),
        ("contracts:invoice-list", _("Invoices"), "contracts.view_invoice"),
        ("training:course-list", _("Courses"), "training.view_course"),
        ("training:inquiry-list", _("Inquiries"), "training.view_inquiry"),
        ("placements:request-list", _("Placement requests"), "placements.view_placementrequest"),
        ("placements:placement-list", _("Placements"), "placements.view_placement"),
        ("placements:vacancy-board", _("Vacancy board"), "families.view_family"),
    ]
    links += [c for c in candidates if user.has_perm(c[2])]
    # Municipal workers hold no model-wide permissions: their placement pages follow from
    # their organisation's object permission. The permission cache (already loaded above)
    # rules out everyone else before the role is looked up, so other pages pay no query.
    if user.organisation_id and not user.get_all_permissions() and user.is_municipal_worker:
        links += [
            ("placements:request-list", _("Placement requests"), "organisation"),
            ("placements:child-list", _("Children"), "organisation"),
            ("placements:placement-list", _("Placements"), "organisation"),
        ]
    return {"nav_links": links}
