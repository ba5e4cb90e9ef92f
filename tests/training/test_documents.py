"""PDFs (WeasyPrint) and the iCalendar file of a course."""

import base64
import http.server
import io
import threading
from datetime import time
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from fostercare import pdf
from fostercare.models import AccessLogEntry
from tests.families.factories import CarerFactory
from tests.training.factories import CourseFactory, EnrolmentFactory, SessionFactory
from training import ical
from training.models import Attendance

# a 1×1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def course(db):
    course = CourseFactory(title="PRIDE Kemi kevät")
    for day in ("2026-02-03", "2026-02-10", "2026-03-31"):
        SessionFactory(course=course, date=day, topic=f"Aihe {day}")
    return course


def test_certificate_names_the_participant_the_course_and_its_dates(
    course, unit_worker, client_for
):
    enrolment = EnrolmentFactory(
        course=course, carer=CarerFactory(first_name="Aino", last_name="Kallio")
    )
    for session in course.sessions.all()[:2]:
        Attendance.objects.create(session=session, enrolment=enrolment)
    response = client_for(unit_worker).get(f"/training/enrolments/{enrolment.pk}/certificate.pdf")
    text = _text(response)
    assert "Aino Kallio" in text
    assert "PRIDE Kemi kevät" in text
    assert "02/03/2026" in text and "03/31/2026" in text  # first and last day, English format
    assert "Attended 2 meetings" in text


def test_certificate_dates_are_finnish_in_finnish(course, unit_worker, client_for):
    enrolment = EnrolmentFactory(course=course, carer=CarerFactory(first_name="Eero"))
    response = client_for(unit_worker).get(
        f"/training/enrolments/{enrolment.pk}/certificate.pdf", HTTP_ACCEPT_LANGUAGE="fi"
    )
    text = _text(response)
    assert "3.2.2026" in text and "31.3.2026" in text


def test_certificate_only_for_enrolled_participants(course, unit_worker, client_for):
    enrolment = EnrolmentFactory(course=course, status="waitlisted")
    response = client_for(unit_worker).get(f"/training/enrolments/{enrolment.pk}/certificate.pdf")
    assert response.status_code == 404


def test_attendance_sheet_lists_participants_and_sessions(course, unit_worker, client_for):
    EnrolmentFactory(course=course, carer=CarerFactory(first_name="Aino", last_name="Kallio"))
    EnrolmentFactory(course=course, carer=CarerFactory(first_name="Jono"), status="waitlisted")
    text = _text(client_for(unit_worker).get(f"/training/courses/{course.pk}/attendance.pdf"))
    assert "Aino Kallio" in text
    assert "Jono" not in text
    assert "Aihe 2026-03-31" in text


def test_attendance_sheet_export_is_in_the_access_log_for_each_family(
    course, unit_worker, client_for
):
    aino = EnrolmentFactory(course=course, carer=CarerFactory(first_name="Aino"))
    eero = EnrolmentFactory(course=course, carer=CarerFactory(first_name="Eero"))
    EnrolmentFactory(course=course, status="waitlisted")
    response = client_for(unit_worker).get(f"/training/courses/{course.pk}/attendance.pdf")
    assert response.status_code == 200
    entries = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.EXPORT)
    assert sorted(int(e.object_id) for e in entries) == sorted(
        [aino.carer.family_id, eero.carer.family_id]
    )
    assert {e.user_id for e in entries} == {unit_worker.pk}
    assert all("PRIDE Kemi kevät" in e.purpose for e in entries)


@pytest.fixture
def web_server():
    """A local HTTP server that counts the requests it gets."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()


def test_a_pdf_never_fetches_from_the_network(web_server, rf, tmp_path, settings):
    base, requests = web_server
    (tmp_path / "doc.html").write_text(
        f'<img src="{base}/img.png"><link rel="stylesheet" href="{base}/style.css">'
        f'<p style="background: url({base}/bg.png)">Teksti</p>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    response = pdf.pdf_response(rf.get("/"), "doc.html", {}, filename="doc.pdf")
    assert response.status_code == 200
    assert "Teksti" in _text(response)
    assert requests == []


def test_the_pdf_fetcher_loads_only_data_urls_and_static_files(tmp_path):
    fetcher = pdf.local_static_fetcher()
    static = Path(settings.STATICFILES_DIRS[0]) / "css" / "app.css"
    assert static.exists()
    response = fetcher(static.as_uri())
    assert response.read()
    response.close()
    response = fetcher("data:text/plain;base64,VGVrc3Rp")
    assert response.read() == b"Teksti"
    response.close()
    outside = tmp_path / "secret.txt"
    outside.write_text("salainen")
    for url in (
        outside.as_uri(),
        "file:///etc/passwd",
        f"{static.parent.as_uri()}/../../manage.py",
        "http://127.0.0.1:1/x.png",
        "https://example.com/x.png",
        "ftp://example.com/x",
    ):
        with pytest.raises(ValueError):
            fetcher(url)


def test_ics_has_one_event_per_session_in_utc_with_crlf(course, unit_worker, client_for):
    response = client_for(unit_worker).get(f"/training/courses/{course.pk}/sessions.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 3
    assert "\n" not in body.replace("\r\n", "")
    # 17:30 in Helsinki in February (UTC+2) is 15:30 UTC; in late March (DST, UTC+3) 14:30
    assert "DTSTART:20260203T153000Z" in body
    assert "DTSTART:20260331T143000Z" in body


def test_ics_escapes_text_and_folds_long_lines():
    assert ical.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "ä" * 100
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_session_hours(db):
    session = SessionFactory(start_time=time(9), end_time=time(12, 30))
    assert str(session.hours) == "3.5"
