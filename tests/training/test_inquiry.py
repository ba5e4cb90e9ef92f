"""The public inquiry form and the recruitment pipeline."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from families.models import Carer, Family, FamilyStatusChange
from fostercare.models import AccessLogEntry
from tests.training.factories import CourseFactory
from training import services
from training.models import Inquiry, InquiryStageChange

URL = "/training/inquiry/"


def _valid(**overrides):
    data = {
        "kind": "foster",
        "first_name": "Sanna",
        "last_name": "Ylikangas",
        "birth_year": "1984",
        "email": "sanna@example.fi",
        "phone": "040 123 4567",
        "message": "Voisimmeko olla tukiperhe?",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def test_anonymous_person_can_open_the_form(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "How we handle your details" in response.content.decode()


def test_form_is_in_swedish_when_swedish_is_chosen(client, db):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    assert 'lang="sv"' in response.content.decode()
    assert "Bli familjehem eller stödfamilj" in response.content.decode()


def test_inquiry_creates_family_carer_and_inquiry_and_mails_the_unit(
    client, db, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.UNIT_EMAIL = "unit@example.fi"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _valid())
    assert response.status_code == 302
    assert response.url == reverse("training:inquiry-thanks")
    family = Family.objects.get()
    assert (family.name, family.status, family.kind) == ("Ylikangas", "inquiry", "foster")
    carer = Carer.objects.get()
    assert (carer.first_name, carer.email) == ("Sanna", "sanna@example.fi")
    inquiry = Inquiry.objects.get()
    assert inquiry.family == family and inquiry.stage == "new" and inquiry.language == "en"
    assert inquiry.stage_changes.count() == 1
    assert FamilyStatusChange.objects.filter(family=family, to_status="inquiry").exists()
    assert AccessLogEntry.objects.filter(user__username="public-inquiry-form").exists()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["unit@example.fi"]
    assert f"/training/inquiries/{inquiry.pk}/" in mailoutbox[0].body
    assert "sanna@example.fi" not in mailoutbox[0].body  # no personal data in e-mail


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("consent", "", "only with your consent"),
        ("email", "not-an-address", "valid email"),
        ("birth_year", "2015", "must be an adult"),
        ("phone", "call me", "phone number"),
        ("first_name", "", "This field is required"),
        ("kind", "spaceship", "Select a valid choice"),
    ],
)
def test_bad_input_is_explained_and_writes_nothing(client, db, mailoutbox, field, value, message):
    response = client.post(URL, _valid(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Family.objects.exists()
    assert not Inquiry.objects.exists()
    assert not Carer.objects.exists()
    assert not mailoutbox


def test_honeypot_filled_by_a_bot_writes_nothing(client, db, mailoutbox):
    response = client.post(URL, _valid(website="http://spam.example"))
    assert response.status_code == 302
    assert not Family.objects.exists()
    assert not mailoutbox


def _address():
    """An address of this test's own, so no other test (or parallel run) shares its count;
    the isolated_cache fixture of tests/conftest.py gives each test its own key prefix too."""
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def test_too_many_submissions_from_one_address_are_refused(client, db, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    address = _address()
    for n in range(5):
        response = client.post(URL, _valid(last_name=f"Perhe{n}"), REMOTE_ADDR=address)
        assert response.status_code == 302
    response = client.post(URL, _valid(last_name="Extra"), REMOTE_ADDR=address)
    assert response.status_code == 429
    assert "Too many inquiries" in response.content.decode()
    assert Family.objects.count() == 5
    # another address is not limited
    other = client.post(URL, _valid(last_name="Other"), REMOTE_ADDR=f"{address}1")
    assert other.status_code == 302


def test_without_the_proxy_setting_x_forwarded_for_is_ignored(client, db, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    address = _address()
    for n in range(6):
        response = client.post(
            URL,
            _valid(last_name=f"Perhe{n}"),
            REMOTE_ADDR=address,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",  # forged: nobody trusted appended it
        )
    assert response.status_code == 429
    assert Family.objects.count() == 5


def test_behind_the_proxy_the_client_is_the_last_x_forwarded_for_entry(client, db, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxy, sender, neighbour = _address(), _address(), _address()
    for n in range(5):
        response = client.post(
            URL,
            _valid(last_name=f"Perhe{n}"),
            REMOTE_ADDR=proxy,
            # the sender forges a first entry each time; the proxy appends the real address
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {sender}",
        )
        assert response.status_code == 302
    refused = client.post(
        URL, _valid(last_name="Extra"), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.4,{sender}"
    )
    assert refused.status_code == 429
    # another person behind the same proxy is not limited by the sender's submissions
    other = client.post(
        URL, _valid(last_name="Other"), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=neighbour
    )
    assert other.status_code == 302
    assert Family.objects.count() == 6


def test_failure_after_the_family_is_written_rolls_everything_back(client, db, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr(services.InquiryStageChange.objects, "create", broken)
    with pytest.raises(RuntimeError):
        client.post(URL, _valid())
    assert not Family.objects.exists()
    assert not Inquiry.objects.exists()


def _inquiry(stage_days, unit_worker):
    """An inquiry whose stages were entered the given number of days ago, in order."""
    inquiry = services.inquiry_create(
        kind="support",
        first_name="A",
        last_name="B",
        birth_year=1980,
        email="a@example.fi",
        phone="0401234567",
        language="fi",
        notify=False,
    )
    stages = list(stage_days)
    for stage in stages[1:]:
        services.inquiry_change_stage(inquiry=inquiry, stage=stage, by=unit_worker)
    now = timezone.now()
    for change, (stage, days) in zip(
        inquiry.stage_changes.order_by("entered_at", "pk"), stage_days.items(), strict=True
    ):
        assert change.stage == stage
        InquiryStageChange.objects.filter(pk=change.pk).update(
            entered_at=now - timedelta(days=days)
        )
    return inquiry


def test_pipeline_counts_per_stage_and_computes_time_in_stage(db, unit_worker, client_for):
    # one inquiry: new 10 days ago, contacted 6 days ago, still contacted (6 days so far)
    _inquiry({"new": 10, "contacted": 6}, unit_worker)
    # another: new 4 days ago, still new
    _inquiry({"new": 4}, unit_worker)
    response = client_for(unit_worker).get("/training/inquiries/")
    rows = {row["stage"]: row for row in response.context["pipeline"]}
    assert rows["new"]["count"] == 1
    assert rows["contacted"]["count"] == 1
    assert rows["info_evening"]["count"] == 0
    assert str(rows["new"]["average_days"]) == "4.0"  # (4 + 4) / 2
    assert str(rows["contacted"]["average_days"]) == "6.0"


def test_stage_change_moves_the_family_and_writes_history(db, unit_worker, client_for):
    inquiry = _inquiry({"new": 2}, unit_worker)
    response = client_for(unit_worker).post(
        f"/training/inquiries/{inquiry.pk}/stage/", {"stage": "withdrawn", "note": "Muutti"}
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.stage == "withdrawn"
    assert inquiry.family.status == "ended"
    assert inquiry.stage_changes.last().note == "Muutti"


def test_inquiry_cannot_be_approved_by_hand(db, unit_worker, client_for):
    inquiry = _inquiry({"new": 2}, unit_worker)
    response = client_for(unit_worker).post(
        f"/training/inquiries/{inquiry.pk}/stage/", {"stage": "approved"}
    )
    assert response.status_code == 400
    inquiry.refresh_from_db()
    assert inquiry.stage == "new"


def test_enrolling_the_family_moves_its_inquiry_to_training(db, unit_worker):
    inquiry = _inquiry({"new": 2}, unit_worker)
    services.family_enrol(course=CourseFactory(), family=inquiry.family, by=unit_worker)
    inquiry.refresh_from_db()
    assert inquiry.stage == "in_training"
    assert inquiry.family.status == "in_training"


def test_a_mail_server_failure_still_thanks_the_person(
    client, db, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def down(**kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(services, "send_mail", down)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _valid())
    assert response.status_code == 302
    assert Inquiry.objects.count() == 1
    assert "Could not e-mail the unit" in caplog.text


def test_anonymous_person_switches_the_form_to_swedish_with_the_header_switch(client, db):
    response = client.post("/i18n/setlang/", {"language": "sv", "next": URL}, follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert "Skicka förfrågan" in response.content.decode()


def test_inquiry_page_shows_the_days_spent_in_each_stage(db, unit_worker, client_for):
    inquiry = _inquiry({"new": 10, "contacted": 3}, unit_worker)
    body = client_for(unit_worker).get(f"/training/inquiries/{inquiry.pk}/").content.decode()
    assert "7 days in stage" in body
    assert "3 days in stage" in body


def test_pipeline_ends_a_stay_at_a_closing_change_and_counts_no_closed_stage(
    db, unit_worker, client_for
):
    # new 9 days ago, contacted 5 days ago, withdrawn 2 days ago: contacted for 3 days
    _inquiry({"new": 9, "contacted": 5, "withdrawn": 2}, unit_worker)
    # new 7 days ago, contacted 1 day ago and still contacted
    _inquiry({"new": 7, "contacted": 1}, unit_worker)
    response = client_for(unit_worker).get("/training/inquiries/")
    rows = {row["stage"]: row for row in response.context["pipeline"]}
    assert str(rows["new"]["average_days"]) == "5.0"  # (4 + 6) / 2
    assert str(rows["contacted"]["average_days"]) == "2.0"  # (3 + 1) / 2
    assert rows["withdrawn"]["average_days"] is None
    assert rows["withdrawn"]["count"] == 1


def test_pipeline_reads_the_history_in_one_pass(unit_worker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from training.selectors import inquiry_pipeline

    with CaptureQueriesContext(connection) as queries:
        inquiry_pipeline(unit_worker)

    # the next change by a window over the history, not a subquery per change
    stays = next(q["sql"] for q in queries if "training_inquirystagechange" in q["sql"])
    assert "LEAD(" in stays
    assert stays.count("SELECT") == 3  # the sums, the history, the visible inquiries


def test_inquiry_list_shows_each_inquiry_stage_by_its_label(db, unit_worker, client_for):
    _inquiry({"new": 3, "contacted": 1}, unit_worker)
    response = client_for(unit_worker).get("/training/inquiries/")
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        label = str(Inquiry.Stage.CONTACTED.label)
    assert f'<span class="badge">{label}</span>' in response.text


def test_pipeline_figures_are_cached_until_an_inquiry_changes(db, unit_worker, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    inquiry = _inquiry({"new": 2}, unit_worker)
    client = client_for(unit_worker)

    def pipeline():
        response = client.get("/training/inquiries/")
        return {row["stage"]: row["count"] for row in response.context["pipeline"]}

    assert pipeline()["new"] == 1
    with CaptureQueriesContext(connection) as queries:
        assert pipeline()["new"] == 1
    assert not [q for q in queries if "LEAD(" in q["sql"]]  # the second view reads the cache

    services.inquiry_change_stage(inquiry=inquiry, stage="contacted", by=unit_worker)

    counts = pipeline()
    assert counts["new"] == 0 and counts["contacted"] == 1
