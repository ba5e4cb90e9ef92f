"""Every admin import's typical bad cell is a clear row error naming the row and the column,
in the user's language: never ``[<class 'decimal.ConversionSyntax'>]`` or a model's
"matching query does not exist" (fostercare.imports.ImportResource)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from fostercare import imports
from tests.contracts.factories import seed_contract

# (admin import, file, row, column, what the message says: the column is in it)
BAD_FILES = [
    (
        "fostercare_populationfigure",
        "organisation_code,year,population,source\n240,2024,19404,SVT\n240,2025,12x,SVT\n",
        2,
        "population",
        "Column “population”: “12x” — enter a whole number, such as 1250.",
    ),
    (
        "fostercare_populationfigure",
        "organisation_code,year,population,source\n999,2024,100,SVT\n",
        1,
        "organisation_code",
        "Column “organisation_code”: “999” — no member organisation has this official code.",
    ),
    (
        "fostercare_memberorganisation",
        "code,kind,name_fi,name_sv,latitude\n241,municipality,Keminmaa,Keminmaa,pohjoinen\n",
        1,
        "latitude",
        "Column “latitude”: “pohjoinen” — enter a number, such as 1250.50.",
    ),
    (
        "families_family",
        "name,kind,status,home_municipality_code,places\nPerhe Aho,foster,inquiry,240,kaksi\n",
        1,
        "places",
        "Column “places”: “kaksi” — enter a whole number, such as 1250.",
    ),
    (
        "families_family",
        "name,kind,status,home_municipality_code,pre_service_training_completed_on\n"
        "Perhe Aho,foster,inquiry,240,31.2.2026\n",
        1,
        "pre_service_training_completed_on",
        "Column “pre_service_training_completed_on”: “31.2.2026” — enter a date, such as "
        "2026-03-31.",
    ),
    (
        "families_provider",
        "name,kind,municipality_code,places,licence_granted_on\n"
        "Perhekoti Iso,professional_family_home,240,4,eilen\n",
        1,
        "licence_granted_on",
        "Column “licence_granted_on”: “eilen” — enter a date, such as 2026-03-31.",
    ),
    (
        "training_course",
        "course_type_code,title,capacity\nPRIDE,Syksyn valmennus,kymmenen\n",
        1,
        "capacity",
        "Column “capacity”: “kymmenen” — enter a whole number, such as 1250.",
    ),
    (
        "training_course",
        "course_type_code,title,capacity\nNOPE,Syksyn valmennus,10\n",
        1,
        "course_type_code",
        "Column “course_type_code”: “NOPE” — no course type has this code.",
    ),
    (
        "training_enrolment",
        "course_id,carer_id,status\nabc,1,enrolled\n",
        1,
        "course_id",
        "Column “course_id”: “abc” — no course has this ID.",
    ),
    (
        "contracts_usagefigure",
        "period,member_code,care_days,source\n{period},240,1 200.5x,\n",
        1,
        "care_days",
        "Column “care_days”: “1 200.5x” — enter a whole number, such as 1250.",
    ),
    (
        "contracts_usagefigure",
        "period,member_code,care_days,source\n999999,240,10,\n",
        1,
        "period",
        "Column “period”: “999999” — no contract period has this ID.",
    ),
    (
        "experts_expert",
        "name,kind,roles,consent_given_on,hourly_fee\nAino Aho,person,convener,2024-01-15,80 €\n",
        1,
        "hourly_fee",
        "Column “hourly_fee”: “80 €” — enter a number, such as 1250.50.",
    ),
    (
        "experts_expert",
        "name,kind,roles,consent_given_on,serves_codes\n"
        "Revontuli Oy,organisation,work_supervisor,2024-01-15,999\n",
        1,
        "serves_codes",
        "Column “serves_codes”: “999” — Unknown: 999.",
    ),
]


def _preview(client, admin_name: str, content: str):
    return client.post(
        reverse(f"admin:{admin_name}_import"),
        {
            "format": "0",  # CSV
            "import_file": SimpleUploadedFile("data.csv", content.encode(), "text/csv"),
            "resource": "0",
        },
    )


@pytest.mark.parametrize(("admin_name", "content", "row", "column", "message"), BAD_FILES)
def test_a_bad_cell_is_a_row_error_naming_the_row_and_the_column(
    admin_name, content, row, column, message, client_for, admin_user, kemi_org
):
    if "{period}" in content:
        content = content.format(period=seed_contract()[1].pk)

    response = _preview(client_for(admin_user), admin_name, content)

    assert response.status_code == 200
    assert "confirm_form" not in response.context  # nothing can be confirmed
    errors = {(e["row"], e["message"]) for e in imports.result_errors(response.context["result"])}
    assert (row, message) in errors
    body = response.content.decode()
    assert message in body
    assert "&lt;class" not in body and "does not exist" not in body


def test_the_row_error_reads_in_swedish_for_a_swedish_user(client_for, admin_user, kemi_org):
    client = client_for(admin_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "sv"

    with translation.override("sv"):
        response = _preview(client, *BAD_FILES[0][:2])

    assert "Kolumn ”population”: ”12x” – ange ett heltal, till exempel 1250." in (
        response.content.decode()
    )
