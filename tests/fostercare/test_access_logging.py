"""Every page, admin page and export that shows a person's data writes an access-log row
for each person shown (Client Data Act 703/2023)."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.forms import BooleanField
from django.urls import reverse
from django.utils import timezone
from import_export.admin import ExportMixin

from fostercare.models import AccessLogEntry
from tests.families.factories import CarerFactory, FamilyFactory, HouseholdMemberFactory
from tests.placements.factories import ChildFactory, PlacementRequestFactory
from training.models import Inquiry


@pytest.fixture
def register(kemi_org):
    family = FamilyFactory(home_municipality=kemi_org)
    carers = CarerFactory.create_batch(2, family=family)
    member = HouseholdMemberFactory(family=family)
    child = ChildFactory(municipality=kemi_org)
    request = PlacementRequestFactory(municipality=kemi_org, children=[child])
    inquiry = Inquiry.objects.create(family=family, language="fi", consent_given_at=timezone.now())
    from tests.training.factories import EnrolmentFactory

    enrolment = EnrolmentFactory(carer=carers[0])
    return {
        "course": enrolment.course,
        "family": family,
        "carers": carers,
        "member": member,
        "child": child,
        "request": request,
        "inquiry": inquiry,
    }


def _logged(action=AccessLogEntry.Action.VIEW) -> set[tuple[str, str]]:
    return {
        (ContentType.objects.get_for_id(ct).model_class()._meta.label_lower, object_id)
        for ct, object_id in AccessLogEntry.objects.filter(action=action).values_list(
            "content_type", "object_id"
        )
    }


def _keys(*objs) -> set[tuple[str, str]]:
    return {(obj._meta.label_lower, str(obj.pk)) for obj in objs}


def _pages(r):
    family, carer, child = r["family"], r["carers"][0], r["child"]
    everyone = (family, *r["carers"], r["member"])
    return [
        ("unit", reverse("families:family-detail", args=[family.pk]), everyone),
        ("unit", reverse("families:family-update", args=[family.pk]), (family,)),
        ("unit", reverse("families:carer-update", args=[family.pk, carer.pk]), (carer,)),
        ("unit", reverse("placements:child-detail", args=[child.pk]), (child,)),
        ("unit", reverse("placements:child-update", args=[child.pk]), (child,)),
        ("admin", reverse("admin:families_family_change", args=[family.pk]), everyone),
        ("admin", reverse("admin:families_carer_change", args=[carer.pk]), (carer,)),
        ("admin", reverse("admin:placements_child_change", args=[child.pk]), (child,)),
        (
            "admin",
            reverse("admin:placements_placementrequest_change", args=[r["request"].pk]),
            (r["request"], child),
        ),
        (
            "admin",
            reverse("admin:training_inquiry_change", args=[r["inquiry"].pk]),
            (r["inquiry"],),
        ),
        ("unit", reverse("training:inquiry-detail", args=[r["inquiry"].pk]), everyone[:3]),
        (
            "unit",
            reverse("training:course-family", args=[r["course"].pk, family.pk]),
            (family, carer),  # the carer enrolled on the course
        ),
        ("unit", reverse("placements:request-detail", args=[r["request"].pk]), (child,)),
    ]


@pytest.mark.parametrize("index", range(13))
def test_each_page_showing_personal_data_logs_every_person_shown(
    index, register, client_for, unit_worker, admin_user
):
    who, url, shown = _pages(register)[index]
    client = client_for({"unit": unit_worker, "admin": admin_user}[who])

    assert client.get(url).status_code == 200

    assert _keys(*shown) <= _logged(), url


def test_family_page_logs_its_people_in_one_insert(
    register, client_for, unit_worker, django_assert_num_queries
):
    url = reverse("families:family-detail", args=[register["family"].pk])
    client = client_for(unit_worker)
    # warm the content types, the permissions and the validity periods of checks
    client.get(url)
    # the page's nine (no special skills: not asked for) with the one insert
    with django_assert_num_queries(9) as captured:
        client.get(url)
    inserts = [q for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1  # the family's row and its three people's, in one insert


def test_posting_an_edit_form_logs_no_view(register, client_for, unit_worker):
    family = register["family"]
    client_for(unit_worker).post(reverse("families:family-update", args=[family.pk]), {})
    assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.VIEW).exists()


def test_family_export_logs_each_exported_family(register, client_for, admin_user):
    other = FamilyFactory()
    client = client_for(admin_user)

    response = client.post(
        reverse("admin:families_family_export"),
        {"format": "0", "resource": "0", "familyresource_name": "on"},
    )

    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    assert _keys(register["family"], other) <= _logged(AccessLogEntry.Action.EXPORT)


# Every admin that exports, and the records and people its export must log; None for
# exports that hold no one's personal data (said why).
EXPORTS = {
    "families.family": lambda r: (r["family"], *r["carers"], r["member"]),
    # a family home's name, phone and address may be a private trader's own
    "families.provider": lambda r: (r["provider"],),
    "training.enrolment": lambda r: (r["enrolment"], r["enrolment"].carer),
    "experts.expert": lambda r: (r["expert"],),
    "training.course": None,  # a course's type, title, dates and seats: no one's data
    "fostercare.memberorganisation": None,  # municipalities
    "fostercare.populationfigure": None,  # a municipality's population
    "contracts.usagefigure": None,  # a municipality's care days in a period
    # the log itself: its export and the per-person report are the log's own business
    "fostercare.accesslogentry": None,
}


def _exporting_admins():
    return {
        model._meta.label_lower: model_admin
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ExportMixin)
    }


def test_every_admin_export_is_listed_with_what_it_must_log():
    assert set(_exporting_admins()) == set(EXPORTS)


@pytest.fixture
def exported(register):
    from tests.experts.factories import ExpertFactory
    from tests.families.factories import ProviderFactory
    from tests.training.factories import EnrolmentFactory

    return {
        **register,
        "provider": ProviderFactory(),
        "enrolment": EnrolmentFactory(carer=register["carers"][0]),
        "expert": ExpertFactory(),
    }


@pytest.mark.parametrize("label", sorted(EXPORTS))
def test_each_admin_export_logs_every_record_and_person_it_holds(
    label, exported, client_for, admin_user
):
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_export")
    client = client_for(admin_user)
    form = client.get(url).context["form"]
    data = {"format": "0", "resource": "0"}  # CSV, every field
    data |= {name: "on" for name, field in form.fields.items() if isinstance(field, BooleanField)}

    response = client.post(url, data)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    logged = _logged(AccessLogEntry.Action.EXPORT)
    if EXPORTS[label] is None:
        assert logged == set()
    else:
        assert _keys(*EXPORTS[label](exported)) <= logged


def test_an_expert_left_out_of_the_export_for_withdrawn_consent_is_not_logged(
    client_for, admin_user
):
    from datetime import date

    from tests.experts.factories import ExpertFactory

    listed = ExpertFactory()
    withdrawn = ExpertFactory(consent_withdrawn_on=date(2025, 1, 31))
    url = reverse("admin:experts_expert_export")
    client = client_for(admin_user)
    form = client.get(url).context["form"]
    data = {"format": "0", "resource": "0"}
    data |= {name: "on" for name, field in form.fields.items() if isinstance(field, BooleanField)}

    client.post(url, data)

    assert _logged(AccessLogEntry.Action.EXPORT) == _keys(listed)
    assert _keys(withdrawn).isdisjoint(_logged(AccessLogEntry.Action.EXPORT))
