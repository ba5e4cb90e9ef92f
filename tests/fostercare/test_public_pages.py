"""The public pages of Act 306/2019 and the GDPR: the accessibility statement, its feedback
form and the privacy notice, in Finnish, Swedish and English, linked from every page."""

import pytest
from django.core import mail
from django.urls import reverse

from fostercare.models import AccessibilityFeedback
from fostercare.ratelimit import PUBLIC_FORM_LIMIT

PUBLIC_PAGES = ["accessibility-statement", "accessibility-feedback", "privacy-notice"]
HEADINGS = {
    "fi": ["Saavutettavuusseloste", "Saavutettavuuspalaute", "Tietosuojaseloste"],
    "sv": ["Tillgänglighetsutlåtande", "Respons om tillgänglighet", "Dataskyddsbeskrivning"],
    "en": ["Accessibility statement", "Accessibility feedback", "Privacy notice"],
}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_public_pages_open_without_login_in_each_language(client, db, language):
    client.cookies["django_language"] = language
    for name, heading in zip(PUBLIC_PAGES, HEADINGS[language], strict=True):
        response = client.get(reverse(name))
        html = response.content.decode()
        assert response.status_code == 200, name
        assert f'<html lang="{language}">' in html
        assert f"<h1>{heading}</h1>" in html, name


def test_statement_follows_the_model_of_the_supervisory_authority(client, db):
    client.cookies["django_language"] = "fi"
    html = client.get(reverse("accessibility-statement")).content.decode()
    for part in [
        "Saavutettavuuden tila",
        "Sisällöt, jotka eivät ole saavutettavia",
        "Valvontamenettely",
        "saavutettavuus@traficom.fi",
        reverse("accessibility-feedback"),
    ]:
        assert part in html


def test_privacy_notice_names_controller_purposes_bases_retention_and_the_log(client, db):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("privacy-notice")).content.decode()
    for part in [
        "Controller",
        "Purposes of processing",
        "Legal bases",
        "Retention",
        "who has processed or viewed your data",
    ]:
        assert part in html


@pytest.mark.parametrize("url", ["/login/", "/training/inquiry/", "/accessibility/", "/privacy/"])
def test_every_page_links_the_statement_and_the_privacy_notice_in_its_footer(client, db, url):
    html = client.get(url).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert reverse("accessibility-statement") in footer
    assert reverse("privacy-notice") in footer
    assert reverse("accessibility-feedback") in footer


def test_signed_in_pages_link_them_too(client, unit_worker):
    client.force_login(unit_worker)
    html = client.get(reverse("families:family-list")).content.decode()
    assert reverse("accessibility-statement") in html and reverse("privacy-notice") in html


def test_inquiry_form_links_the_privacy_notice_and_gives_the_units_contacts(client, db, settings):
    html = client.get(reverse("training:inquiry-create")).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert reverse("privacy-notice") in main
    assert settings.UNIT_EMAIL in main and settings.UNIT_PHONE in main


def test_feedback_is_stored_and_mailed_to_the_unit(
    client, db, settings, django_capture_on_commit_callbacks
):
    client.cookies["django_language"] = "sv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accessibility-feedback"),
            {
                "topic": "shortcoming",
                "page": "/training/inquiry/",
                "message": "Knappen syns inte.",
                "email": "a@example.org",
            },
        )
    assert response.status_code == 302
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.message, feedback.language) == ("Knappen syns inte.", "sv")
    assert mail.outbox[0].to == [settings.UNIT_EMAIL]
    assert "Knappen syns inte." in mail.outbox[0].body


def test_feedback_without_a_message_is_refused_and_stores_nothing(client, db):
    response = client.post(reverse("accessibility-feedback"), {"topic": "other", "message": ""})
    assert response.status_code == 400
    assert AccessibilityFeedback.objects.count() == 0
    assert 'href="#id_message"' in response.content.decode()


def test_feedback_form_is_rate_limited_like_the_inquiry_form(client, db):
    data = {"topic": "other", "message": "Hei"}
    for _ in range(PUBLIC_FORM_LIMIT):
        assert client.post(reverse("accessibility-feedback"), data).status_code == 302
    assert client.post(reverse("accessibility-feedback"), data).status_code == 429
    assert AccessibilityFeedback.objects.count() == PUBLIC_FORM_LIMIT


def test_feedback_honeypot_stores_nothing(client, db):
    data = {"topic": "other", "message": "spam", "website": "http://x"}
    assert client.post(reverse("accessibility-feedback"), data).status_code == 302
    assert AccessibilityFeedback.objects.count() == 0


def test_public_inquiry_form_declares_input_purposes_and_joins_the_consent_to_its_text(client, db):
    html = client.get(reverse("training:inquiry-create")).content.decode()
    assert 'autocomplete="given-name"' in html and 'autocomplete="family-name"' in html
    assert 'type="email" name="email" autocomplete="email"' in html
    assert 'type="tel" name="phone" autocomplete="tel"' in html
    # the checkbox sits inside its label, so the whole text is its target
    assert '<label for="id_consent" class="consent-label"><input type="checkbox"' in html
    assert "(required)" in html
