"""Finland's formats in Finnish and in Finland-Swedish (fostercare/formats): 1.12.2026, 0.52,
17.30; names of member organisations in the reader's language."""

from datetime import date, datetime, time

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, translation

from tests.fostercare.factories import MemberOrganisationFactory
from tests.training.factories import SessionFactory


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_dates_and_times_are_written_as_in_finland(language):
    with translation.override(language):
        assert formats.date_format(date(2026, 12, 1), "SHORT_DATE_FORMAT") == "1.12.2026"
        assert formats.date_format(date(2026, 12, 1)) == "1.12.2026"
        assert formats.time_format(time(0, 52)) == "0.52"
        assert formats.time_format(time(17, 30)) == "17.30"
        rendered = Template("{{ at|date:'SHORT_DATETIME_FORMAT' }} {{ t|time }}").render(
            Context({"at": datetime(2026, 12, 1, 0, 52), "t": time(17, 30)})
        )
        assert rendered == "1.12.2026 0.52 17.30"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_finland_swedish_and_finnish_dates_are_accepted_in_forms(language):
    from django import forms

    class F(forms.Form):
        on = forms.DateField()

    with translation.override(language):
        form = F({"on": "1.12.2026"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["on"] == date(2026, 12, 1)


@pytest.mark.parametrize("language, shown", [("fi", "17.30–20.30"), ("sv", "17.30–20.30")])
def test_course_page_shows_session_times_as_in_finland(client, unit_worker, language, shown):
    session = SessionFactory()
    client.force_login(unit_worker)
    client.cookies["django_language"] = language
    html = client.get(reverse("training:course-detail", args=[session.course.pk])).content.decode()
    assert shown in html
    assert "17:30" not in html


def test_municipality_names_are_in_the_readers_language_in_dropdowns(client, db):
    MemberOrganisationFactory(code="598", name_fi="Pietarsaari", name_sv="Jakobstad")
    client.cookies["django_language"] = "sv"
    html = client.get(reverse("training:inquiry-create")).content.decode()
    assert ">Jakobstad</option>" in html and "Pietarsaari" not in html
    client.cookies["django_language"] = "fi"
    html = client.get(reverse("training:inquiry-create")).content.decode()
    assert ">Pietarsaari</option>" in html and "Jakobstad" not in html
