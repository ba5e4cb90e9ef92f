from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from families.selectors import provider_vacancies
from fostercare.access import get_visible_or_404
from fostercare.forms import run_service
from fostercare.models import AccessLogEntry
from fostercare.paging import paginate
from fostercare.pickers import picker_search
from fostercare.services import access_log_record, access_log_record_many
from placements import access, matching, selectors, services
from placements.filters import PlacementFilter, PlacementRequestFilter
from placements.forms import (
    CHILD_SEARCH_FIELDS,
    WORKER_SEARCH_FIELDS,
    AftercarePlanForm,
    ChildForm,
    DecisionForm,
    EmergencyExtensionForm,
    IdentityCodeForm,
    NewChildFormSet,
    PlaceForm,
    PlacementCorrectionForm,
    PlacementEndForm,
    PlacementRequestForm,
    ProposeForm,
    ReasonForm,
    ShareForm,
    UnshareForm,
    child_label,
    sibling_candidates,
    with_one_more_row,
    worker_label,
)
from placements.models import AftercarePlan, Child, PlacementRequest, PlacementType, Proposal
from placements.provider_views import beside_families


def placements_access_required(view):
    """Unit workers by their permissions, municipal workers by their organisation."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not access.may_use_placements(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _log_children_viewed(user, children, purpose: str = "") -> None:
    access_log_record_many(
        user=user, action=AccessLogEntry.Action.VIEW, objs=children, purpose=purpose
    )


# Requests ----------------------------------------------------------------------------


@placements_access_required
def request_list(request):
    user = request.user
    filterset = PlacementRequestFilter(
        request.GET or None,
        queryset=selectors.placement_request_list(user),
        municipalities=access.request_municipalities(user),
        pairs=selectors.unit_pairs(),
    )
    return render(
        request,
        "placements/request_list.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "may_create": access.may_create_request(user) or access.may_file_for_municipality(user),
        },
    )


def _may_name_children_or_403(user) -> bool:
    """Whether the user files requests for municipalities (the unit); 403 for who files none."""
    for_a_municipality = access.may_file_for_municipality(user)
    if not (for_a_municipality or access.may_create_request(user)):
        raise PermissionDenied
    return for_a_municipality


@placements_access_required
def request_children_search(request):
    """The children a request may name whose name matches what was typed (the request
    form's children picker): those the user may change, without an ongoing placement."""
    for_a_municipality = _may_name_children_or_403(request.user)
    return picker_search(
        request,
        selectors.children_for_request(request.user).order_by("last_name", "first_name", "pk"),
        CHILD_SEARCH_FIELDS,
        label=lambda child: child_label(child, with_municipality=for_a_municipality),
    )


@placements_access_required
def request_create(request):
    """The new request: children chosen or added in place, saved as a draft or sent at
    once. "Add a child" posts the form back with one more row (no JavaScript needed)."""
    user = request.user
    for_a_municipality = _may_name_children_or_403(user)
    adding_row = request.method == "POST" and "add_child" in request.POST
    form_kwargs = {
        "children": selectors.children_for_request(user),
        "municipalities": selectors.requesting_municipalities(user) if for_a_municipality else None,
    }
    if adding_row:
        form, new_children = _with_one_more_child(request.POST, form_kwargs)
        return render(request, "placements/request_form.html", _form_context(form, new_children))
    data = request.POST if request.method == "POST" else None
    form = PlacementRequestForm(data, **form_kwargs)
    # a post without the rows (a script, an older page) adds no child
    new_children = NewChildFormSet(data if data and "new_child-TOTAL_FORMS" in data else None)
    rows_valid = not new_children.is_bound or new_children.is_valid()
    if data is not None and form.is_valid() and rows_valid:
        fields = dict(form.cleaned_data)
        send = "send" in data
        created = run_service(
            form,
            lambda: services.placement_request_create(
                by=user,
                children=fields.pop("children"),
                new_children=new_children.new_children(),
                send=send,
                **fields,
            ),
        )
        if created:
            messages.success(
                request,
                _("The request was sent to the unit.")
                if send
                else _("The request was saved as a draft. Submit it when ready."),
            )
            return redirect("placements:request-detail", pk=created.pk)
    status = 400 if data is not None and (form.errors or not rows_valid) else 200
    return render(
        request, "placements/request_form.html", _form_context(form, new_children), status=status
    )


def _form_context(form, new_children, placement_request=None) -> dict:
    return {"form": form, "new_children": new_children, "req": placement_request}


def _with_one_more_child(data, form_kwargs):
    """The forms holding what was typed, with one more empty child row, and no errors
    shown: the user has not yet tried to save."""
    data = with_one_more_row(data)
    form = PlacementRequestForm(data, **form_kwargs)
    new_children = NewChildFormSet(data)
    for bound in [form, *new_children.forms]:
        bound.is_valid()
        bound._errors = ErrorDict()
    return form, new_children


def _request_for(request, pk) -> PlacementRequest:
    placement_request = get_object_or_404(selectors.placement_request_detail(request.user), pk=pk)
    return selectors.with_proposals_and_placements(request.user, placement_request)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _step_form(step: str, data=None, placement_request=None):
    form_class = STEP_VIEWS[step][0]
    initial = {"started_on": placement_request.wished_start_on} if placement_request else None
    return form_class(data, auto_id=f"{step}_%s", initial=initial)


def _detail_response(request, placement_request, *, bound_forms=None, status=200):
    user = request.user
    steps = {step: access.may_take(user, placement_request, step) for step in services.STEPS}
    step_forms = {
        f"{step}_form": _step_form(step, placement_request=placement_request)
        for step, (form_class, *_rest) in STEP_VIEWS.items()
        if form_class
    }
    context = {
        "req": placement_request,
        "steps": steps,
        "any_step": any(steps.values()),
        "may_share": access.may_share(user),
        "proposals": placement_request.proposals.all(),
        "hidden_proposals": selectors.hidden_proposal_count(placement_request),
        "hidden_notes": selectors.timeline_notes_hidden_from(user, placement_request),
        "action_form": None,  # the reason a step without a form on the page was refused
        **step_forms,
        **(bound_forms or {}),
    }
    _log_children_viewed(user, placement_request.children.all(), _("placement request"))
    return render(request, "placements/request_detail.html", context, status=status)


@placements_access_required
def request_detail(request, pk):
    return _detail_response(request, _request_for(request, pk))


@placements_access_required
def request_update(request, pk):
    placement_request = _request_for(request, pk)
    if not access.may_edit(request.user, placement_request):
        raise PermissionDenied
    form = PlacementRequestForm(
        request.POST or None,
        instance=placement_request,
        children=selectors.children_for_request(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        updated = run_service(
            form,
            lambda: services.placement_request_update(
                request=placement_request, by=request.user, children=data.pop("children"), **data
            ),
        )
        if updated:
            messages.success(request, _("The changes were saved."))
            return redirect("placements:request-detail", pk=pk)
    return render(
        request,
        "placements/request_form.html",
        {"form": form, "req": placement_request},
        status=_status(form),
    )


# step -> (form class or None, service, success message)
STEP_VIEWS = {
    "submit": (None, services.placement_request_submit, gettext_lazy("The request was submitted.")),
    "take": (
        None,
        services.placement_request_take,
        gettext_lazy("You are now the pair of this request."),
    ),
    "withdraw": (
        ReasonForm,
        services.placement_request_withdraw,
        gettext_lazy("The request was withdrawn."),
    ),
    "no_place": (
        ReasonForm,
        services.placement_request_no_place,
        gettext_lazy("The request was closed: no suitable place."),
    ),
    "decline": (
        ReasonForm,
        services.placement_request_decline,
        gettext_lazy("The unit was asked to search again."),
    ),
    "decide": (
        DecisionForm,
        services.placement_request_decide,
        gettext_lazy("The decision was recorded."),
    ),
    "place": (
        PlaceForm,
        services.placement_request_place,
        gettext_lazy("The placement was started."),
    ),
}


@require_POST
@placements_access_required
def request_step(request, pk, step):
    """Take one step of the status flow; the service decides whether this user may."""
    placement_request = _request_for(request, pk)
    form_class, service, success = STEP_VIEWS[step]
    # a step without fields still gets an (empty) form, to carry the service's message
    form = _step_form(step, request.POST) if form_class else forms.Form({})
    if (
        step in CONFIRMED_STEPS
        and form.is_valid()
        and access.may_take(request.user, placement_request, step)
        and not _confirmed(request)
    ):
        return _confirm_page(
            request,
            heading=CONFIRMED_STEPS[step],
            summary=_step_summary(step, placement_request, form.cleaned_data),
            back_url=reverse("placements:request-detail", args=[pk]),
            back_label=placement_request.title,
        )
    if form.is_valid() and run_service(
        form, lambda: service(request=placement_request, by=request.user, **form.cleaned_data)
    ):
        messages.success(request, success)
        return redirect("placements:request-detail", pk=pk)
    placement_request = _request_for(request, pk)
    if form_class and access.may_take(request.user, placement_request, step):
        bound = {f"{step}_form": form}  # the errors show in the step's own form
    else:
        bound = {"action_form": _errors_only(form)}
    return _detail_response(request, placement_request, bound_forms=bound, status=400)


# Steps that cannot be undone on the pages: each asks for a confirmation first, on a page
# of its own (no JavaScript needed), which posts the same fields back with ``confirmed``.
CONFIRMED_STEPS = {
    "accept": gettext_lazy("Confirm: accept the family"),
    "decide": gettext_lazy("Confirm: record the decision"),
    "place": gettext_lazy("Confirm: start the placement"),
    "end": gettext_lazy("Confirm: end the placement"),
}


def _confirmed(request) -> bool:
    return request.POST.get("confirmed") == "1"


def _confirm_page(request, *, heading, summary, back_url, back_label):
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirmed")
        for value in values
    ]
    return render(
        request,
        "placements/confirm.html",
        {
            "heading": heading,
            "summary": summary,
            "confirm_label": heading,
            "action": request.path,
            "fields": fields,
            "back_url": back_url,
            "back_label": back_label,
        },
    )


def _step_summary(step: str, placement_request, data) -> str:
    if step == "decide":
        return _(
            "Record the decision of %(date)s by %(maker)s (%(reference)s) for %(request)s."
        ) % {
            "date": formats.date_format(data["decision_on"], "SHORT_DATE_FORMAT"),
            "maker": data["decision_maker"],
            "reference": data["decision_reference"],
            "request": placement_request.title,
        }
    return _("Start the placement of %(request)s on %(date)s.") % {
        "request": placement_request.title,
        "date": formats.date_format(data["started_on"], "SHORT_DATE_FORMAT"),
    }


def _errors_only(form) -> forms.Form:
    """The errors of ``form`` on a form without fields, for the top of the steps."""
    errors = forms.Form({})
    errors.is_valid()
    messages_ = [error for field_errors in form.errors.values() for error in field_errors]
    if messages_:
        errors.add_error(None, messages_)
    return errors


def _require(allowed: bool) -> None:
    # Checked after the object is loaded, so other municipalities' objects answer 404.
    if not allowed:
        raise PermissionDenied


def _matching_request_for(request, pk) -> PlacementRequest:
    placement_request = get_object_or_404(
        selectors.placement_request_for_matching(request.user), pk=pk
    )
    _require(access.may_match(request.user))
    return placement_request


def _int_param(request, name: str, default: int) -> int:
    try:
        return max(0, int(request.GET.get(name, default)))
    except ValueError:
        return default


def _matching_response(request, placement_request, propose_form=None, status=200, **extra):
    """The counts per rule and the best fitting families (``?shown=`` of them, without
    JavaScript; "show more" adds rows through ``request_matching_more``)."""
    shown = _int_param(request, "shown", settings.MATCHING_SHOWN) or settings.MATCHING_SHOWN
    result = matching.match_page(
        placement_request, access.proposed_families(request.user), limit=shown
    )
    return render(
        request,
        "placements/request_matching.html",
        {
            "req": placement_request,
            "result": result,
            "step": settings.MATCHING_SHOWN,
            "may_propose": access.may_take(request.user, placement_request, "propose"),
            "propose_form": propose_form,
            # providers' units and support families' free dates, beside the families
            **beside_families(placement_request, result, **extra),
        },
        status=status,
    )


@placements_access_required
def request_matching(request, pk):
    return _matching_response(request, _matching_request_for(request, pk))


@placements_access_required
def request_matching_more(request, pk):
    """The next fitting families from ``?offset=``, as table rows for "show more"."""
    placement_request = _matching_request_for(request, pk)
    offset = _int_param(request, "offset", 0)
    if not request.htmx:
        shown = offset + settings.MATCHING_SHOWN
        return redirect(f"{reverse('placements:request-matching', args=[pk])}?shown={shown}#ranked")
    result = matching.match_page(
        placement_request,
        access.proposed_families(request.user),
        offset=offset,
        limit=settings.MATCHING_SHOWN,
    )
    return render(
        request,
        "placements/_matching_more.html",
        {
            "req": placement_request,
            "result": result,
            "step": settings.MATCHING_SHOWN,
            "may_propose": access.may_take(request.user, placement_request, "propose"),
        },
    )


@placements_access_required
def request_matching_excluded(request, pk):
    """The families the hard rules exclude, a page at a time, each with its reasons: a
    page of its own, or the list's part of the matching page when htmx asks."""
    placement_request = _matching_request_for(request, pk)
    children = list(placement_request.children.all())
    families = matching.excluded_families(
        placement_request, children, access.proposed_families(request.user)
    )
    page = paginate(request, families)
    context = {
        "req": placement_request,
        "page": page,
        "excluded": matching.excluded_matches(placement_request, children, page.object_list),
    }
    if request.htmx:
        return render(request, "placements/_matching_excluded.html", context)
    return render(request, "placements/request_matching_excluded.html", context)


@require_POST
@placements_access_required
def request_propose(request, pk):
    placement_request = _matching_request_for(request, pk)
    form = ProposeForm(request.POST, families=access.proposed_families(request.user))
    if form.is_valid() and run_service(
        form,
        lambda: services.placement_request_propose(
            request=placement_request,
            by=request.user,
            family_ids=[family.pk for family in form.cleaned_data["family"]],
        ),
    ):
        messages.success(request, _("The families were proposed to the municipality."))
        return redirect("placements:request-detail", pk=pk)
    placement_request = _matching_request_for(request, pk)
    return _matching_response(request, placement_request, form, status=400)


@require_POST
@placements_access_required
def proposal_accept(request, pk, proposal_pk):
    placement_request = _request_for(request, pk)
    proposal = get_visible_or_404(
        Proposal.objects.filter(request=placement_request), request.user, pk=proposal_pk
    )
    if (
        access.may_take(request.user, placement_request, "accept")
        and not proposal.declined
        and not _confirmed(request)
    ):
        if proposal.provider_unit_id:
            heading = _("Confirm: accept the unit")
            summary = _(
                "Accept %(unit)s for %(request)s. The unit's places are then kept for these "
                "children until the placement starts."
            ) % {"unit": proposal.place, "request": placement_request.title}
        else:
            heading = CONFIRMED_STEPS["accept"]
            summary = _(
                "Accept %(family)s for %(request)s. The family is then kept for these "
                "children until the placement starts."
            ) % {"family": proposal.family, "request": placement_request.title}
        return _confirm_page(
            request,
            heading=heading,
            summary=summary,
            back_url=reverse("placements:request-detail", args=[pk]),
            back_label=placement_request.title,
        )
    form = forms.Form({})  # carries the service's reason when it refuses
    if form.is_valid() and run_service(
        form, lambda: services.proposal_accept(proposal=proposal, by=request.user)
    ):
        messages.success(request, _("You accepted %(family)s.") % {"family": proposal.place})
        return redirect("placements:request-detail", pk=pk)
    return _detail_response(
        request, _request_for(request, pk), bound_forms={"action_form": form}, status=400
    )


@placements_access_required
def request_share(request, pk):
    placement_request = _request_for(request, pk)
    _require(access.may_share(request.user))
    form = _share_form(placement_request, request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: services.placement_request_share(
                request=placement_request, by=request.user, with_user=form.cleaned_data["user"]
            ),
        )
    ):
        messages.success(request, _("The request was shared."))
        return redirect("placements:request-detail", pk=pk)
    return _share_page(request, placement_request, form, status=_status(form))


def _share_form(placement_request, data=None) -> ShareForm:
    return ShareForm(
        data,
        users=selectors.share_candidates(placement_request),
        search_url=reverse("placements:request-share-search", args=[placement_request.pk]),
    )


@placements_access_required
def request_share_search(request, pk):
    """The workers the request may be shared with whose name or municipality matches what
    was typed (the share form's picker)."""
    placement_request = get_visible_or_404(
        PlacementRequest.objects.only("pk", "municipality_id"), request.user, pk=pk
    )
    _require(access.may_share(request.user))
    return picker_search(
        request,
        selectors.share_candidates(placement_request).select_related("organisation"),
        WORKER_SEARCH_FIELDS,
        label=worker_label,
    )


def _share_page(request, placement_request, form, status=200):
    return render(
        request,
        "placements/request_share.html",
        {
            "form": form,
            "req": placement_request,
            "shared_with": selectors.request_shared_with(placement_request),
        },
        status=status,
    )


@require_POST
@placements_access_required
def request_unshare(request, pk):
    placement_request = _request_for(request, pk)
    _require(access.may_share(request.user))
    shared_with = selectors.request_shared_with(placement_request)
    form = UnshareForm(request.POST, users=shared_with)
    if form.is_valid() and run_service(
        form,
        lambda: services.placement_request_unshare(
            request=placement_request, by=request.user, with_user=form.cleaned_data["user"]
        ),
    ):
        messages.success(
            request,
            _("%(user)s no longer sees the request.") % {"user": form.cleaned_data["user"]},
        )
        return redirect("placements:request-share", pk=pk)
    share_form = _share_form(placement_request)
    messages.error(request, _("Choose a worker the request is shared with."))
    return _share_page(request, placement_request, share_form, status=400)


# Children ----------------------------------------------------------------------------


@placements_access_required
def child_list(request):
    children = selectors.child_list(request.user)
    return render(
        request,
        "placements/child_list.html",
        {"page": paginate(request, children), "may_add": access.may_add_child(request.user)},
    )


@placements_access_required
def child_detail(request, pk):
    child = get_object_or_404(selectors.child_detail(request.user), pk=pk)
    reveal = IdentityCodeForm(request.GET).reveal and bool(child.personal_identity_code)
    _log_children_viewed(request.user, [child])
    if reveal:
        access_log_record(
            user=request.user,
            action=AccessLogEntry.Action.VIEW,
            obj=child,
            purpose=_("personal identity code shown"),
        )
    return render(
        request,
        "placements/child_detail.html",
        {
            "child": child,
            "reveal": reveal,
            "may_edit": access.may_edit_child(request.user, child),
            "may_correct": access.may_correct_placement(request.user),
        },
    )


def _child_to_edit(request, pk=None) -> Child:
    if pk:
        child = get_visible_or_404(Child.objects, request.user, pk=pk)
        if not access.may_edit_child(request.user, child):
            raise PermissionDenied  # e.g. a child shared with them to read, not to change
        return child
    if access.may_add_child(request.user):
        return Child()
    raise PermissionDenied


@placements_access_required
def child_sibling_search(request, pk=None):
    """The children the child form's siblings picker offers for what was typed: those the
    form accepts (the user's own children; a saved child's of its own municipality)."""
    child = _child_to_edit(request, pk)
    return picker_search(
        request,
        sibling_candidates(selectors.own_children(request.user), child),
        CHILD_SEARCH_FIELDS,
        label=child_label,
    )


@placements_access_required
def child_edit(request, pk=None):
    child = _child_to_edit(request, pk)
    form = ChildForm(
        request.POST or None,
        instance=child,
        user=request.user,
        children=selectors.own_children(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            form,
            lambda: services.child_save(
                child=form.instance,
                by=request.user,
                needs=data["needs"],
                siblings=data["siblings"],
            ),
        )
        if saved:
            messages.success(request, _("The child's details were saved."))
            return redirect("placements:child-detail", pk=saved.pk)
    if request.method == "GET" and child.pk:  # the form shows the whole record
        _log_children_viewed(request.user, [child])
    return render(
        request, "placements/child_form.html", {"form": form, "child": child}, status=_status(form)
    )


@placements_access_required
def proposed_family(request, pk):
    """The fields of a proposed family that the municipal worker needs to choose."""
    family = get_object_or_404(selectors.proposed_family(request.user), pk=pk)
    access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.VIEW,
        obj=family,
        purpose=_("proposed for a placement"),
    )
    return render(request, "placements/proposed_family.html", {"family": family})


# Placements and vacancies ------------------------------------------------------------


def _placement_list_response(request, end_form=None, status=200):
    filterset = PlacementFilter(request.GET, queryset=selectors.placement_list(request.user))
    page = paginate(request, filterset.qs)
    return render(
        request,
        "placements/placement_list.html",
        {
            "filter": filterset,
            "page": page,
            "show_ended": bool(filterset.form.cleaned_data.get("ended")),
            # one type only, e.g. from the work queue's emergency placements
            "placement_type": PlacementType(chosen).label
            if (chosen := filterset.form.cleaned_data.get("placement_type"))
            else "",
            "may_end": access.may_end_placement(request.user),
            "end_form": end_form or PlacementEndForm(),
        },
        status=status,
    )


@placements_access_required
def placement_list(request):
    return _placement_list_response(request)


@require_POST
@placements_access_required
def placement_end(request, pk):
    placement = get_object_or_404(selectors.placement_list(request.user), pk=pk)
    _require(access.may_end_placement(request.user))
    form = PlacementEndForm(request.POST, instance=placement)
    if form.is_valid() and not _confirmed(request):
        return _confirm_page(
            request,
            heading=CONFIRMED_STEPS["end"],
            summary=_("End the placement of %(child)s in %(place)s on %(date)s: %(reason)s.")
            % {
                "child": placement.child,
                "place": placement.place,
                "date": formats.date_format(form.cleaned_data["ended_on"], "SHORT_DATE_FORMAT"),
                "reason": form.instance.get_end_reason_display(),
            },
            back_url=reverse("placements:placement-list"),
            back_label=_("Placements"),
        )
    if form.is_valid() and run_service(
        form,
        lambda: services.placement_end(
            placement=placement,
            by=request.user,
            ended_on=form.cleaned_data["ended_on"],
            end_reason=form.cleaned_data["end_reason"],
        ),
    ):
        messages.success(request, _("The placement was ended."))
        return redirect("placements:placement-list")
    return _placement_list_response(request, end_form=form, status=400)


def _placement_to_correct(request, pk):
    placement = get_object_or_404(selectors.placement_with_history(request.user), pk=pk)
    _require(access.may_correct_placement(request.user))
    return placement


def _correction_page(request, placement, *, form=None, extension_form=None, status=200):
    return render(
        request,
        "placements/placement_correct.html",
        {
            "placement": placement,
            "form": form
            or PlacementCorrectionForm(
                initial={
                    "started_on": placement.started_on,
                    "ended_on": placement.ended_on,
                    "end_reason": placement.end_reason,
                }
            ),
            "extension_form": extension_form
            or EmergencyExtensionForm(
                auto_id="extension_%s",
                initial={
                    "days": placement.extension_days or 30,
                    "decided_on": placement.extension_decided_on,
                },
            ),
            "may_extend": placement.placement_type == PlacementType.EMERGENCY
            and not placement.ended_on,
        },
        status=status,
    )


@placements_access_required
def placement_correct(request, pk):
    """Correct a placement's dates, with the reason; the history is shown below."""
    placement = _placement_to_correct(request, pk)
    if request.method != "POST":
        _log_children_viewed(request.user, [placement.child], _("placement"))
        return _correction_page(request, placement)
    form = PlacementCorrectionForm(request.POST)
    if form.is_valid() and run_service(
        form,
        lambda: services.placement_correct_dates(
            placement=placement, by=request.user, **form.cleaned_data
        ),
    ):
        messages.success(request, _("The placement was corrected."))
        return redirect("placements:placement-correct", pk=pk)
    return _correction_page(request, _placement_to_correct(request, pk), form=form, status=400)


@require_POST
@placements_access_required
def placement_extend(request, pk):
    """Record a 38 a § extension of an emergency placement."""
    placement = _placement_to_correct(request, pk)
    form = EmergencyExtensionForm(request.POST, auto_id="extension_%s")
    if form.is_valid() and run_service(
        form,
        lambda: services.placement_extend_emergency(
            placement=placement, by=request.user, **form.cleaned_data
        ),
    ):
        messages.success(request, _("The extension was recorded."))
        return redirect("placements:placement-correct", pk=pk)
    return _correction_page(
        request, _placement_to_correct(request, pk), extension_form=form, status=400
    )


@placements_access_required
def aftercare_plan_edit(request, pk, plan_pk=None):
    """Record (or update) an aftercare plan agreed with the child's municipality."""
    child = get_object_or_404(selectors.child_detail(request.user), pk=pk)
    _require(access.may_correct_placement(request.user))
    plan = (
        get_object_or_404(child.aftercare_plans.all(), pk=plan_pk)
        if plan_pk
        else AftercarePlan(child=child)
    )
    form = AftercarePlanForm(request.POST if request.method == "POST" else None, instance=plan)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form, lambda: services.aftercare_plan_save(plan=form.instance, by=request.user)
        )
    ):
        messages.success(request, _("The aftercare plan was saved."))
        return redirect("placements:child-detail", pk=pk)
    return render(
        request,
        "placements/aftercare_plan_form.html",
        {"form": form, "child": child, "plan": plan},
        status=_status(form),
    )


def vacancy_board(request):
    if not access.may_see_vacancies(request.user):
        raise PermissionDenied
    return render(
        request,
        "placements/vacancy_board.html",
        {
            "board": selectors.vacancy_board(request.user),
            "providers": provider_vacancies(request.user),
        },
    )
