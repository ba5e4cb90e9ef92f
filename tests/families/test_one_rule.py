"""Issue 8, "One rule, one place": each rule of the register holds whatever the door."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from families import selectors
from families.models import (
    Carer,
    Family,
    FamilyStatusChange,
    HouseholdMember,
    Provider,
    SupervisionVisit,
)
from families.services import family_change_status
from fostercare.access import RestrictedQuerySet
from fostercare.models import AccessLogEntry
from tests.families.factories import (
    CarerFactory,
    FamilyFactory,
    HouseholdMemberFactory,
    SupervisionVisitFactory,
)
from tests.placements.factories import ChildFactory, PlacementRequestFactory, ProposalFactory

ROOT = Path(__file__).resolve().parents[2]
PERSONAL = [Family, Carer, HouseholdMember, FamilyStatusChange, Provider, SupervisionVisit]


def _ready_family(**fields):
    """A foster family that passes every gate."""
    values = {
        "status": Family.Status.ASSESSMENT,
        "pre_service_training_completed_on": date(2025, 5, 1),
        "home_study_approved_on": date(2025, 6, 1),
    }
    values.update(fields)
    family = FamilyFactory(**values)
    return family


def _seen_carer(family, user):
    return CarerFactory(
        family=family, criminal_record_seen_on=date(2025, 4, 1), criminal_record_seen_by=user
    )


# --- one access mechanism ---------------------------------------------------------------


@pytest.mark.parametrize("model", PERSONAL, ids=lambda m: m.__name__)
def test_every_register_model_with_personal_data_loads_through_visible_to(
    model, kemi_worker, unit_worker
):
    SupervisionVisitFactory()
    HouseholdMemberFactory(family=CarerFactory().family)
    FamilyStatusChange.objects.create(family=Family.objects.first(), to_status="approved")
    assert isinstance(model.objects.all(), RestrictedQuerySet)
    # the provider register's public facts are read by municipal workers, never changed
    public = model in (Provider, SupervisionVisit)
    assert model.objects.visible_to(kemi_worker).exists() == public
    assert not model.objects.visible_to(kemi_worker, "change").exists()
    assert model.objects.visible_to(unit_worker).exists()


def test_the_register_has_no_copies_of_the_visibility_rule():
    for name in ("families_visible_to", "providers_visible_to", "_free_places"):
        assert not hasattr(selectors, name), name


def test_no_view_or_template_tag_reads_personal_data_through_objects():
    models = "|".join(m.__name__ for m in PERSONAL) + "|Course|Session|Enrolment|Attendance"
    models += "|IndividualMeeting|ReadinessAssessment|Inquiry|InquiryStageChange"
    # allowed: Model.objects.visible_to(...) and get_visible_or_404(Model.objects, user, ...)
    pattern = re.compile(
        rf"\b({models})\.objects\b"
        r"(?!\.visible_to\(|, request\.user|\.select_related\([^)]*\),\s*request\.user)"
    )
    bare = re.compile(rf"get_object_or_404\(\s*({models})\b")
    files = [
        ROOT / "families/views.py",
        ROOT / "training/views.py",
        *ROOT.glob("families/templatetags/*.py"),
        *ROOT.glob("training/templatetags/*.py"),
    ]
    found = [
        f"{f.name}: {m.group(0)}"
        for f in files
        for regex in (pattern, bare)
        for m in regex.finditer(f.read_text())
    ]
    assert found == []


# --- derived figures defined once -------------------------------------------------------


def test_free_places_with_an_accepted_proposal_are_the_same_everywhere(client_for, unit_worker):
    family = _ready_family(status=Family.Status.APPROVED, places=3, name="Perhe Varattu")
    request = PlacementRequestFactory(status="accepted", children=[ChildFactory()])
    ProposalFactory(request=request, family=family, accepted=True)
    expected = Family.objects.with_room().get(pk=family.pk)
    assert expected.free_places == 2  # three places, one child reserved
    client = client_for(unit_worker)

    listed = client.get(reverse("families:family-list")).context["page"].object_list
    assert [f.free_places for f in listed] == [2]
    over = client.get(reverse("families:family-list"), {"free_places": 3})
    assert list(over.context["page"].object_list) == []
    filtered = client.get(reverse("families:family-list"), {"free_places": 2})
    assert [f.name for f in filtered.context["page"].object_list] == ["Perhe Varattu"]
    detail = client.get(reverse("families:family-detail", args=[family.pk]))
    assert detail.context["family"].free_places == expected.free_places


def test_ages_search_omits_families_in_inquiry_and_over_the_legal_capacity(client_for, unit_worker):
    _ready_family(status=Family.Status.APPROVED, name="Fits", places=2)
    _ready_family(status=Family.Status.INQUIRY, name="Inquiry", places=2)
    full = _ready_family(status=Family.Status.APPROVED, name="Over capacity", places=2)
    # two places, but with three counted household members the 7 § limit of 4 leaves one
    HouseholdMemberFactory.create_batch(3, family=full)
    response = client_for(unit_worker).get(reverse("families:family-list"), {"ages": "7, 4"})
    assert [f.name for f in response.context["page"].object_list] == ["Fits"]


# --- lifecycle gates --------------------------------------------------------------------


def test_approving_without_a_seen_criminal_record_extract_is_refused(unit_worker):
    family = _ready_family()
    CarerFactory(family=family, first_name="Aino", last_name="Ahonen")
    with pytest.raises(ValidationError, match="No criminal-record extract has been seen for Aino"):
        family_change_status(family=family, to_status=Family.Status.APPROVED, by=unit_worker)
    family.refresh_from_db()
    assert family.status == Family.Status.ASSESSMENT


def test_approving_without_an_approved_home_study_is_refused(unit_worker):
    family = _ready_family(home_study_approved_on=None)
    _seen_carer(family, unit_worker)
    with pytest.raises(ValidationError, match="The home study is not approved"):
        family_change_status(family=family, to_status=Family.Status.APPROVED, by=unit_worker)


def test_approving_without_training_is_refused_and_names_every_gap(unit_worker):
    family = _ready_family(pre_service_training_completed_on=None, home_study_approved_on=None)
    _seen_carer(family, unit_worker)
    with pytest.raises(ValidationError) as refused:
        family_change_status(family=family, to_status=Family.Status.APPROVED, by=unit_worker)
    message = " ".join(refused.value.messages)
    assert "Pre-service training is not completed" in message
    assert "The home study is not approved" in message


def test_a_family_that_passes_the_gates_is_approved(unit_worker):
    family = _ready_family()
    _seen_carer(family, unit_worker)
    family = family_change_status(family=family, to_status="approved", by=unit_worker)
    assert family.status == Family.Status.APPROVED


def test_a_backward_or_ending_change_needs_a_reason(unit_worker):
    family = _ready_family(status=Family.Status.APPROVED)
    with pytest.raises(ValidationError, match="Give the reason"):
        family_change_status(family=family, to_status=Family.Status.ENDED, by=unit_worker)
    family_change_status(
        family=family, to_status=Family.Status.ENDED, by=unit_worker, reason="Moved away"
    )


def test_the_status_form_asks_for_a_reason_and_a_confirmation_to_go_back(client_for, unit_worker):
    family = _ready_family(status=Family.Status.APPROVED)
    url = reverse("families:family-status", args=[family.pk])
    client = client_for(unit_worker)
    response = client.post(url, {"to_status": "paused"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    response = client.post(url, {"to_status": "paused", "reason": "Illness"})
    assert response.status_code == 400
    assert "Confirm" in response.content.decode()
    response = client.post(url, {"to_status": "paused", "reason": "Illness", "confirm": "on"})
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.status == Family.Status.PAUSED


def test_the_family_form_records_a_training_exception(client_for, unit_worker):
    family = _ready_family(pre_service_training_completed_on=None)
    data = {
        "name": family.name,
        "kind": family.kind,
        "places": 1,
        "age_min": 0,
        "age_max": 17,
        "training_exception_reason": "Kinship placement of a grandchild",
        "training_due_on": "2027-01-31",
    }
    response = client_for(unit_worker).post(
        reverse("families:family-update", args=[family.pk]), data
    )
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.training_due_on == date(2027, 1, 31)


# --- the admin is a door like any page --------------------------------------------------


def _admin_form_data(client, url, **fields):
    """The admin form's POST data: the fields given plus every inline's management form."""
    context = client.get(url).context
    data = {}
    for inline in context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = inline.formset.total_form_count()
        data[f"{prefix}-INITIAL_FORMS"] = inline.formset.initial_form_count()
        for index, form in enumerate(inline.formset.forms):
            if form.instance.pk:
                data[f"{prefix}-{index}-id"] = form.instance.pk
                data[f"{prefix}-{index}-family"] = form.instance.family_id
    base = {"name": "Perhe Admin", "kind": "foster", "places": 1, "age_min": 0, "age_max": 17}
    data.update(base)
    data.update(fields)
    return data


def test_an_admin_add_of_a_family_over_capacity_is_refused(client_for, admin_user):
    client = client_for(admin_user)
    url = reverse("admin:families_family_add")
    response = client.post(url, _admin_form_data(client, url, places=9))
    assert response.status_code == 200
    assert "the Family Care Act allows" in response.content.decode()
    assert not Family.objects.filter(name="Admin").exists()


def test_an_admin_add_writes_the_first_history_entry_and_the_access_log(client_for, admin_user):
    client = client_for(admin_user)
    url = reverse("admin:families_family_add")
    response = client.post(url, _admin_form_data(client, url))
    assert response.status_code == 302
    family = Family.objects.get(name="Admin")
    assert family.status_changes.get().to_status == Family.Status.INQUIRY
    assert AccessLogEntry.objects.filter(object_id=str(family.pk), action="create").exists()


def test_an_admin_change_of_status_writes_history_through_the_service(client_for, admin_user):
    family = _ready_family(status=Family.Status.APPROVED, name="Perhe Admin")
    client = client_for(admin_user)
    url = reverse("admin:families_family_change", args=[family.pk])
    data = _admin_form_data(client, url, to_status="paused", status_reason="Parental leave")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = family.status_changes.get()
    assert (change.from_status, change.to_status) == ("approved", "paused")
    assert change.changed_by == admin_user
    assert change.reason == "Parental leave"


def test_an_admin_status_change_past_the_gates_is_refused(client_for, admin_user):
    family = _ready_family(home_study_approved_on=None, name="Perhe Admin")
    client = client_for(admin_user)
    url = reverse("admin:families_family_change", args=[family.pk])
    response = client.post(url, _admin_form_data(client, url, to_status="approved"))
    assert response.status_code == 200
    assert "The home study is not approved" in response.content.decode()
    family.refresh_from_db()
    assert family.status == Family.Status.ASSESSMENT


def test_an_admin_view_of_a_family_writes_an_access_log_row(client_for, admin_user):
    family = FamilyFactory()
    client = client_for(admin_user)
    response = client.get(reverse("admin:families_family_change", args=[family.pk]))
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get(object_id=str(family.pk))
    assert (entry.user, entry.action) == (admin_user, "view")


def test_an_admin_view_of_a_carer_writes_an_access_log_row(client_for, admin_user):
    carer = CarerFactory()
    client_for(admin_user).get(reverse("admin:families_carer_change", args=[carer.pk]))
    assert AccessLogEntry.objects.filter(object_id=str(carer.pk), action="view").exists()


def test_the_criminal_record_seer_is_who_entered_the_date_in_the_admin_too(
    client_for, admin_user, unit_worker
):
    carer = CarerFactory()
    client = client_for(admin_user)
    url = reverse("admin:families_carer_change", args=[carer.pk])
    data = {
        "first_name": carer.first_name,
        "last_name": carer.last_name,
        "birth_year": carer.birth_year,
        "criminal_record_seen_on": "2026-01-15",
    }
    assert client.post(url, data).status_code == 302
    carer.refresh_from_db()
    assert carer.criminal_record_seen_by == admin_user
