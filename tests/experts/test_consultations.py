"""Logging consultations, the access log of a viewed client, and the quarterly totals."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from experts import demo, services
from experts.models import Consultation, Expert
from experts.selectors import consultation_quarterly_totals
from families import demo as families_demo
from fostercare import demo as fostercare_demo
from fostercare.models import AccessLogEntry
from placements import demo as placements_demo
from tests.experts.factories import ConsultationFactory, ExpertFactory
from tests.placements.factories import PlacementRequestFactory

K = Consultation.Kind


def test_unit_worker_logs_a_joint_home_visit(client_for, unit_worker, kemi_org, kemi_worker):
    request = PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)
    expert = ExpertFactory()
    response = client_for(unit_worker).post(
        reverse("experts:consultation-create"),
        {
            "kind": K.HOME_VISIT,
            "held_on": "2026-09-30",
            "duration_minutes": "90",
            "municipality": kemi_org.pk,
            "municipal_worker": kemi_worker.pk,
            "placement_request": request.pk,
            "experts": [expert.pk],
            "note": "Kotikäynti työparina.",
        },
    )
    consultation = Consultation.objects.get()
    assert response.url == reverse("experts:consultation-detail", args=[consultation.pk])
    assert consultation.recorded_by == unit_worker
    assert list(consultation.experts.all()) == [expert]


def test_request_of_another_municipality_is_refused(
    client_for, unit_worker, kemi_org, tornio_org, tornio_worker
):
    request = PlacementRequestFactory(municipality=tornio_org, created_by=tornio_worker)
    response = client_for(unit_worker).post(
        reverse("experts:consultation-create"),
        {
            "kind": K.PHONE_GUIDANCE,
            "held_on": "2026-09-30",
            "duration_minutes": "15",
            "municipality": kemi_org.pk,
            "placement_request": request.pk,
        },
    )
    assert response.status_code == 400
    assert "placement_request" in response.context["form"].errors
    assert not Consultation.objects.exists()


def test_only_requests_the_writer_sees_may_be_named(finance_user, kemi_org, kemi_worker):
    # a writer with the consultation permission but no access to placements
    finance_user.user_permissions.add(Permission.objects.get(codename="add_consultation"))
    request = PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)
    consultation = Consultation(
        kind=K.PHONE_GUIDANCE,
        held_on=date(2026, 9, 1),
        duration_minutes=10,
        municipality=kemi_org,
        placement_request=request,
    )
    with pytest.raises(ValidationError) as error:
        services.consultation_save(consultation=consultation, by=finance_user)
    assert "placement_request" in error.value.error_dict


def test_withdrawn_expert_cannot_be_added(unit_worker, kemi_org):
    withdrawn = ExpertFactory(consent_withdrawn_on=date(2025, 1, 1))
    consultation = Consultation(
        kind=K.PHONE_GUIDANCE, held_on=date(2026, 9, 1), duration_minutes=10, municipality=kemi_org
    )
    with pytest.raises(ValidationError):
        services.consultation_save(consultation=consultation, by=unit_worker, experts=[withdrawn])


def test_viewing_a_consultation_about_a_child_is_logged(
    client_for, kemi_worker, kemi_org, unit_worker
):
    request = PlacementRequestFactory(municipality=kemi_org, created_by=kemi_worker)
    child = request.children.get()
    consultation = ConsultationFactory(
        municipality=kemi_org, placement_request=request, child=child, recorded_by=unit_worker
    )
    other = ConsultationFactory(municipality=kemi_org, recorded_by=unit_worker)
    client = client_for(kemi_worker)
    assert client.get(reverse("experts:consultation-detail", args=[consultation.pk])).status_code
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.object_id, entry.action) == (kemi_worker, str(child.pk), "view")
    assert entry.organisation == kemi_org
    client.get(reverse("experts:consultation-detail", args=[other.pk]))
    assert AccessLogEntry.objects.count() == 1  # no client concerned, nothing to log


def test_quarterly_totals_on_a_known_data_set(unit_worker, kemi_org, tornio_org):
    for org, held_on, kind, minutes in [
        (kemi_org, date(2026, 1, 10), K.PHONE_GUIDANCE, 30),
        (kemi_org, date(2026, 2, 10), K.PHONE_GUIDANCE, 20),
        (kemi_org, date(2026, 3, 31), K.HOME_VISIT, 120),
        (kemi_org, date(2026, 4, 1), K.CLIENT_MEETING, 45),
        (kemi_org, date(2025, 12, 31), K.HOME_VISIT, 600),  # another year
        (tornio_org, date(2026, 8, 5), K.GROUP_CONSULTATION, 100),
        (tornio_org, date(2026, 12, 31), K.SUPERVISION, 60),
    ]:
        ConsultationFactory(municipality=org, held_on=held_on, kind=kind, duration_minutes=minutes)
    rows = consultation_quarterly_totals(unit_worker, 2026)
    table = [
        (r.organisation.code if r.organisation else "all", r.quarter, r.total.count, r.total.hours)
        for r in rows
    ]
    assert table == [
        ("240", 1, 3, Decimal("2.83")),  # 170 minutes
        ("240", 2, 1, Decimal("0.75")),
        ("240", None, 4, Decimal("3.58")),  # 215 minutes, not the sum of rounded hours
        ("851", 3, 1, Decimal("1.67")),
        ("851", 4, 1, Decimal("1.00")),
        ("851", None, 2, Decimal("2.67")),
        ("all", 1, 3, Decimal("2.83")),
        ("all", 2, 1, Decimal("0.75")),
        ("all", 3, 1, Decimal("1.67")),
        ("all", 4, 1, Decimal("1.00")),
        ("all", None, 6, Decimal("6.25")),  # 375 minutes
    ]
    q1 = rows[0]
    assert (q1.by_kind[K.PHONE_GUIDANCE].count, q1.by_kind[K.PHONE_GUIDANCE].minutes) == (2, 50)
    assert (q1.by_kind[K.HOME_VISIT].count, q1.by_kind[K.HOME_VISIT].hours) == (1, Decimal("2.00"))
    assert [t.count for t in q1.kinds()] == [2, 0, 1, 0, 0]


def test_quarterly_totals_page(client_for, unit_worker, kemi_org):
    ConsultationFactory(
        municipality=kemi_org, held_on=date(2026, 5, 2), kind=K.HOME_VISIT, duration_minutes=90
    )
    client = client_for(unit_worker)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fi"
    response = client.get(reverse("experts:consultation-totals"), {"year": "2026"})
    body = response.content.decode()
    assert "Kemi" in body
    assert "1 / 1,50" in body  # Finnish decimal comma
    assert "2026</h1>" in body  # a year, not 2 026


def test_demo_seeds_registers_and_consultations_once(db):
    out = io.StringIO()
    fostercare_demo.seed(out)
    families_demo.seed(out)
    placements_demo.seed(out)
    demo.seed(out)
    demo.seed(out)  # idempotent
    assert Expert.objects.count() == 9
    swedish = Expert.objects.listed().get(name="Linnea Forsström")
    assert "sv" in swedish.languages
    assert swedish.serves.filter(code="851").exists()
    assert Expert.objects.filter(consent_withdrawn_on__isnull=False).count() == 1
    assert Consultation.objects.count() == 11
    assert set(Consultation.objects.values_list("municipality__code", flat=True)) == {
        "240",
        "851",
    }
    quarters = {
        (d.year, (d.month - 1) // 3) for d in Consultation.objects.values_list("held_on", flat=True)
    }
    assert len(quarters) >= 3
