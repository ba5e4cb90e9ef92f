"""Answers to htmx requests: the status message a screen reader hears (WCAG 4.1.3)."""

import json

from django.http import HttpResponse


def announce(response: HttpResponse, message: str) -> HttpResponse:
    """Have static/js/a11y.js put ``message`` into the page's polite live region.

    The message travels in the HX-Trigger header as ASCII-escaped JSON (headers are
    Latin-1; "Läsnä" and "–" survive the escape)."""
    response["HX-Trigger"] = json.dumps({"announce": str(message)})
    return response
