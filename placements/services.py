"""Writes for placements. Every step of a request checks who may take it, runs in a
transaction, writes a timeline entry and queues its e-mail for after the commit."""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, get_objects_for_group, remove_perm

from families.models import Family, ProviderUnit, SpecialSkill
from families.services import family_change_status
from fostercare.models import AccessLogEntry, MemberOrganisation, User
from fostercare.services import access_log_record, organisation_group_sync
from placements import history_texts
from placements.access import (
    MUNICIPAL_STEPS,
    UNIT_STEPS,
    may_add_child,
    may_choose_child_municipality,
    may_correct_placement,
    may_create_request,
    may_edit,
    may_edit_child,
    may_end_placement,
    may_file_for_municipality,
    may_share,
    may_take,
)
from placements.matching import RULE_CAPACITY, family_fits
from placements.models import (
    EMERGENCY_EXTENSION_MAX_DAYS,
    AftercarePlan,
    Child,
    IdentityCodeChange,
    Placement,
    PlacementChange,
    PlacementRequest,
    PlacementRequestUserObjectPermission,
    PlacementType,
    Proposal,
    RequestEvent,
)
from placements.provider_matching import provider_unit_fits

S = PlacementRequest.Status
STEPS = PlacementRequest.STEPS


def _check_step(user: User, request: PlacementRequest, step: str) -> None:
    allowed_from, to_status = STEPS[step]
    if request.status not in allowed_from:
        raise ValidationError(
            _("A request that is “%(from)s” cannot be moved to “%(to)s”.")
            % {"from": S(request.status).label, "to": S(to_status).label}
        )
    if not may_take(user, request, step):
        if step in MUNICIPAL_STEPS and step not in UNIT_STEPS:
            raise ValidationError(
                _("Only a social worker of the requesting municipality may do this.")
            )
        raise ValidationError(_("Only the foster-care unit may do this."))


def _locked(request: PlacementRequest) -> PlacementRequest:
    # Lock the row so two simultaneous steps cannot both start from the same status.
    return PlacementRequest.objects.select_for_update().get(pk=request.pk)


def _advance(
    request: PlacementRequest,
    step: str,
    by: User,
    note: str = "",
    typed: bool = False,
    note_code: str = "",
    note_params: dict | None = None,
) -> RequestEvent:
    """Move the request one step and write the timeline event. ``note`` is a name, or with
    ``typed`` a person's own words, kept with the language they were typed in; ``note_code``
    is the system's text (fostercare.stored_text), shown in the reader's language."""
    from_status = request.status
    request.status = STEPS[step][1]
    request.save()
    event = RequestEvent.objects.create(
        request=request,
        by=by,
        from_status=from_status,
        to_status=request.status,
        note=note,
        note_language=translation.get_language() if typed and note.strip() else "",
        note_code=note_code,
        note_params=note_params or {},
    )
    proposed_family_grants_sync(municipality=request.municipality)
    if not request.is_open:
        # a closed request is no longer shared with anyone outside its municipality
        PlacementRequestUserObjectPermission.objects.filter(content_object=request).delete()
    return event


def proposed_family_grants_sync(*, municipality: MemberOrganisation) -> None:
    """Grant the municipality's group read access to exactly the families it needs to see:
    those proposed to its requests awaiting a choice, and the family it accepted.

    A per-object exception (django-guardian); derived from the proposals, so it is
    rebuilt after every step and revoked when a request is withdrawn or another
    family is chosen.
    """
    group = organisation_group_sync(organisation=municipality)
    wanted = set(
        Proposal.objects.filter(request__municipality=municipality)
        .filter(
            Q(request__status=S.PROPOSED, declined=False)
            | Q(accepted=True, request__status__in=[S.ACCEPTED, S.DECIDED, S.PLACED])
        )
        .filter(family__isnull=False)  # a provider's unit is public to them already
        .values_list("family_id", flat=True)
    )
    granted = set(
        get_objects_for_group(
            group, "families.view_family", klass=Family, accept_global_perms=False
        ).values_list("pk", flat=True)
    )
    if wanted - granted:
        assign_perm("families.view_family", group, Family.objects.filter(pk__in=wanted - granted))
    if granted - wanted:
        remove_perm("families.view_family", group, Family.objects.filter(pk__in=granted - wanted))


def _family_still_fits(request: PlacementRequest, family_id: int) -> Family:
    """Lock the family and run the hard rules again for every child of the request.

    Between proposing and placing, the family may have been paused, lost its training
    or had its places taken. Children of other requests that accepted it and are not yet
    placed count as taken, so one family cannot be booked twice; the lock makes two
    simultaneous acceptances of the same family wait for each other.
    """
    Family.objects.select_for_update().filter(pk=family_id).first()
    match = family_fits(request, family_id, whole_group=True)
    if match is None:
        raise ValidationError(_("The family does not exist."))
    if not match.fits:
        reasons = list(match.exclusion_reasons)
        if not request.keep_siblings_together and RULE_CAPACITY in match.excluded_by:
            reasons.append(
                _(
                    "Every child of a request is placed with the accepted family; make a "
                    "separate request for the children who are to go elsewhere."
                )
            )
        raise ValidationError(
            _("%(family)s cannot take the children of this request: %(reasons)s")
            % {"family": match.family, "reasons": " ".join(reasons)}
        )
    return match.family


def _unit_still_fits(request: PlacementRequest, unit_id: int) -> ProviderUnit:
    """Lock the provider's unit and run its hard rules again for every child (licence,
    room, ages, type): as ``_family_still_fits`` does for a family."""
    ProviderUnit.objects.select_for_update().filter(pk=unit_id).first()
    match = provider_unit_fits(request, unit_id, whole_group=True)
    if match is None:
        raise ValidationError(_("The unit does not exist."))
    if not match.fits:
        raise ValidationError(
            _("%(unit)s cannot take the children of this request: %(reasons)s")
            % {"unit": match.unit, "reasons": " ".join(match.exclusion_reasons)}
        )
    return match.unit


def _place_still_fits(request: PlacementRequest, proposal: Proposal) -> dict:
    """The accepted place checked again, as the placement's fields (family or provider)."""
    if proposal.provider_unit_id:
        unit = _unit_still_fits(request, proposal.provider_unit_id)
        return {"provider": unit.provider, "provider_unit": unit}
    return {"family": _family_still_fits(request, proposal.family_id)}


def _mail_after_commit(subject: str, body: str, recipients: Iterable[str]) -> None:
    recipients = sorted({r for r in recipients if r})
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        )


def child_siblings_check(*, child: Child, siblings: Iterable[Child]) -> list[Child]:
    """The child's siblings (the child itself left out), all of its municipality: a
    sibling of another municipality would show that municipality's child here."""
    siblings = [s for s in siblings if s.pk != child.pk]
    if any(s.municipality_id != child.municipality_id for s in siblings):
        raise ValidationError(
            {"siblings": _("Siblings must be children of the same municipality.")}
        )
    return siblings


@transaction.atomic
def child_save(
    *,
    child: Child,
    by: User,
    needs: Iterable[SpecialSkill] | None = None,
    siblings: Iterable[Child] | None = None,
) -> Child:
    """Create or update a child, from the pages and the admin alike; a municipal worker's
    children belong to their municipality, and siblings are of the same municipality."""
    creating = child.pk is None
    if creating and not may_add_child(by):
        raise ValidationError(_("You may not add children."))
    stored = None
    if not creating:
        stored = Child.objects.only("municipality", "personal_identity_code").get(pk=child.pk)
        if not may_edit_child(by, stored):
            raise ValidationError(_("Only the child's own municipality may change the child."))
    if not may_choose_child_municipality(by):
        child.municipality_id = by.organisation_id
    child.full_clean()
    code_replaced = stored is not None and _identity_code_replaced(stored, child, by)
    if siblings is not None:
        siblings = child_siblings_check(child=child, siblings=siblings)
    child.save()
    if needs is not None:
        child.needs.set(needs)
    if siblings is not None:
        child.siblings.set(siblings)
    action = AccessLogEntry.Action.CREATE if creating else AccessLogEntry.Action.UPDATE
    access_log_record(user=by, action=action, obj=child)
    if code_replaced:
        access_log_record(
            user=by, action=action, obj=child, purpose=_("personal identity code replaced")
        )
    return child


def _identity_code_replaced(stored: Child, child: Child, by: User) -> bool:
    """Keep the replaced code as history; a permanent code is never replaced by a
    temporary one (the permanent one is what the temporary one waits for)."""
    if not stored.personal_identity_code or (
        stored.personal_identity_code == child.personal_identity_code
    ):
        return False
    if child.identity_code_is_temporary and not stored.identity_code_is_temporary:
        raise ValidationError(
            {
                "personal_identity_code": _(
                    "A permanent identity code cannot be replaced by a temporary one."
                )
            }
        )
    IdentityCodeChange.objects.create(
        child=stored,
        previous_code=stored.personal_identity_code,
        previous_was_temporary=stored.identity_code_is_temporary,
        changed_by=by,
    )
    return True


@transaction.atomic
def placement_request_create(
    *,
    by: User,
    children: Iterable[Child],
    placement_type: str,
    urgency: str = PlacementRequest.Urgency.NORMAL,
    wished_start_on: date,
    expected_duration: str = "",
    keep_siblings_together: bool = True,
    wishes: str = "",
    new_children: Iterable[Child] = (),
    municipality: MemberOrganisation | None = None,
    phoned_in_by: str = "",
    send: bool = False,
) -> PlacementRequest:
    """A request for children of one municipality, as a draft or sent at once (``send``).

    A municipal worker files for their own municipality; the unit files one that a
    municipality phones in (``municipality``), recorded as such. ``new_children`` are
    added to the register in the same transaction (a sibling group linked as siblings),
    so a refused request leaves no child behind.
    """
    if municipality is not None and may_file_for_municipality(by):
        filed_by_unit = True
    elif municipality is None and may_create_request(by):
        filed_by_unit, municipality = False, by.organisation
    elif municipality is not None:
        raise ValidationError(_("Only the foster-care unit may file a request for a municipality."))
    else:
        raise ValidationError(_("Only a municipal social worker may make a placement request."))
    if filed_by_unit and not phoned_in_by.strip():
        raise ValidationError(
            {"phoned_in_by": _("Say which social worker of the municipality asked for it.")}
        )
    children = list(children)
    new_children = list(new_children)
    for child in new_children:
        child.municipality = municipality
        child_save(child=child, by=by)
    _check_children(municipality.pk, children + new_children)
    _link_siblings(new_children, children + new_children)
    request = PlacementRequest(
        municipality=municipality,
        created_by=by,
        placement_type=placement_type,
        urgency=urgency,
        wished_start_on=wished_start_on,
        expected_duration=expected_duration,
        keep_siblings_together=keep_siblings_together,
        wishes=wishes,
        filed_by_unit=filed_by_unit,
        phoned_in_by=phoned_in_by.strip() if filed_by_unit else "",
    )
    request.full_clean()
    request.save()
    request.children.set(children + new_children)
    note = ""
    if filed_by_unit:
        note = _("Filed by the foster-care unit for %(municipality)s, asked by %(worker)s") % {
            "municipality": municipality,
            "worker": request.phoned_in_by,
        }
    RequestEvent.objects.create(request=request, by=by, to_status=request.status, note=note)
    if send:
        placement_request_submit(request=request, by=by)
        request.refresh_from_db()
    return request


def _link_siblings(new_children: list[Child], children: list[Child]) -> None:
    """Children added on a request are siblings of the request's other children."""
    if len(children) < 2:
        return
    for child in new_children:
        child.siblings.add(*[other for other in children if other.pk != child.pk])


def _check_children(municipality_id: int, children: list[Child]) -> None:
    if not children:
        raise ValidationError({"children": _("Choose at least one child.")})
    if any(child.municipality_id != municipality_id for child in children):
        raise ValidationError(
            {"children": _("The children must be of the requesting municipality.")}
        )
    placed = Placement.objects.active().filter(child__in=children).select_related("child")
    if placed:
        raise ValidationError(
            {
                "children": _("%(children)s already placed; end the placement first.")
                % {"children": ", ".join(str(placement.child) for placement in placed)}
            }
        )


@transaction.atomic
def placement_request_update(
    *,
    request: PlacementRequest,
    by: User,
    children: Iterable[Child],
    placement_type: str,
    urgency: str,
    wished_start_on: date,
    expected_duration: str = "",
    keep_siblings_together: bool = True,
    wishes: str = "",
) -> PlacementRequest:
    """Change a draft request (its own municipality only)."""
    request = _locked(request)
    if not may_edit(by, request):
        raise ValidationError(_("Only a draft can be edited, by its own municipality."))
    children = list(children)
    _check_children(request.municipality_id, children)
    request.placement_type = placement_type
    request.urgency = urgency
    request.wished_start_on = wished_start_on
    request.expected_duration = expected_duration
    request.keep_siblings_together = keep_siblings_together
    request.wishes = wishes
    request.full_clean()
    request.save()
    request.children.set(children)
    return request


@transaction.atomic
def placement_request_submit(*, request: PlacementRequest, by: User) -> PlacementRequest:
    request = _locked(request)
    _check_step(by, request, "submit")
    request.submitted_at = timezone.now()
    _advance(request, "submit", by)
    _mail_after_commit(
        _("New placement request %(number)s (%(urgency)s)")
        % {"number": request.pk, "urgency": request.get_urgency_display()},
        _(
            "%(municipality)s has submitted a placement request: %(type)s, wished start "
            "%(start)s. Open the request in the foster-care register."
        )
        % {
            "municipality": request.municipality,
            "type": request.get_placement_type_display(),
            "start": formats.date_format(request.wished_start_on, "SHORT_DATE_FORMAT"),
        },
        [settings.UNIT_EMAIL],
    )
    return request


@transaction.atomic
def placement_request_take(*, request: PlacementRequest, by: User) -> PlacementRequest:
    """A unit worker becomes the municipal worker's pair (työpari) and starts the search."""
    request = _locked(request)
    _check_step(by, request, "take")
    request.unit_worker = by
    _advance(request, "take", by)
    return request


def _ids(ids: Iterable, wrong: str) -> list[int]:
    """The chosen ids once each, in order; anything else is refused with ``wrong``."""
    try:
        return list(dict.fromkeys(int(pk) for pk in ids))
    except (TypeError, ValueError):
        raise ValidationError(wrong) from None


def _propose(request: PlacementRequest, by: User, ids: Iterable, *, field: str, fits, texts):
    """Propose the families or providers' units (``field``: "family" or "provider_unit")
    whose ``fits(request, pk)`` match still passes every hard rule; a place declined
    earlier comes back as the same row. One body for both kinds of place."""
    request = _locked(request)
    _check_step(by, request, "propose")
    ids = _ids(ids, texts["choose"])
    if not ids:
        raise ValidationError(texts["none"])
    current = list(request.proposals.all())
    existing = {getattr(p, f"{field}_id"): p for p in current if getattr(p, f"{field}_id")}
    rank = len(current)
    proposals = []
    for pk in ids:
        if pk in existing and not existing[pk].declined:
            continue
        match = fits(request, pk)
        if match is None:
            raise ValidationError(texts["missing"])
        place = match.family if field == "family" else match.unit
        if not match.fits:
            raise ValidationError(
                _("%(family)s cannot be proposed: %(reasons)s")
                % {"family": place, "reasons": " ".join(match.exclusion_reasons)}
            )
        proposal = existing.get(pk) or Proposal(request=request, **{field: place})
        rank += 1
        proposal.rank = rank
        proposal.reason_codes = match.reason_codes
        proposal.declined = False
        proposal.proposed_by = by
        proposal.proposed_at = timezone.now()
        proposal.save()
        proposals.append(proposal)
    if not proposals:
        raise ValidationError(texts["already"])
    _advance(
        request,
        "propose",
        by,
        note_code=history_texts.PROPOSED,
        note_params={"families": ", ".join(str(p.place) for p in proposals)},
    )
    _mail_after_commit(
        _("Families proposed for placement request %(number)s") % {"number": request.pk},
        _(
            "The foster-care unit has proposed %(count)s family(ies). "
            "Open the request to accept one."
        )
        % {"count": len(proposals)},
        [request.created_by.email],
    )
    return proposals


@transaction.atomic
def placement_request_propose(
    *, request: PlacementRequest, by: User, family_ids: Iterable[int]
) -> list[Proposal]:
    """Propose families; each must still pass every hard rule of the matching."""
    return _propose(
        request,
        by,
        family_ids,
        field="family",
        fits=family_fits,
        texts={
            "choose": _("Choose the families from the list."),
            "none": _("Choose at least one family to propose."),
            "missing": _("The family does not exist."),
            "already": _("These families have already been proposed."),
        },
    )


@transaction.atomic
def placement_request_propose_providers(
    *, request: PlacementRequest, by: User, unit_ids: Iterable[int]
) -> list[Proposal]:
    """Propose providers' units; each must still pass every hard rule of their matching."""
    return _propose(
        request,
        by,
        unit_ids,
        field="provider_unit",
        fits=provider_unit_fits,
        texts={
            "choose": _("Choose the units from the list."),
            "none": _("Choose at least one unit to propose."),
            "missing": _("The unit does not exist."),
            "already": _("These units have already been proposed."),
        },
    )


@transaction.atomic
def proposal_accept(*, proposal: Proposal, by: User) -> Proposal:
    request = _locked(proposal.request)
    _check_step(by, request, "accept")
    if proposal.request_id != request.pk:
        raise ValidationError(_("The proposal belongs to another request."))
    if proposal.declined:
        raise ValidationError(_("This family was declined; ask the unit to propose it again."))
    _place_still_fits(request, proposal)
    proposal.accepted = True
    proposal.save(update_fields=["accepted"])
    _advance(request, "accept", by, note=str(proposal.place))
    _mail_after_commit(
        _("Proposal accepted for placement request %(number)s") % {"number": request.pk},
        _("%(municipality)s has accepted %(family)s. The decision will be recorded next.")
        % {"municipality": request.municipality, "family": proposal.place},
        [request.unit_worker.email if request.unit_worker else "", settings.UNIT_EMAIL],
    )
    return proposal


@transaction.atomic
def placement_request_decline(
    *, request: PlacementRequest, by: User, reason: str
) -> PlacementRequest:
    """None of the proposed families fits: the unit searches again."""
    request = _locked(request)
    _check_step(by, request, "decline")
    request.proposals.filter(accepted=False).update(declined=True)
    _advance(request, "decline", by, note=reason, typed=True)
    _mail_after_commit(
        _("Proposals declined for placement request %(number)s") % {"number": request.pk},
        _("%(municipality)s found none of the proposed families suitable: %(reason)s")
        % {"municipality": request.municipality, "reason": reason},
        [request.unit_worker.email if request.unit_worker else "", settings.UNIT_EMAIL],
    )
    return request


@transaction.atomic
def placement_request_decide(
    *,
    request: PlacementRequest,
    by: User,
    decision_on: date,
    decision_maker: str,
    decision_reference: str,
) -> PlacementRequest:
    """Record the municipal official's decision; the system records it, it does not make it."""
    request = _locked(request)
    _check_step(by, request, "decide")
    if decision_on > timezone.localdate():
        raise ValidationError({"decision_on": _("The decision date cannot be in the future.")})
    if not decision_maker.strip() or not decision_reference.strip():
        raise ValidationError(_("Give the decision maker and the decision reference."))
    request.decision_on = decision_on
    request.decision_maker = decision_maker
    request.decision_reference = decision_reference
    _advance(
        request,
        "decide",
        by,
        note_code=history_texts.DECIDED,
        note_params={
            "on": decision_on.isoformat(),
            "maker": decision_maker,
            "reference": decision_reference,
        },
    )
    return request


@transaction.atomic
def placement_request_place(
    *, request: PlacementRequest, by: User, started_on: date
) -> list[Placement]:
    """Start a placement for each child with the accepted family or provider's unit."""
    request = _locked(request)
    if request.placement_type == PlacementType.SUPPORT_FAMILY:
        raise ValidationError(
            _("A support-family request is not placed: record the arrangement and its stays.")
        )
    _check_step(by, request, "place")
    proposal = request.proposals.filter(accepted=True).first()
    if proposal is None:
        raise ValidationError(_("No family has been accepted for this request."))
    place = _place_still_fits(request, proposal)
    family = place.get("family")
    placements = []
    for child in request.children.all():
        if Placement.objects.active().filter(child=child).exists():
            raise ValidationError(
                _("%(child)s already has an active placement; end it first.") % {"child": child}
            )
        placement = Placement(
            child=child,
            request=request,
            **place,
            placement_type=request.placement_type,
            started_on=started_on,
            decision_on=request.decision_on,
            decision_maker=request.decision_maker,
            decision_reference=request.decision_reference,
        )
        placement.full_clean()
        placement.save()
        placements.append(placement)
    _advance(request, "place", by, note=str(proposal.place))
    if family is not None and family.status == Family.Status.APPROVED:
        # A family in reserve becomes active with its first child; the register keeps history.
        family_change_status(
            family=family,
            to_status=Family.Status.ACTIVE,
            by=by,
            reason_code=history_texts.PLACED_BY_REQUEST,
            reason_params={"number": request.pk},
        )
    return placements


@transaction.atomic
def placement_request_withdraw(
    *, request: PlacementRequest, by: User, reason: str
) -> PlacementRequest:
    request = _locked(request)
    _check_step(by, request, "withdraw")
    request.closing_reason = reason
    _advance(request, "withdraw", by, note=reason, typed=True)
    return request


@transaction.atomic
def placement_request_no_place(
    *, request: PlacementRequest, by: User, reason: str
) -> PlacementRequest:
    request = _locked(request)
    _check_step(by, request, "no_place")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why no suitable place was found.")})
    request.closing_reason = reason
    _advance(request, "no_place", by, note=reason, typed=True)
    return request


@transaction.atomic
def placement_request_share(
    *, request: PlacementRequest, by: User, with_user: User
) -> PlacementRequest:
    """An exception: let one worker of another municipality see this request."""
    if not may_share(by):
        raise ValidationError(_("Only the foster-care unit may do this."))
    assign_perm("placements.view_placementrequest", with_user, request)
    RequestEvent.objects.create(
        request=request,
        by=by,
        from_status=request.status,
        to_status=request.status,
        note_code=history_texts.SHARED,
        note_params={"user": str(with_user)},
    )
    return request


@transaction.atomic
def placement_request_unshare(
    *, request: PlacementRequest, by: User, with_user: User
) -> PlacementRequest:
    """End the exception: the worker of another municipality no longer sees the request."""
    if not may_share(by):
        raise ValidationError(_("Only the foster-care unit may do this."))
    remove_perm("placements.view_placementrequest", with_user, request)
    RequestEvent.objects.create(
        request=request,
        by=by,
        from_status=request.status,
        to_status=request.status,
        note_code=history_texts.UNSHARED,
        note_params={"user": str(with_user)},
    )
    return request


def _record_note(request: PlacementRequest | None, by: User, note: str) -> None:
    """A timeline entry that moves no status (a correction of the request's placement)."""
    if request is not None:
        RequestEvent.objects.create(
            request=request, by=by, from_status=request.status, to_status=request.status, note=note
        )


def _locked_placement(placement: Placement, by: User) -> Placement:
    if not may_correct_placement(by):
        raise ValidationError(_("Only the foster-care unit may do this."))
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("child", "request", "family", "provider")
        .get(pk=placement.pk)
    )


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _short(value: date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "–"


def _placement_changed(
    placement: Placement, *, by: User, kind: str, before: dict, after: dict, reason: str, note: str
) -> PlacementChange:
    """History of a placement: its change row, the request's timeline, the access log."""
    change = PlacementChange.objects.create(
        placement=placement, kind=kind, by=by, before=before, after=after, reason=reason
    )
    _record_note(placement.request, by, f"{note}: {reason}" if reason else note)
    access_log_record(
        user=by,
        action=AccessLogEntry.Action.UPDATE,
        obj=placement.child,
        purpose=PlacementChange.Kind(kind).label,
    )
    return change


@transaction.atomic
def placement_end(*, placement: Placement, by: User, ended_on: date, end_reason: str) -> Placement:
    if not may_end_placement(by):
        raise ValidationError(_("Only the foster-care unit may do this."))
    placement = _locked_placement(placement, by)
    if placement.ended_on:
        raise ValidationError(_("The placement has already ended."))
    placement.ended_on = ended_on
    placement.end_reason = end_reason
    placement.full_clean()
    placement.save()
    _placement_changed(
        placement,
        by=by,
        kind=PlacementChange.Kind.ENDED,
        before={},
        after={"ended_on": _day(ended_on), "end_reason": end_reason},
        reason=placement.get_end_reason_display(),
        note=_("The placement of %(child)s ended on %(date)s")
        % {"child": placement.child, "date": _short(ended_on)},
    )
    return placement


@transaction.atomic
def placement_correct_dates(
    *,
    placement: Placement,
    by: User,
    started_on: date,
    ended_on: date | None,
    end_reason: str = "",
    reason: str,
) -> Placement:
    """Correct a placement's start and end dates (they feed the care days of a usage
    basis), with the reason; history, the request's timeline and the access log record it."""
    placement = _locked_placement(placement, by)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    before = {
        "started_on": _day(placement.started_on),
        "ended_on": _day(placement.ended_on),
        "end_reason": placement.end_reason,
    }
    before_text = f"{_short(placement.started_on)}–{_short(placement.ended_on)}"
    if ended_on is None and placement.ended_on is not None:
        other = Placement.objects.active().filter(child=placement.child).exclude(pk=placement.pk)
        if other.exists():
            raise ValidationError(
                {"ended_on": _("The child has another ongoing placement; this one must end.")}
            )
    placement.started_on = started_on
    placement.ended_on = ended_on
    placement.end_reason = (end_reason or placement.end_reason) if ended_on else ""
    placement.full_clean()
    after = {
        "started_on": _day(placement.started_on),
        "ended_on": _day(placement.ended_on),
        "end_reason": placement.end_reason,
    }
    if after == before:
        raise ValidationError(_("Nothing was changed."))
    placement.save()
    _placement_changed(
        placement,
        by=by,
        kind=PlacementChange.Kind.DATES,
        before=before,
        after=after,
        reason=reason.strip(),
        note=_("Dates of the placement of %(child)s corrected: %(before)s → %(after)s")
        % {
            "child": placement.child,
            "before": before_text,
            "after": f"{_short(placement.started_on)}–{_short(placement.ended_on)}",
        },
    )
    return placement


@transaction.atomic
def placement_extend_emergency(
    *, placement: Placement, by: User, days: int, decided_on: date, reason: str = ""
) -> Placement:
    """Record the official's 38 a § decision extending an emergency placement by at most
    another 30 days; the clock of the 30 counts it."""
    placement = _locked_placement(placement, by)
    if placement.placement_type != PlacementType.EMERGENCY:
        raise ValidationError(_("Only an emergency placement is extended under 38 a §."))
    if placement.ended_on:
        raise ValidationError(_("The placement has already ended."))
    if not 1 <= days <= EMERGENCY_EXTENSION_MAX_DAYS:
        raise ValidationError(
            {"days": _("An extension is 1–%(max)s days.") % {"max": EMERGENCY_EXTENSION_MAX_DAYS}}
        )
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("The decision date cannot be in the future.")})
    before = {
        "extension_days": placement.extension_days,
        "extension_decided_on": _day(placement.extension_decided_on),
    }
    placement.extension_days = days
    placement.extension_decided_on = decided_on
    placement.full_clean()
    placement.save()
    _placement_changed(
        placement,
        by=by,
        kind=PlacementChange.Kind.EXTENDED,
        before=before,
        after={"extension_days": days, "extension_decided_on": _day(decided_on)},
        reason=reason.strip(),
        note=_("Emergency placement of %(child)s extended by %(days)s days (decided %(date)s)")
        % {"child": placement.child, "days": days, "date": _short(decided_on)},
    )
    return placement


@transaction.atomic
def aftercare_plan_save(*, plan: AftercarePlan, by: User) -> AftercarePlan:
    """Record or update an aftercare plan agreed with the municipality (the unit only)."""
    if not may_correct_placement(by):
        raise ValidationError(_("Only the foster-care unit may do this."))
    creating = plan.pk is None
    if creating:
        plan.recorded_by = by
    plan.full_clean()
    plan.save()
    access_log_record(
        user=by,
        action=AccessLogEntry.Action.CREATE if creating else AccessLogEntry.Action.UPDATE,
        obj=plan.child,
        purpose=_("aftercare plan"),
    )
    return plan
