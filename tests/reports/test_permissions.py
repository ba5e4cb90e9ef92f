"""Every reports URL for the five demo roles (tests/matrix.py): finance, the unit and
administrators read every report and make them; a municipal worker reads only their own
municipality's annual reports (another's answers 404) and makes none; the reference
daily costs are finance's to set."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reports.models import ReferenceDailyCost, Report
from tests.contracts.factories import ContractFactory
from tests.matrix import ROLES, assert_anonymous_sent_to_login, assert_matrix


def _made(**key) -> Report:
    """A made report: its tables and a stand-in PDF (test_rendering renders real ones)."""
    report = Report(status=Report.Status.DONE, progress=100, **key)
    report.tables = [
        {"key": key, "title": key, "headers": ["Member", "Care days"], "rows": [["Kemi", 1]]}
        for key in ("members_compared", "care_days")
    ]
    report.pdf.save("stand-in.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return report


@pytest.fixture
def objects(db, kemi_org, tornio_org):
    """A contract of Kemi and Tornio with Kemi's and Tornio's annual reports and the
    steering group's report, all made."""
    contract = ContractFactory(issuer=tornio_org, members=[kemi_org, tornio_org])
    steering = _made(kind=Report.Kind.STEERING, contract=contract, year=2026, quarter=1)
    kemi = _made(kind=Report.Kind.MEMBER_ANNUAL, contract=contract, year=2025, member=kemi_org)
    tornio = _made(kind=Report.Kind.MEMBER_ANNUAL, contract=contract, year=2025, member=tornio_org)
    return {"steering": steering, "kemi_annual": kemi, "tornio_annual": tornio}


# name, method, which object's id, expected status for unit, kemi, tornio, finance, admin
# when the annual report is Kemi's. POSTs carry no data: an empty form answers 400.
MATRIX = [
    ("report-list", "get", None, (200, 200, 200, 200, 200)),
    ("report-list", "post", None, (400, 403, 403, 400, 400)),
    ("report-detail", "get", "kemi_annual", (200, 200, 404, 200, 200)),
    ("report-detail", "get", "steering", (200, 404, 404, 200, 200)),
    ("report-pdf", "get", "kemi_annual", (200, 200, 404, 200, 200)),
    ("report-pdf", "get", "steering", (200, 404, 404, 200, 200)),
    ("report-xlsx", "get", "kemi_annual", (200, 200, 404, 200, 200)),
    ("report-xlsx", "get", "steering", (200, 404, 404, 200, 200)),
    ("report-csv", "get", "kemi_annual", (200, 200, 404, 200, 200)),
    ("report-csv", "get", "steering", (200, 404, 404, 200, 200)),
    ("reference-cost-list", "get", None, (200, 403, 403, 200, 200)),
    ("reference-cost-list", "post", None, (403, 403, 403, 400, 400)),
]

CSV_TABLE = {"kemi_annual": "members_compared", "steering": "care_days"}


def _url_for(objects):
    def url(row):
        name, _method, key, _expected = row
        if key is None:
            return reverse(f"reports:{name}")
        args = [objects[key].pk]
        if name == "report-csv":
            args.append(CSV_TABLE[key])
        return reverse(f"reports:{name}", args=args)

    return url


def test_anonymous_is_sent_to_login(client, objects):
    assert_anonymous_sent_to_login(client, MATRIX, _url_for(objects))


@pytest.mark.parametrize("role", ROLES)
def test_reports_pages_by_role(role, roles, client_for, objects):
    assert_matrix(client_for(roles[role]), MATRIX, _url_for(objects), role)


def test_a_municipal_worker_lists_only_their_own_annual_reports(client_for, roles, objects):
    page = client_for(roles["kemi"]).get(reverse("reports:report-list"))
    assert list(page.context["reports"]) == [objects["kemi_annual"]]
    assert page.context["form"] is None


def test_rows_that_answer_400_change_nothing(client_for, roles, objects):
    before = list(Report.objects.values_list("pk", "version", "status"))
    for role in ("unit", "finance"):
        client_for(roles[role]).post(reverse("reports:report-list"))
        client_for(roles[role]).post(reverse("reports:reference-cost-list"))
    assert list(Report.objects.values_list("pk", "version", "status")) == before
    assert not ReferenceDailyCost.objects.exists()
