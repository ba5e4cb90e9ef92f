import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from families.models import Family, FamilyStatusChange
from families.services import family_change_status, family_create
from tests.families.factories import FamilyFactory, family_passing_the_gates


def test_status_change_writes_history(unit_worker):
    family = family_passing_the_gates(status=Family.Status.ASSESSMENT)

    family_change_status(
        family=family, to_status=Family.Status.APPROVED, by=unit_worker, reason="Valmis"
    )

    family.refresh_from_db()
    assert family.status == Family.Status.APPROVED
    change = FamilyStatusChange.objects.get(family=family)
    assert (change.from_status, change.to_status) == ("assessment", "approved")
    assert change.changed_by == unit_worker
    assert change.reason == "Valmis"


def test_illegal_status_change_is_rejected_and_writes_nothing(unit_worker):
    family = FamilyFactory(status=Family.Status.INQUIRY)

    with pytest.raises(ValidationError):
        family_change_status(family=family, to_status=Family.Status.ACTIVE, by=unit_worker)

    family.refresh_from_db()
    assert family.status == Family.Status.INQUIRY
    assert not FamilyStatusChange.objects.exists()


def test_created_family_starts_as_inquiry_with_history(unit_worker):
    family = family_create(by=unit_worker, name="Perhe Uusi", kind=Family.Kind.SUPPORT)

    assert family.status == Family.Status.INQUIRY
    assert family.status_changes.get().to_status == Family.Status.INQUIRY


def test_status_action_by_htmx_returns_the_updated_section(client_for, unit_worker):
    family = family_passing_the_gates(status=Family.Status.APPROVED)

    response = client_for(unit_worker).post(
        reverse("families:family-status", args=[family.pk]),
        {"to_status": "active", "reason": "Lapsi sijoitettu"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "Lapsi sijoitettu" in response.content.decode()
    family.refresh_from_db()
    assert family.status == Family.Status.ACTIVE


def test_status_action_rejects_a_status_not_allowed_next(client_for, unit_worker):
    family = FamilyFactory(status=Family.Status.INQUIRY)

    response = client_for(unit_worker).post(
        reverse("families:family-status", args=[family.pk]), {"to_status": "active"}
    )

    assert response.status_code == 400
    family.refresh_from_db()
    assert family.status == Family.Status.INQUIRY
    assert not FamilyStatusChange.objects.exists()


def test_history_cannot_be_edited_in_admin(client_for, admin_user, unit_worker):
    family = family_passing_the_gates(status=Family.Status.ASSESSMENT)
    family_change_status(family=family, to_status=Family.Status.APPROVED, by=unit_worker)
    change = FamilyStatusChange.objects.get()
    client = client_for(admin_user)

    response = client.post(
        reverse("admin:families_familystatuschange_change", args=[change.pk]),
        {"to_status": "ended"},
    )

    assert response.status_code == 403
    change.refresh_from_db()
    assert change.to_status == "approved"


@pytest.mark.parametrize("status", [s for s, _label in Family.Status.choices])
def test_status_dropdown_never_preselects_a_backward_step(status, unit_worker, client_for):
    from families.services import status_change_needs_reason

    family = FamilyFactory(status=status)
    page = client_for(unit_worker).get(reverse("families:family-detail", args=[family.pk]))
    form = page.context["status_form"]
    if not form.fields["to_status"].choices:
        return
    html = str(form["to_status"])
    selected = form["to_status"].value() or ""
    # what the browser submits: the selected option, else the first one
    first = form.fields["to_status"].choices[0][0]
    submitted = selected if "selected" in html else first
    assert not submitted or not status_change_needs_reason(status, submitted), (status, submitted)
