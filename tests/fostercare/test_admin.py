"""Every model registered in the admin has working list, search and add pages."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.families.factories import CarerFactory, FamilyFactory, SupervisionVisitFactory


@pytest.fixture
def some_data(kemi_org, unit_worker):
    family = FamilyFactory(home_municipality=kemi_org)
    CarerFactory(
        family=family, criminal_record_seen_on="2026-01-01", criminal_record_seen_by=unit_worker
    )
    SupervisionVisitFactory()


def _admin_models():
    return sorted((model._meta.app_label, model._meta.model_name) for model in admin.site._registry)


@pytest.mark.parametrize("app_label, model_name", _admin_models())
def test_admin_pages_open(app_label, model_name, client_for, admin_user, some_data):
    client = client_for(admin_user)
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")

    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "a"}).status_code == 200
    model_admin = admin.site._registry[
        next(
            m
            for m in admin.site._registry
            if m._meta.model_name == model_name and m._meta.app_label == app_label
        )
    ]
    if model_admin.has_add_permission(type("R", (), {"user": admin_user})()):
        assert client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 200


def test_access_log_can_be_listed_for_one_person(client_for, admin_user, unit_worker):
    family = FamilyFactory(name="Perhe Loki")
    client_for(unit_worker).get(reverse("families:family-detail", args=[family.pk]))
    client = client_for(admin_user)

    response = client.get(
        reverse("admin:fostercare_accesslogentry_changelist"), {"object_repr": "Perhe Loki"}
    )

    assert "Perhe Loki" in response.content.decode()


def test_access_log_admin_searches_a_name_a_record_id_or_a_username(
    client_for, admin_user, unit_worker
):
    family = FamilyFactory(name="Perhe Lokinen")
    other = FamilyFactory(name="Perhe Muu")
    viewer = client_for(unit_worker)
    viewer.get(reverse("families:family-detail", args=[family.pk]))
    viewer.get(reverse("families:family-detail", args=[other.pk]))
    client = client_for(admin_user)
    url = reverse("admin:fostercare_accesslogentry_changelist")

    by_name = client.get(url, {"q": "lokinen"}).content.decode()
    by_id = client.get(url, {"q": str(other.pk)}).content.decode()
    by_user = client.get(url, {"q": unit_worker.username}).content.decode()

    assert "Perhe Lokinen" in by_name and "Perhe Muu" not in by_name
    assert "Perhe Muu" in by_id
    assert "Perhe Lokinen" in by_user and "Perhe Muu" in by_user


def test_access_log_admin_counts_no_more_than_its_cap_and_has_no_date_hierarchy(
    client_for, unit_worker
):
    from fostercare.admin import AccessLogEntryAdmin, EstimatedCountPaginator
    from fostercare.models import AccessLogEntry

    assert AccessLogEntryAdmin.date_hierarchy is None
    assert AccessLogEntryAdmin.show_full_result_count is False
    paginator = EstimatedCountPaginator(AccessLogEntry.objects.all(), 25)
    paginator.CAP = 3
    for _ in range(5):
        client_for(unit_worker).get(reverse("families:family-detail", args=[FamilyFactory().pk]))

    assert AccessLogEntry.objects.count() >= 5
    assert paginator.count == 3
