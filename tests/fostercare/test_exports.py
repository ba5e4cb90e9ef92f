"""Exports from the admin cannot carry a formula into a spreadsheet (CSV injection)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fostercare.exports import EXPORT_FORMATS, SafeCSV, SafeXLSX, escape_formula
from tests.fostercare.factories import MemberOrganisationFactory

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-12.50", "-12.50"),
        ("Kemi", "Kemi"),
        (42, 42),
    ],
)
def test_escape_formula(value, expected):
    assert escape_formula(value) == expected


def _export(client, file_format):
    fmt = [f.__name__ for f in EXPORT_FORMATS].index(file_format.__name__)
    return client.post(
        reverse("admin:fostercare_memberorganisation_export"),
        {
            "format": str(fmt),
            "resource": "0",
            "memberorganisationresource_name_fi": "on",
            "memberorganisationresource_code": "on",
        },
    )


def test_csv_export_escapes_a_formula(client_for, admin_user):
    MemberOrganisationFactory(code="999", name_fi=FORMULA)

    response = _export(client_for(admin_user), SafeCSV)

    text = response.content.decode()
    assert "'" + FORMULA.replace('"', '""') in text
    assert "\n=" not in text and ",=" not in text


def test_xlsx_export_escapes_a_formula(client_for, admin_user):
    MemberOrganisationFactory(code="999", name_fi=FORMULA)

    response = _export(client_for(admin_user), SafeXLSX)

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'" + FORMULA in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
