from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from families import selectors, services
from families.access import may_add_provider, may_read_visit_notes, may_view_providers
from families.filters import FamilyFilter, ProviderFilter
from families.forms import (
    CarerForm,
    FamilyForm,
    FamilyStatusForm,
    HouseholdMemberForm,
    MoveOutForm,
    ProviderForm,
    ProviderUnitForm,
    SupervisionVisitForm,
)
from families.models import (
    Carer,
    Family,
    HouseholdMember,
    Provider,
    ProviderUnit,
    SupervisionVisit,
)
from families.panels import family_panels
from families.worklist import check_validity
from fostercare.access import get_visible_or_404
from fostercare.forms import run_service
from fostercare.htmx import announce
from fostercare.models import AccessLogEntry
from fostercare.paging import paginate
from fostercare.services import access_log_record, access_log_record_many


@permission_required("families.view_family", raise_exception=True)
def family_list(request):
    filterset = FamilyFilter(request.GET or None, queryset=selectors.family_list(request.user))
    template = "families/_family_results.html" if request.htmx else "families/family_list.html"
    if filterset.is_bound and not filterset.is_valid():
        # a filter that could not be read matches nothing: never the whole register
        families, status = filterset.queryset.none(), 400
    else:
        families, status = filterset.qs, 200
    return render(
        request,
        template,
        {
            "filter": filterset,
            "page": paginate(request, families, count_with_page=filterset.reads_each_room),
        },
        status=status,
    )


def _family_for(request, pk) -> Family:
    family = get_visible_or_404(selectors.family_detail(request.user), request.user, pk=pk)
    return selectors.with_skills_and_household(family)


def _family_to_change(request, pk) -> Family:
    return get_visible_or_404(Family.objects, request.user, "change", pk=pk)


def _detail_response(request, family, *, status_form=None, household_form=None, status=200):
    context = {
        "family": family,
        "status_form": status_form or FamilyStatusForm(family=family),
        "household_form": household_form or HouseholdMemberForm(),
        "family_panels": family_panels(),
        "check_validity": check_validity(),
    }
    return render(request, "families/family_detail.html", context, status=status)


@permission_required("families.view_family", raise_exception=True)
def family_detail(request, pk):
    family = _family_for(request, pk)
    # the family's row and, since the page shows every carer and household member, one
    # row for each of them (fostercare.people): one insert
    access_log_record_many(
        user=request.user,
        action=AccessLogEntry.Action.VIEW,
        objs=[family, *family.carers.all(), *family.household_members.all()],
    )
    return _detail_response(request, family)


@permission_required("families.add_family", raise_exception=True)
def family_create(request):
    form = FamilyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        family = run_service(
            form,
            lambda: services.family_create(
                by=request.user,
                special_skills=form.cleaned_data["special_skills"],
                duplicates_confirmed=form.confirms_duplicates,
                **services.family_data(form.cleaned_data),
            ),
        )
        if family:
            messages.success(request, _("The family was added to the register."))
            return redirect("families:family-detail", pk=family.pk)
    return render(request, "families/family_form.html", {"form": form})


@permission_required("families.change_family", raise_exception=True)
def family_update(request, pk):
    family = _family_to_change(request, pk)
    form = FamilyForm(request.POST or None, instance=family)
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            form,
            lambda: services.family_update(
                family=family,
                by=request.user,
                special_skills=form.cleaned_data["special_skills"],
                duplicates_confirmed=form.confirms_duplicates,
                **services.family_data(form.cleaned_data),
            ),
        )
        if updated:
            messages.success(request, _("The changes were saved."))
            return redirect("families:family-detail", pk=family.pk)
    if request.method == "GET":  # the form shows the whole record
        access_log_record(user=request.user, action=AccessLogEntry.Action.VIEW, obj=family)
    return render(request, "families/family_form.html", {"form": form, "family": family})


@require_POST
@permission_required("families.change_family", raise_exception=True)
def family_change_status(request, pk):
    family = _family_for(request, pk)
    form = FamilyStatusForm(request.POST, family=family)
    if form.is_valid() and run_service(
        form,
        lambda: services.family_change_status(
            family=family,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        ),
    ):
        family = _family_for(request, pk)
        form = None
        if not request.htmx:
            messages.success(request, _("The status was changed."))
            return redirect("families:family-detail", pk=pk)
    status = 200 if form is None else 400
    if not request.htmx:
        return _detail_response(request, family, status_form=form, status=status)
    response = render(
        request,
        "families/_family_status.html",
        {
            "family": family,
            "status_form": form or FamilyStatusForm(family=family),
        },
        status=status,
    )
    if form is None:
        announce(
            response,
            _("The status was changed to “%(status)s”.") % {"status": family.get_status_display()},
        )
    return response


@permission_required("families.change_family", raise_exception=True)
def carer_edit(request, family_pk, pk=None):
    family = _family_to_change(request, family_pk)
    carer = (
        get_visible_or_404(Carer.objects, request.user, "change", family=family, pk=pk)
        if pk
        else Carer(family=family)
    )
    form = CarerForm(request.POST or None, instance=carer)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.carer_save(
                carer=form.instance, by=request.user, duplicates_confirmed=form.confirms_duplicates
            ),
        )
        if saved:
            messages.success(request, _("The carer was saved."))
            return redirect("families:family-detail", pk=family.pk)
    if request.method == "GET" and carer.pk:  # the form shows the whole record
        access_log_record(user=request.user, action=AccessLogEntry.Action.VIEW, obj=carer)
    return render(
        request, "families/carer_form.html", {"form": form, "family": family, "carer": carer}
    )


def _household_response(request, family_pk, form, done: str = ""):
    family = _family_for(request, family_pk)
    if not request.htmx:
        if form is None:
            return redirect("families:family-detail", pk=family.pk)
        return _detail_response(request, family, household_form=form, status=400)
    response = render(
        request,
        "families/_household.html",
        {"family": family, "household_form": form or HouseholdMemberForm()},
        status=200 if form is None else 400,
    )
    return announce(response, done) if form is None and done else response


@require_POST
@permission_required("families.change_family", raise_exception=True)
def household_member_add(request, family_pk):
    family = _family_to_change(request, family_pk)
    form = HouseholdMemberForm(request.POST)
    if form.is_valid() and run_service(
        form,
        lambda: services.household_member_add(family=family, by=request.user, **form.cleaned_data),
    ):
        form = None
    return _household_response(request, family.pk, form, done=_("The household member was added."))


@require_POST
@permission_required("families.change_family", raise_exception=True)
def household_member_remove(request, family_pk, pk):
    family = _family_to_change(request, family_pk)
    member = get_visible_or_404(
        HouseholdMember.objects, request.user, "delete", family=family, pk=pk
    )
    services.household_member_remove(member=member, by=request.user)
    return _household_response(
        request, family.pk, None, done=_("The household member was removed.")
    )


def providers_readable(view):
    """The provider register's pages: the unit, and municipal workers reading them."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_view_providers(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@providers_readable
def provider_list(request):
    filterset = ProviderFilter(request.GET or None, queryset=selectors.provider_list(request.user))
    providers = filterset.qs
    return render(
        request,
        "families/provider_list.html",
        {
            "filter": filterset,
            "page": paginate(request, providers),
        },
    )


def _provider_for(request, pk) -> Provider:
    return get_visible_or_404(selectors.provider_detail(request.user), request.user, pk=pk)


def _provider_context(request, provider, visit_form=None) -> dict:
    return {
        "provider": provider,
        "visit_form": visit_form or SupervisionVisitForm(),
        "may_read_visit_notes": may_read_visit_notes(request.user),
        "check_validity": check_validity(),
    }


@providers_readable
def provider_detail(request, pk):
    provider = _provider_for(request, pk)
    return render(request, "families/provider_detail.html", _provider_context(request, provider))


@permission_required("families.change_provider", raise_exception=True)
def provider_unit_edit(request, provider_pk, pk=None):
    provider = get_visible_or_404(Provider.objects, request.user, "change", pk=provider_pk)
    unit = (
        get_visible_or_404(ProviderUnit.objects, request.user, "change", provider=provider, pk=pk)
        if pk
        else ProviderUnit(provider=provider)
    )
    form = ProviderUnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, lambda: services.provider_unit_save(unit=form.instance, by=request.user)
        )
        if saved:
            messages.success(request, _("The unit was saved."))
            return redirect("families:provider-detail", pk=provider.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "families/provider_unit_form.html",
        {"form": form, "provider": provider, "provider_unit": unit},
        status=status,
    )


@permission_required("families.change_provider", raise_exception=True)
def provider_edit(request, pk=None):
    if pk:
        provider = get_visible_or_404(Provider.objects, request.user, "change", pk=pk)
    elif may_add_provider(request.user):
        provider = Provider()
    else:
        raise PermissionDenied
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, lambda: services.provider_save(provider=form.instance, by=request.user)
        )
        if saved:
            messages.success(request, _("The provider was saved."))
            return redirect("families:provider-detail", pk=saved.pk)
    return render(request, "families/provider_form.html", {"form": form, "provider": provider})


def _visits_response(request, provider_pk, form):
    provider = _provider_for(request, provider_pk)
    status = 200 if form is None else 400
    context = _provider_context(request, provider, form)
    if request.htmx:
        return render(request, "families/_visits.html", context, status=status)
    if form is None:
        return redirect("families:provider-detail", pk=provider.pk)
    return render(request, "families/provider_detail.html", context, status=status)


@require_POST
@permission_required("families.add_supervisionvisit", raise_exception=True)
def supervision_visit_add(request, provider_pk):
    provider = get_visible_or_404(Provider.objects, request.user, pk=provider_pk)
    form = SupervisionVisitForm(request.POST, instance=SupervisionVisit(provider=provider))
    if form.is_valid() and run_service(
        form, lambda: services.supervision_visit_save(visit=form.instance, by=request.user)
    ):
        form = None
    return _visits_response(request, provider.pk, form)


@require_POST
@permission_required("families.change_supervisionvisit", raise_exception=True)
def supervision_follow_up_done(request, provider_pk, pk):
    provider = get_visible_or_404(Provider.objects, request.user, pk=provider_pk)
    visit = get_visible_or_404(
        SupervisionVisit.objects, request.user, "change", provider=provider, pk=pk
    )
    services.supervision_follow_up_done(visit=visit, by=request.user)
    return _visits_response(request, provider.pk, None)


@require_POST
@permission_required("families.change_family", raise_exception=True)
def carer_move_out(request, family_pk, pk):
    """A carer moves out: an end date; the carer stays on record."""
    family = _family_to_change(request, family_pk)
    carer = get_visible_or_404(Carer.objects, request.user, "change", family=family, pk=pk)
    form = MoveOutForm(request.POST, auto_id=f"carer-{pk}-%s")
    if form.is_valid() and run_service(
        form, lambda: services.carer_move_out(carer=carer, by=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The move-out was recorded."))
        return redirect("families:family-detail", pk=family.pk)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _detail_response(request, _family_for(request, family_pk), status=400)


@require_POST
@permission_required("families.change_family", raise_exception=True)
def household_member_move_out(request, family_pk, pk):
    """A household member moves out: kept with the date, no longer counted."""
    family = _family_to_change(request, family_pk)
    member = get_visible_or_404(
        HouseholdMember.objects, request.user, "change", family=family, pk=pk
    )
    form = MoveOutForm(request.POST)
    if form.is_valid() and run_service(
        form,
        lambda: services.household_member_move_out(
            member=member, by=request.user, **form.cleaned_data
        ),
    ):
        messages.success(request, _("The move-out was recorded."))
        return redirect("families:family-detail", pk=family.pk)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _detail_response(request, _family_for(request, family_pk), status=400)


@permission_required("families.change_supervisionvisit", raise_exception=True)
def supervision_visit_update(request, provider_pk, pk):
    """Correct a recorded supervision visit (date, visitors, findings, follow-up)."""
    provider = get_visible_or_404(Provider.objects, request.user, pk=provider_pk)
    visit = get_visible_or_404(
        SupervisionVisit.objects, request.user, "change", provider=provider, pk=pk
    )
    form = SupervisionVisitForm(request.POST if request.method == "POST" else None, instance=visit)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: services.supervision_visit_correct(visit=form.instance, by=request.user),
        )
    ):
        messages.success(request, _("The supervision visit was corrected."))
        return redirect("families:provider-detail", pk=provider.pk)
    return render(
        request,
        "families/supervision_visit_form.html",
        {"form": form, "provider": provider, "visit": visit},
        status=400 if form.is_bound and form.errors else 200,
    )
