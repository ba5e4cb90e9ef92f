from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from experts import access, selectors, services
from experts.filters import ConsultationFilter, ExpertFilter
from experts.forms import ConsultationForm, ExpertForm, concern_pickers
from experts.models import Consultation, Expert
from fostercare.access import get_visible_or_404, may
from fostercare.forms import run_service
from fostercare.models import AccessLogEntry
from fostercare.paging import paginate
from fostercare.pickers import MEMBER_SEARCH_FIELDS, member_organisations, picker_search
from fostercare.services import access_log_record_many


def _requires(predicate):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


# Experts -----------------------------------------------------------------------------


@_requires(access.may_search_experts)
def expert_list(request):
    filterset = ExpertFilter(request.GET or None, queryset=selectors.expert_list(request.user))
    template = "experts/_expert_results.html" if request.htmx else "experts/expert_list.html"
    return render(
        request,
        template,
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "may_maintain": access.may_maintain_experts(request.user),
        },
    )


@_requires(access.may_search_experts)
def expert_detail(request, pk):
    expert = get_object_or_404(selectors.expert_detail(request.user), pk=pk)
    return render(
        request,
        "experts/expert_detail.html",
        {"expert": expert, "may_maintain": access.may_maintain_experts(request.user)},
    )


@_requires(access.may_maintain_experts)
def expert_serves_search(request):
    """The member organisations matching what was typed (the expert form's "serves")."""
    return picker_search(request, member_organisations(), MEMBER_SEARCH_FIELDS)


@_requires(access.may_maintain_experts)
def expert_edit(request, pk=None):
    expert = (
        get_object_or_404(selectors.experts_listed_for(request.user), pk=pk) if pk else Expert()
    )
    form = ExpertForm(request.POST if request.method == "POST" else None, instance=expert)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.expert_save(
                expert=form.instance,
                by=request.user,
                expertise=form.cleaned_data["expertise"],
                serves=form.cleaned_data["serves"],
            ),
        )
        if saved and saved.is_withdrawn:
            messages.success(
                request,
                _("The consent was withdrawn: %(name)s is no longer listed anywhere.")
                % {"name": saved.name},
            )
            return redirect("experts:expert-list")
        if saved:
            messages.success(request, _("The expert was saved."))
            return redirect("experts:expert-detail", pk=saved.pk)
    return render(
        request,
        "experts/expert_form.html",
        {"form": form, "expert": expert if pk else None},
        status=_status(form),
    )


# Consultations -----------------------------------------------------------------------


@_requires(access.may_see_consultations)
def consultation_list(request):
    see_every_member = may(request.user, "view", Consultation)
    filterset = ConsultationFilter(
        request.GET or None,
        queryset=selectors.consultation_list(request.user),
        see_every_member=see_every_member,
    )
    return render(
        request,
        "experts/consultation_list.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "may_log": access.may_log_consultations(request.user),
            "may_total": see_every_member,
        },
    )


@_requires(access.may_see_consultations)
def consultation_detail(request, pk):
    consultation = get_visible_or_404(
        selectors.consultation_detail(request.user), request.user, pk=pk
    )
    if consultation.concerns_a_client:
        # Client Data Act 703/2023: the child (or the request's children) was viewed.
        concerned = [consultation.child] if consultation.child else []
        if consultation.placement_request:
            concerned += [
                c for c in consultation.placement_request.children.all() if c not in concerned
            ]
        access_log_record_many(
            user=request.user,
            action=AccessLogEntry.Action.VIEW,
            objs=concerned or [consultation.placement_request],
            purpose=_("consultation"),
        )
    return render(
        request,
        "experts/consultation_detail.html",
        {
            "consultation": consultation,
            "may_edit": may(request.user, "change", Consultation),
        },
    )


@_requires(access.may_see_consultations)
def consultation_search(request, field):
    """What the consultation form's ``field`` may pick, matching what was typed: for who
    logs or corrects consultations."""
    if not (
        access.may_log_consultations(request.user) or may(request.user, "change", Consultation)
    ):
        raise PermissionDenied
    queryset, search_fields = concern_pickers(request.user)[field]
    label = ConsultationForm.base_fields[field].label_from_instance
    return picker_search(request, queryset, search_fields, label=label)


@_requires(access.may_see_consultations)
def consultation_edit(request, pk=None):
    if pk:
        # 404 for another municipality's consultation, 403 for one's own but read-only
        consultation = get_visible_or_404(
            Consultation.objects.visible_to(request.user), request.user, pk=pk
        )
        if not may(request.user, "change", Consultation):
            raise PermissionDenied
    else:
        if not access.may_log_consultations(request.user):
            raise PermissionDenied
        consultation = Consultation(held_on=timezone.localdate())
    form = ConsultationForm(
        request.POST if request.method == "POST" else None, instance=consultation, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.consultation_save(
                consultation=form.instance,
                by=request.user,
                experts=form.cleaned_data["experts"],
            ),
        )
        if saved:
            messages.success(request, _("The consultation was saved."))
            return redirect("experts:consultation-detail", pk=saved.pk)
    return render(
        request,
        "experts/consultation_form.html",
        {"form": form, "consultation": consultation if pk else None},
        status=_status(form),
    )


@_requires(lambda user: may(user, "view", Consultation))
def consultation_totals(request):
    years = selectors.consultation_years(request.user)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[0] if years else timezone.localdate().year
    return render(
        request,
        "experts/consultation_totals.html",
        {
            "year": year,
            "years": sorted(set(years) | {year}, reverse=True),
            "rows": selectors.consultation_quarterly_totals(request.user, year),
            "kinds": Consultation.Kind.choices,
        },
    )
