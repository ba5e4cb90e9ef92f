"""The national-scale data set command, at a tiny size."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from contracts.models import Contract, Invoice
from families.models import Carer, Family, Provider
from fostercare.models import AccessLogEntry, MemberOrganisation, User
from placements.models import Child, Placement, PlacementRequest
from tests.fostercare.factories import MemberOrganisationFactory
from training.models import Course, Enrolment


@pytest.mark.django_db
def test_seed_scale_builds_the_data_set_of_the_sizes_asked_for_once():
    call_command(
        "seed_scale",
        "--orgs=9",
        "--families=40",
        "--providers=5",
        "--children=60",
        "--active-placements=10",
        "--requests=8",
        "--courses=3",
        "--access-log=500",
        stdout=StringIO(),
    )

    demo_families = 65  # the demo data the set is built on
    assert MemberOrganisation.objects.count() == 9
    assert Family.objects.count() == demo_families + 40
    assert Carer.objects.filter(family__name__regex=r" \d+$").count() >= 40
    assert Provider.objects.count() >= 5
    assert Child.objects.filter(last_name__regex=r"-\d+$").count() == 60
    scale_placements = Placement.objects.filter(child__last_name__regex=r"-\d+$")
    assert scale_placements.filter(ended_on__isnull=True).count() == 10
    assert scale_placements.count() == 60
    requests = PlacementRequest.objects.filter(children__last_name__regex=r"-\d+$")
    assert requests.distinct().count() == 8
    assert Course.objects.filter(title__regex=r"/\d+$").count() == 3
    assert Enrolment.objects.filter(course__title__regex=r"/\d+$").exists()
    assert AccessLogEntry.objects.count() >= 500
    national = Contract.objects.get(name__startswith="Valtakunnallinen")
    assert national.members.count() == 9
    # the administering member (Tornio) invoices the eight others: Q1 issued, Q2 drafts
    assert Invoice.objects.filter(contract=national, status=Invoice.Status.ISSUED).count() == 8
    assert Invoice.objects.filter(contract=national, status=Invoice.Status.DRAFT).count() == 8

    with pytest.raises(CommandError, match="already holds"):
        call_command("seed_scale", "--scale=0.0005", stdout=StringIO())
    assert Family.objects.count() == demo_families + 40


@pytest.mark.django_db
def test_seed_scale_refuses_a_database_with_real_data():
    MemberOrganisationFactory(code="698")  # Rovaniemi: not one of the demo's
    User.objects.create_user(username="ritva", password="salasana-123")

    with pytest.raises(CommandError, match=r"organisation 698.*user ritva"):
        call_command("seed_scale", "--scale=0.001", stdout=StringIO())

    assert not Family.objects.exists()
    assert not AccessLogEntry.objects.exists()
