"""Bulk import in the admin: preview first, row errors shown, a bad file writes nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from families.models import Family, Provider
from fostercare.models import MemberOrganisation, PopulationFigure

FAMILIES_CSV = (
    "name,kind,status,home_municipality_code,places,age_min,age_max,siblings_accepted,languages\n"
    "Perhe Aho,foster,inquiry,240,2,0,12,1,fi\n"
    "Perhe Salo,not-a-kind,inquiry,240,2,0,12,1,fi\n"
    'Perhe Kallio,support,in_training,240,1,4,10,0,"fi,sv"\n'
)


def _import(client, url_name, content, name="data.csv"):
    return client.post(
        reverse(url_name),
        {
            "format": "0",  # CSV is the first format of django-import-export
            "import_file": SimpleUploadedFile(name, content.encode(), content_type="text/csv"),
            "resource": "0",
        },
    )


def test_family_import_with_one_bad_row_shows_its_error_and_writes_nothing(
    client_for, admin_user, kemi_org
):
    response = _import(client_for(admin_user), "admin:families_family_import", FAMILIES_CSV)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Some rows failed to validate" in body
    assert "&#x27;not-a-kind&#x27; is not a valid choice" in body
    assert "confirm_form" not in response.context  # nothing can be confirmed
    assert not Family.objects.exists()


def test_family_import_of_good_rows_is_previewed_before_it_is_written(
    client_for, admin_user, kemi_org
):
    good = "\n".join(FAMILIES_CSV.splitlines()[:2] + FAMILIES_CSV.splitlines()[3:]) + "\n"

    response = _import(client_for(admin_user), "admin:families_family_import", good)

    assert response.status_code == 200
    assert "Perhe Kallio" in response.content.decode()
    assert not Family.objects.exists()  # nothing before the confirm step
    confirm = response.context["confirm_form"]
    response = client_for(admin_user).post(
        reverse("admin:families_family_process_import"), confirm.initial
    )
    assert Family.objects.count() == 2
    assert Family.objects.get(name="Kallio").languages == ["fi", "sv"]


def test_population_import_rejects_unknown_organisation_code(client_for, admin_user, kemi_org):
    csv = "organisation_code,year,population,source\n240,2024,19404,SVT\n999,2024,100,SVT\n"

    response = _import(client_for(admin_user), "admin:fostercare_populationfigure_import", csv)

    assert response.status_code == 200
    assert "no member organisation has this official code" in response.content.decode()
    assert not PopulationFigure.objects.exists()


def test_member_organisation_import_validates_business_id(client_for, admin_user):
    csv = "code,kind,name_fi,name_sv,business_id\n241,municipality,Keminmaa,Keminmaa,0192914-5\n"
    csv += "751,municipality,Simo,Simo,1234567-8\n"

    response = _import(client_for(admin_user), "admin:fostercare_memberorganisation_import", csv)

    assert "Enter a valid business ID" in response.content.decode()
    assert "confirm_form" not in response.context
    assert not MemberOrganisation.objects.filter(code__in=["241", "751"]).exists()


def test_provider_import_checks_the_professional_family_home_limit(
    client_for, admin_user, kemi_org
):
    csv = (
        "name,kind,municipality_code,places,active\n"
        "Perhekoti Iso,professional_family_home,240,9,1\n"
    )

    response = _import(client_for(admin_user), "admin:families_provider_import", csv)

    assert "at most 7" in response.content.decode()
    assert not Provider.objects.exists()


def test_population_figures_are_imported_from_csv_after_confirmation(
    client_for, admin_user, kemi_org, tornio_org
):
    csv = "organisation_code,year,population,source\n240,2024,19404,SVT\n851,2024,20959,SVT\n"
    client = client_for(admin_user)

    response = _import(client, "admin:fostercare_populationfigure_import", csv)
    client.post(
        reverse("admin:fostercare_populationfigure_process_import"),
        response.context["confirm_form"].initial,
    )

    assert dict(PopulationFigure.objects.values_list("organisation__code", "population")) == {
        "240": 19404,
        "851": 20959,
    }


def test_import_and_export_need_the_models_permissions(client_for, finance_user, admin_user):
    finance = client_for(finance_user)  # staff, but no rights on the register

    assert finance.get(reverse("admin:families_family_export")).status_code == 403
    assert finance.get(reverse("admin:families_family_import")).status_code == 403
    assert finance.get(reverse("admin:fostercare_accesslogentry_export")).status_code == 403
    assert client_for(admin_user).get(reverse("admin:families_family_export")).status_code == 200


def test_imported_statuses_are_reached_through_the_status_service(client_for, admin_user, kemi_org):
    csv = "name,kind,status,home_municipality_code,places,age_min,age_max\n"
    csv += "Perhe Uusi,foster,assessment,240,2,0,12\n"
    client = client_for(admin_user)

    response = _import(client, "admin:families_family_import", csv)
    client.post(
        reverse("admin:families_family_process_import"), response.context["confirm_form"].initial
    )

    changes = Family.objects.get(name="Uusi").status_changes.order_by("changed_at", "pk")
    assert [(c.from_status, c.to_status, c.changed_by) for c in changes] == [
        ("", "inquiry", admin_user),
        ("inquiry", "assessment", admin_user),
    ]


def test_an_import_cannot_approve_a_family_past_the_gates(client_for, admin_user, kemi_org):
    csv = "name,kind,status,home_municipality_code,places,age_min,age_max\n"
    csv += "Perhe Uusi,foster,approved,240,2,0,12\n"

    response = _import(client_for(admin_user), "admin:families_family_import", csv)

    assert "The home study is not approved." in response.content.decode()
    assert "confirm_form" not in response.context
    assert not Family.objects.exists()


def test_import_row_over_the_legal_capacity_is_an_error(client_for, admin_user, kemi_org):
    csv = "name,kind,status,home_municipality_code,places,age_min,age_max\n"
    csv += "Perhe Iso,foster,approved,240,5,0,12\n"  # no carers yet: the limit is 4

    response = _import(client_for(admin_user), "admin:families_family_import", csv)

    assert "Family Care Act allows 4" in response.content.decode()
    assert "confirm_form" not in response.context
    assert not Family.objects.exists()
