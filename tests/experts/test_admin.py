"""The experts admin: import with row errors and preview; the fee in Finnish format."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from experts.models import Expert
from tests.experts.factories import ExpertFactory, ExpertiseAreaFactory

EXPERTS_CSV = (
    "name,kind,roles,languages,expertise,serves_codes,consent_given_on,convener_trained_on,"
    "hourly_fee\n"
    'Linnea Forsström,person,convener,"sv,fi",Läheisneuvonpito,"851,240",2024-01-15,'
    "2023-05-12,\n"
    "Sven Lindqvist,person,convener,sv,,851,2024-01-15,,\n"
    "Työnohjaus Revontuli Oy,organisation,work_supervisor,fi,,240,2024-01-15,,110.00\n"
)


def _import(client, content):
    return client.post(
        reverse("admin:experts_expert_import"),
        {
            "format": "0",
            "import_file": SimpleUploadedFile("experts.csv", content.encode(), "text/csv"),
            "resource": "0",
        },
    )


def test_import_of_a_convener_without_training_shows_the_row_error_and_writes_nothing(
    client_for, admin_user, kemi_org, tornio_org
):
    ExpertiseAreaFactory(name_fi="Läheisneuvonpito")
    response = _import(client_for(admin_user), EXPERTS_CSV)
    assert "Some rows failed to validate" in response.content.decode()
    assert "confirm_form" not in response.context
    assert not Expert.objects.exists()


def test_import_of_good_rows_sets_registers_expertise_and_members(
    client_for, admin_user, kemi_org, tornio_org
):
    ExpertiseAreaFactory(name_fi="Läheisneuvonpito")
    lines = EXPERTS_CSV.splitlines()
    client = client_for(admin_user)
    response = _import(client, "\n".join([lines[0], lines[1], lines[3]]) + "\n")
    client.post(
        reverse("admin:experts_expert_process_import"), response.context["confirm_form"].initial
    )
    linnea = Expert.objects.get(name="Linnea Forsström")
    assert linnea.roles == ["convener"]
    assert linnea.languages == ["sv", "fi"]
    assert [a.name_fi for a in linnea.expertise.all()] == ["Läheisneuvonpito"]
    assert sorted(linnea.serves.values_list("code", flat=True)) == ["240", "851"]
    assert Expert.objects.get(kind="organisation").hourly_fee == Decimal("110.00")


def test_import_of_an_unknown_member_code_is_a_row_error(client_for, admin_user, tornio_org):
    csv = 'name,roles,serves_codes,consent_given_on\nMatti Keskitalo,mentor,"851,999",2024-01-15\n'
    response = _import(client_for(admin_user), csv)
    assert "Unknown: 999" in response.content.decode()
    assert not Expert.objects.exists()


def test_fee_and_dates_are_shown_in_finnish_format(client_for, unit_worker):
    expert = ExpertFactory(hourly_fee=Decimal("1234.50"), supervisor_qualified_on="2019-06-14")
    client = client_for(unit_worker)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fi"
    body = client.get(reverse("experts:expert-detail", args=[expert.pk])).content.decode()
    assert "1\xa0234,50 €" in body
    assert "14.6.2019" in body
