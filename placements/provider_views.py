"""The matching page's providers (and a support request's free dates), beside the
families; proposing providers' units. Kept apart from the families' matching views."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from families.models import ProviderUnit
from fostercare.forms import run_service
from placements import services
from placements.access import may_use_placements
from placements.forms import ProposeProvidersForm
from placements.models import PlacementRequest, PlacementType
from placements.provider_matching import match_provider_units
from placements.support import free_weekends


def beside_families(placement_request: PlacementRequest, result, provider_form=None) -> dict:
    """Context for the matching page's includes: the providers' units ranked by their own
    hard rules, or, for a support-family request, the free weekends of the families that
    fit (a support family is not a provider)."""
    if placement_request.placement_type == PlacementType.SUPPORT_FAMILY:
        families = [match.family for match in result.ranked]
        start = max(placement_request.wished_start_on, timezone.localdate())
        free = free_weekends([family.pk for family in families], start)
        return {"support_free_dates": [(family, free[family.pk]) for family in families]}
    return {
        "providers": match_provider_units(placement_request),
        "provider_form": provider_form,
    }


@require_POST
def request_propose_providers(request, pk):
    from placements.views import _matching_request_for, _matching_response

    if not may_use_placements(request.user):
        raise PermissionDenied
    placement_request = _matching_request_for(request, pk)
    form = ProposeProvidersForm(request.POST, units=ProviderUnit.objects.visible_to(request.user))
    if form.is_valid() and run_service(
        form,
        lambda: services.placement_request_propose_providers(
            request=placement_request,
            by=request.user,
            unit_ids=[unit.pk for unit in form.cleaned_data["unit"]],
        ),
    ):
        messages.success(request, _("The units were proposed to the municipality."))
        return redirect("placements:request-detail", pk=pk)
    placement_request = _matching_request_for(request, pk)
    return _matching_response(request, placement_request, status=400, provider_form=form)
