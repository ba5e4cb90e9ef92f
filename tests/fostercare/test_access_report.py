"""The per-person access-log report (Client Data Act 703/2023): who viewed, changed,
exported or disclosed a person's data, as a page and as a PDF."""

import io
import re
from datetime import timedelta

import pgtrigger
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from fostercare.models import AccessLogEntry
from fostercare.people import person_kind
from fostercare.roles import Role
from fostercare.selectors import access_log_for_person
from fostercare.services import access_log_record, access_log_record_people
from tests.families.factories import CarerFactory
from tests.fostercare.factories import user_with_role
from tests.placements.factories import ChildFactory

VIEW, UPDATE, EXPORT = (
    AccessLogEntry.Action.VIEW,
    AccessLogEntry.Action.UPDATE,
    AccessLogEntry.Action.EXPORT,
)


@pytest.fixture
def history(child_and_carer, kemi_org, tornio_org):
    """Three users of two organisations viewed the child; one exported it; one changed the
    carer. Noise: another child viewed, another carer changed, an entry from three years ago."""
    child, carer = child_and_carer["child"], child_and_carer["carer"]
    anna, bertta, cecilia = (
        user_with_role(
            Role.MUNICIPAL_WORKER, name, organisation=org, first_name=name.title(), last_name="Aho"
        )
        for name, org in (("anna", kemi_org), ("bertta", kemi_org), ("cecilia", tornio_org))
    )
    for user in (anna, bertta, cecilia):
        access_log_record(user=user, action=VIEW, obj=child, purpose="placement search")
    access_log_record(user=bertta, action=EXPORT, obj=child, purpose="decision document")
    access_log_record(user=cecilia, action=UPDATE, obj=carer, purpose="health check date")
    access_log_record(user=anna, action=VIEW, obj=ChildFactory(first_name="Toinen"))
    access_log_record(user=anna, action=UPDATE, obj=CarerFactory(first_name="Muu"))
    old = access_log_record(user=anna, action=VIEW, obj=child, purpose="long ago")
    with pgtrigger.ignore("fostercare.AccessLogEntry:append_only"):
        AccessLogEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=1100))
    return {**child_and_carer, "users": (anna, bertta, cecilia)}


def events(response_or_entries) -> list[tuple[str, str, str]]:
    return [(e.user.username, e.action, e.purpose) for e in response_or_entries]


def test_child_report_lists_exactly_those_events(client_for, admin_user, history):
    child = history["child"]

    response = client_for(admin_user).get(
        reverse("access-report-person", args=["placements.child", child.pk])
    )

    assert response.status_code == 200
    assert events(response.context["entries"]) == [
        ("anna", VIEW, "placement search"),
        ("bertta", VIEW, "placement search"),
        ("cecilia", VIEW, "placement search"),
        ("bertta", EXPORT, "decision document"),
    ]
    orgs = {e.user.username: e.organisation.name_fi for e in response.context["entries"]}
    assert orgs == {"anna": "Kemi", "bertta": "Kemi", "cecilia": "Tornio"}


def test_carer_report_lists_the_change_and_the_familys_rows(client_for, admin_user, history):
    carer, family = history["carer"], history["family"]
    unit = user_with_role(Role.UNIT_WORKER, "unit")
    access_log_record(user=unit, action=VIEW, obj=family)

    response = client_for(admin_user).get(
        reverse("access-report-person", args=["families.carer", carer.pk])
    )

    assert events(response.context["entries"]) == [
        ("cecilia", UPDATE, "health check date"),
        ("unit", VIEW, ""),
    ]


def test_rows_written_per_person_reach_that_persons_report(history, admin_user):
    carer = history["carer"]
    access_log_record_people(user=admin_user, action=VIEW, people=[carer], purpose="family page")

    entries = access_log_for_person(
        kind=person_kind("families.carer"),
        person=carer,
        start=timezone.localdate() - timedelta(days=1),
        end=timezone.localdate(),
    )

    assert ("admin", VIEW, "family page") in events(entries)


def test_the_period_can_be_chosen(client_for, admin_user, history):
    child = history["child"]
    start = (timezone.localdate() - timedelta(days=1200)).isoformat()

    response = client_for(admin_user).get(
        reverse("access-report-person", args=["placements.child", child.pk]),
        {"start": start, "end": timezone.localdate().isoformat()},
    )

    assert ("anna", VIEW, "long ago") in events(response.context["entries"])


def test_the_pdf_holds_the_events(client_for, admin_user, history):
    child = history["child"]

    response = client_for(admin_user).get(
        reverse("access-report-pdf", args=["placements.child", child.pk])
    )

    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Eetu Raportti" in text
    assert text.count("Anna Aho") == 1
    assert text.count("Bertta Aho") == 2  # viewed and exported
    assert text.count("Cecilia Aho") == 1
    assert "decision document" in text
    assert "Tornio" in text
    assert "long ago" not in text


def test_producing_the_report_is_logged(client_for, admin_user, history):
    child = history["child"]
    client = client_for(admin_user)

    client.get(reverse("access-report-person", args=["placements.child", child.pk]))
    client.get(reverse("access-report-pdf", args=["placements.child", child.pk]))

    logged = AccessLogEntry.objects.filter(user=admin_user, object_id=str(child.pk))
    assert sorted(logged.values_list("action", flat=True)) == [EXPORT, VIEW]
    assert all("703/2023" in entry.purpose for entry in logged)


@pytest.mark.parametrize(
    "term, expected",
    [("Raportti", {"Eetu Raportti", "Aino Hoitaja"}), ("140315A1239", {"Eetu Raportti"})],
)
def test_a_person_is_found_by_name_or_identity_code(
    client_for, admin_user, child_and_carer, term, expected
):
    response = client_for(admin_user).get(reverse("access-report"), {"q": term})

    assert {str(person) for _, person in response.context["found"]} == expected


def test_the_report_query_uses_the_index(history):
    """With 50,000 rows spread over two years (statistics as in production, scaled down),
    the planner reads the (content_type, object_id, at) index once per record."""
    family = history["family"]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO fostercare_accesslogentry
                (at, user_id, organisation_id, action, content_type_id, object_id,
                 object_repr, purpose)
            SELECT now() - (n %% 730) * interval '1 day', %s, NULL, 'view', %s,
                   (n %% 5000)::text, 'family', ''
            FROM generate_series(1, 50000) AS n
            """,
            [history["users"][0].pk, ContentType.objects.get_for_model(family).pk],
        )
        cursor.execute("ANALYZE fostercare_accesslogentry")
        entries = access_log_for_person(
            kind=person_kind("families.carer"),
            person=history["carer"],
            start=timezone.localdate() - timedelta(days=730),
            end=timezone.localdate(),
        )
        sql, params = entries.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # read per record (the carer and the family) through one of the log's indexes
    assert any(index.name in plan for index in AccessLogEntry._meta.indexes), plan
    assert "Seq Scan on fostercare_accesslogentry" not in plan, plan


ROLES = ("unit", "kemi", "tornio", "finance", "admin")
MATRIX = [
    ("access-report", None, (403, 403, 403, 403, 200)),
    ("access-report-person", ["placements.child"], (403, 403, 403, 403, 200)),
    ("access-report-pdf", ["placements.child"], (403, 403, 403, 403, 200)),
]


def _url(name, args, child):
    return reverse(name, args=[*args, child.pk]) if args else reverse(name)


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_open_the_report(role, roles, client_for, child_and_carer):
    client = client_for(roles[role])
    got = [
        client.get(_url(name, args, child_and_carer["child"])).status_code
        for name, args, _ in MATRIX
    ]
    assert got == [expected[ROLES.index(role)] for *_, expected in MATRIX]


def test_anonymous_is_sent_to_login(client, child_and_carer):
    for name, args, _ in MATRIX:
        response = client.get(_url(name, args, child_and_carer["child"]))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_an_unknown_kind_or_person_is_404(client_for, admin_user, registered_people):
    client = client_for(admin_user)
    assert client.get(reverse("access-report-person", args=["no.such", 1])).status_code == 404
    assert (
        client.get(reverse("access-report-person", args=["placements.child", 999999])).status_code
        == 404
    )


# The rows as the template loop wrote them before they were written in Python.
ROWS_LOOP = """{% for entry in entries %}
    <tr>
      <td>{{ entry.at|date:"SHORT_DATETIME_FORMAT" }}</td>
      <td>{{ entry.user }}</td>
      <td>{{ entry.organisation|default:_("the unit") }}</td>
      <td>{{ entry.get_action_display }}</td>
      <td>{{ entry.content_type.name|capfirst }}: {{ entry.object_repr }}</td>
      <td>{{ entry.purpose }}</td>
    </tr>
  {% empty %}
    <tr><td colspan="6">
      {% translate "Nobody processed the person's data in this period." %}</td></tr>
  {% endfor %}"""


def _tags_only(html: str) -> str:
    """The markup without the whitespace around its tags."""
    return re.sub(r"\s+<", "<", re.sub(r">\s+", ">", html.strip()))


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_rows_are_written_as_the_template_loop_wrote_them(history, admin_user, language):
    from django.template import Context, Template
    from django.utils import translation

    carer, family = history["carer"], history["family"]
    access_log_record(user=admin_user, action=VIEW, obj=family, purpose="<b>tarkistus</b>")
    start, end = timezone.localdate() - timedelta(days=30), timezone.localdate()
    kinds = (("families.carer", carer), ("placements.child", history["child"]))
    with translation.override(language):
        for key, person in kinds:
            entries = list(
                access_log_for_person(kind=person_kind(key), person=person, start=start, end=end)
            )
            for shown in (entries, []):
                context = Context({"entries": shown})
                loop = Template("{% load i18n %}" + ROWS_LOOP).render(context)
                tag = Template("{% load access_report %}{% access_report_rows entries %}")
                assert _tags_only(tag.render(context)) == _tags_only(loop)


def test_a_long_history_is_shown_a_hundred_rows_a_page_and_the_pdf_holds_all(
    client_for, admin_user, history
):
    child = history["child"]
    anna = history["users"][0]
    for _ in range(120):
        access_log_record(user=anna, action=VIEW, obj=child, purpose="selailu")
    client = client_for(admin_user)
    url = reverse("access-report-person", args=["placements.child", child.pk])

    first, second = client.get(url), client.get(url, {"page": 2})

    assert len(first.context["entries"]) == 100
    # 4 of the history + 120; the first view of the report is on the second page's count
    assert first.context["page"].paginator.count == 124
    assert len(second.context["entries"]) == 25
    assert "124 entries in this period" in first.content.decode()
    assert 'rel="next"' in first.content.decode()
    pdf = client.get(reverse("access-report-pdf", args=["placements.child", child.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert text.count("selailu") == 120
