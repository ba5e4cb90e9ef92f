"""Who may see and do what in placements: the one module that decides it.

Unit workers and administrators hold the model-wide permissions, so
``Model.objects.visible_to(user, action)`` (``fostercare.access``) gives them every row.
A municipal worker holds none; the querysets below override ``granted_to`` with what
their organisation's group has been granted (django-guardian's
``fostercare.handle_placements`` on the member organisation), plus the exceptions
granted one by one: a request shared with a worker of another municipality (read only),
and the families proposed to the municipality's requests (``proposed_families``).

The ``may_*`` predicates answer the same questions for one object already loaded
through ``visible_to`` (no query), for views, templates and the header's links. Models
are reached through ``django.apps`` so that ``placements.models`` can import this module.
"""

from django.apps import apps
from django.db.models import Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from families.models import Family
from fostercare.access import Action, RestrictedQuerySet, is_municipal_worker_of_member, may
from fostercare.models import MemberOrganisation

# Steps of a request's flow that the requesting municipality takes, and those the unit
# takes (the statuses each step starts from are ``PlacementRequest.STEPS``).
MUNICIPAL_STEPS = frozenset(
    {"submit", "withdraw", "accept", "decline", "decide", "place", "arrange"}
)
UNIT_STEPS = frozenset({"take", "propose", "no_place", "place", "arrange"})


def _model(name: str):
    return apps.get_model("placements", name)


def _grant(user, perm: str, klass):
    """Objects a permission has been granted on to ``user`` or their groups, one by one."""
    return get_objects_for_user(
        user, perm, klass=klass, accept_global_perms=False, with_superuser=False
    )


def handled_organisations(user) -> QuerySet[MemberOrganisation]:
    """The member organisations whose placements a municipal worker handles."""
    if not user.is_municipal_worker:
        return MemberOrganisation.objects.none()
    return _grant(user, "fostercare.handle_placements", MemberOrganisation)


def _shared_requests(user):
    """The pks of requests shared with this worker one by one (read only)."""
    if not user.is_municipal_worker:
        return _model("PlacementRequest").objects.none().values("pk")
    return _grant(user, "placements.view_placementrequest", _model("PlacementRequest")).values("pk")


# Querysets ---------------------------------------------------------------------------
#
# For a municipal worker: "view" is their organisations' rows and what was shared with
# them; "change" only their organisations' rows; "add" and "delete" nothing (a request is
# created, and every row changed, through the services, whose checks are below).


class PlacementRequestQuerySet(RestrictedQuerySet):
    def granted_to(self, user, action: Action):
        own = Q(municipality__in=handled_organisations(user))
        if action == "view":
            return self.filter(own | Q(pk__in=_shared_requests(user)))
        if action == "change":
            return self.filter(own)
        return self.none()


class ChildQuerySet(RestrictedQuerySet):
    def granted_to(self, user, action: Action):
        own = Q(municipality__in=handled_organisations(user))
        if action == "view":
            shared = Q(
                pk__in=_model("PlacementRequest")
                .children.through.objects.filter(placementrequest__in=_shared_requests(user))
                .values("child")
            )
            return self.filter(own | shared)
        if action == "change":
            return self.filter(own)
        return self.none()


class PlacementQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True)

    def granted_to(self, user, action: Action):
        # a placement is seen with its child; it is ended by the unit only
        if action == "view":
            return self.filter(child__in=_model("Child").objects.granted_to(user, action))
        return self.none()


class AftercarePlanQuerySet(RestrictedQuerySet):
    def granted_to(self, user, action: Action):
        # seen with its child; written by the unit only
        if action == "view":
            return self.filter(child__in=_model("Child").objects.granted_to(user, action))
        return self.none()


class RequestEventQuerySet(RestrictedQuerySet):
    def granted_to(self, user, action: Action):
        # the timeline is read with its request and written only by the services
        if action == "view":
            return self.filter(
                request__in=_model("PlacementRequest").objects.granted_to(user, action)
            )
        return self.none()


class ProposalQuerySet(RestrictedQuerySet):
    def granted_to(self, user, action: Action):
        """The requesting municipality sees the proposals whose family it may see now
        (awaiting its choice, then the accepted one); a worker the request was shared
        with sees none of them."""
        if action == "view":
            # a provider's unit is public to municipal workers (the provider register)
            return self.filter(request__municipality__in=handled_organisations(user)).filter(
                Q(family__in=proposed_families(user)) | Q(family__isnull=True)
            )
        return self.none()


def request_municipalities(user) -> QuerySet[MemberOrganisation]:
    """The municipalities whose requests the user may see, for the list's filter (the
    unit: every one)."""
    if is_unit_side(user):
        return MemberOrganisation.objects.order_by("name_fi", "pk")
    return handled_organisations(user).order_by("name_fi", "pk")


class SupportArrangementQuerySet(RestrictedQuerySet):
    def granted_to(self, user, action: Action):
        """Seen with its child; changed by the unit and the child's own municipality."""
        if action == "view":
            return self.filter(child__in=_model("Child").objects.granted_to(user, action))
        if action == "change":
            return self.filter(municipality__in=handled_organisations(user))
        return self.none()


class SupportStayQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(cancelled=False)

    def granted_to(self, user, action: Action):
        if action == "view":
            arrangements = _model("SupportArrangement").objects.granted_to(user, action)
            return self.filter(arrangement__in=arrangements)
        return self.none()


class SupportArrangementEventQuerySet(RestrictedQuerySet):
    def granted_to(self, user, action: Action):
        if action == "view":
            arrangements = _model("SupportArrangement").objects.granted_to(user, action)
            return self.filter(arrangement__in=arrangements)
        return self.none()


def proposed_families(user) -> QuerySet[Family]:
    """Families as the placements pages show them (a few fields, not the register).

    The only place that reads families for the placements pages. The unit sees the
    register; a municipal worker the families their organisation's group has been
    granted because they were proposed to its requests
    (``services.proposed_family_grants_sync``). The register pages stay closed to them.
    """
    if may(user, "view", Family):
        return Family.objects.visible_to(user)
    if not user.is_authenticated or not user.is_municipal_worker:
        return Family.objects.none()
    return _grant(user, "families.view_family", Family)


# Predicates --------------------------------------------------------------------------


def is_unit_side(user) -> bool:
    """Unit workers (and administrators) handle every request."""
    return may(user, "change", _model("PlacementRequest"))


def may_use_placements(user) -> bool:
    """Whether the placements pages are for this user at all (otherwise 403)."""
    return may(user, "view", _model("PlacementRequest")) or is_municipal_worker_of_member(user)


def may_list_children(user) -> bool:
    """The children page: a municipal worker's own children, the unit's every child (it
    files requests on a municipality's behalf and corrects identity codes)."""
    return may_use_placements(user)


def may_see_vacancies(user) -> bool:
    """The vacancy board shows the register's room: for those who read the register."""
    return may(user, "view", Family)


def _acts_for(user, municipality_id) -> bool:
    """A municipal worker acts for their own organisation, the one its group handles."""
    return bool(
        user.is_municipal_worker
        and user.organisation_id is not None
        and user.organisation_id == municipality_id
    )


def may_add_child(user) -> bool:
    return may(user, "add", _model("Child")) or _acts_for(user, user.organisation_id)


def may_choose_child_municipality(user) -> bool:
    """The unit chooses a child's municipality; a municipal worker's children are always
    of their own municipality."""
    return may(user, "change", _model("Child"))


def may_edit_child(user, child) -> bool:
    """The unit, or a worker of the child's own municipality (a shared child is read)."""
    return may(user, "change", _model("Child")) or _acts_for(user, child.municipality_id)


def may_create_request(user) -> bool:
    """Placement requests are made by municipal social workers for their own children."""
    return _acts_for(user, user.organisation_id)


def may_file_for_municipality(user) -> bool:
    """The unit enters a request that a municipality phones in, on its behalf."""
    return is_unit_side(user)


def _filed_by_unit_and_unit(user, request) -> bool:
    """A draft the unit filed on a municipality's behalf is the unit's to edit and send."""
    return request.filed_by_unit and may_file_for_municipality(user)


def may_take(user, request, step: str) -> bool:
    """Whether ``user`` may take ``step`` of ``request`` now: role, organisation, status."""
    allowed_from, _to = request.STEPS[step]
    if request.status not in allowed_from:
        return False
    if step == "submit" and _filed_by_unit_and_unit(user, request):
        return True
    # a support-family request is arranged as dated stays; every other one is placed
    support = request.placement_type == "support_family"
    if (step == "arrange" and not support) or (step == "place" and support):
        return False
    return (step in MUNICIPAL_STEPS and _acts_for(user, request.municipality_id)) or (
        step in UNIT_STEPS and is_unit_side(user)
    )


def may_edit(user, request) -> bool:
    """A request is edited as a draft, by its own municipality (or the unit that filed it)."""
    return request.status == request.Status.DRAFT and (
        _acts_for(user, request.municipality_id) or _filed_by_unit_and_unit(user, request)
    )


def may_match(user) -> bool:
    """Matching reads the whole register and proposes from it: the unit's work."""
    return may(user, "add", _model("Proposal"))


def may_share(user) -> bool:
    """Sharing a request with another municipality's worker is an exception the unit grants."""
    return is_unit_side(user)


def may_end_placement(user) -> bool:
    return may(user, "change", _model("Placement"))


def may_correct_placement(user) -> bool:
    """Dates, 38 a § extensions and aftercare plans are corrected by the unit, which
    keeps the placements of the region."""
    return may(user, "change", _model("Placement"))


def may_arrange_support(user, arrangement) -> bool:
    """The unit, or a worker of the child's municipality, changes an arrangement's stays."""
    return is_unit_side(user) or _acts_for(user, arrangement.municipality_id)


def may_see_family_notes(user) -> bool:
    """Timeline notes naming families (proposed, accepted, placed with) are the unit's."""
    return is_unit_side(user)
