"""Pages of support-family arrangements: agree on one from an accepted support request,
add its stays from the pattern or one by one, move or cancel a stay."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fostercare.forms import run_service
from fostercare.models import AccessLogEntry
from fostercare.paging import paginate
from fostercare.services import access_log_record, access_log_record_many
from placements import access, selectors, support
from placements.forms import (
    ReasonForm,
    SupportArrangementForm,
    SupportStayForm,
    SupportStayMoveForm,
)
from placements.models import SupportArrangement, SupportArrangementEvent, SupportStay


def _placements_access_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not access.may_use_placements(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def arrangement_list_for(user) -> QuerySet[SupportArrangement]:
    """Arrangements with the stays not cancelled (``active_stays``), in one more query."""
    return (
        SupportArrangement.objects.visible_to(user)
        .select_related("child", "family", "municipality")
        .prefetch_related(
            Prefetch("stays", queryset=SupportStay.objects.active(), to_attr="active_stays")
        )
    )


def arrangement_detail_for(user) -> QuerySet[SupportArrangement]:
    return (
        SupportArrangement.objects.visible_to(user)
        .select_related("child", "family", "municipality", "request")
        .prefetch_related(
            "stays",
            Prefetch("events", queryset=SupportArrangementEvent.objects.select_related("by")),
        )
    )


@_placements_access_required
def arrangement_list(request):
    arrangements = arrangement_list_for(request.user)
    request_pk = request.GET.get("request", "")
    if request_pk.isdigit():
        arrangements = arrangements.filter(request_id=int(request_pk))
    page = paginate(request, arrangements)
    access_log_record_many(
        user=request.user,
        action=AccessLogEntry.Action.VIEW,
        objs=[arrangement.child for arrangement in page.object_list],
        purpose=_("support-family arrangement"),
    )
    return render(request, "placements/arrangement_list.html", {"page": page})


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@_placements_access_required
def arrangement_create(request, pk):
    placement_request = get_object_or_404(selectors.placement_request_detail(request.user), pk=pk)
    if not access.may_take(request.user, placement_request, "arrange"):
        raise PermissionDenied
    form = SupportArrangementForm(
        request.POST or None,
        initial={"starts_on": placement_request.wished_start_on, "weekend_of_month": 1},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = run_service(
            form,
            lambda: support.support_arrangement_create(
                request=placement_request,
                by=request.user,
                pattern=data["pattern"],
                weekend_of_month=data["weekend_of_month"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            ),
        )
        if created:
            messages.success(request, _("The arrangement was agreed. Add its stays next."))
            return redirect("placements:arrangement-detail", pk=created[0].pk)
    return render(
        request,
        "placements/arrangement_form.html",
        {"form": form, "req": placement_request},
        status=_status(form),
    )


def _detail(request, arrangement, *, refused=None, status=200):
    context = {
        "arrangement": arrangement,
        "may_change": access.may_arrange_support(request.user, arrangement),
        "add_form": SupportStayForm(auto_id="add_%s"),
        "refused": refused,  # the bound form of a refused write, for its reasons
    }
    return render(request, "placements/arrangement_detail.html", context, status=status)


def _arrangement_for(request, pk) -> SupportArrangement:
    return get_object_or_404(arrangement_detail_for(request.user), pk=pk)


@_placements_access_required
def arrangement_detail(request, pk):
    arrangement = _arrangement_for(request, pk)
    access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.VIEW,
        obj=arrangement.child,
        purpose=_("support-family arrangement"),
    )
    return _detail(request, arrangement)


def _write(request, pk, form, service, success):
    """Run one write on an arrangement's stays; on a refusal, the page with the reasons."""
    if form.is_valid() and run_service(form, service):
        messages.success(request, success)
        return redirect("placements:arrangement-detail", pk=pk)
    return _detail(request, _arrangement_for(request, pk), refused=form, status=400)


def _changeable(request, pk) -> SupportArrangement:
    arrangement = _arrangement_for(request, pk)
    if not access.may_arrange_support(request.user, arrangement):
        raise PermissionDenied
    return arrangement


@require_POST
@_placements_access_required
def stays_generate(request, pk):
    arrangement = _changeable(request, pk)
    form = forms.Form({})  # carries the service's reasons
    return _write(
        request,
        pk,
        form,
        lambda: support.support_stays_generate(arrangement=arrangement, by=request.user),
        _("The stays of the pattern were added."),
    )


@require_POST
@_placements_access_required
def stay_add(request, pk):
    arrangement = _changeable(request, pk)
    form = SupportStayForm(request.POST)
    return _write(
        request,
        pk,
        form,
        lambda: support.support_stay_add(
            arrangement=arrangement, by=request.user, **form.cleaned_data
        ),
        _("The stay was added."),
    )


def _stay_for(request, pk, stay_pk) -> SupportStay:
    arrangement = _changeable(request, pk)
    return get_object_or_404(SupportStay.objects.filter(arrangement=arrangement), pk=stay_pk)


@require_POST
@_placements_access_required
def stay_move(request, pk, stay_pk):
    stay = _stay_for(request, pk, stay_pk)
    form = SupportStayMoveForm(request.POST)
    return _write(
        request,
        pk,
        form,
        lambda: support.support_stay_move(stay=stay, by=request.user, **form.cleaned_data),
        _("The stay was moved."),
    )


@require_POST
@_placements_access_required
def stay_cancel(request, pk, stay_pk):
    stay = _stay_for(request, pk, stay_pk)
    form = ReasonForm(request.POST)
    return _write(
        request,
        pk,
        form,
        lambda: support.support_stay_cancel(
            stay=stay, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("The stay was cancelled."),
    )
