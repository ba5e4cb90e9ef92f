"""PDF documents rendered from HTML templates with WeasyPrint: one place for every app."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


def _static_roots() -> list[Path]:
    return [Path(root).resolve() for root in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]]


def local_static_fetcher():
    """A WeasyPrint URL fetcher that loads only data: URLs and files under the static
    directories. Everything else (http, https, ftp, other local files) is refused, so a
    document can never make the server fetch from the network or read arbitrary files."""
    from weasyprint.urls import URLFetcher  # see pdf_response for why imports are local

    class LocalStaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in _static_roots()):
                    raise ValueError(f"Refused to load a file outside the static files: {url}")
            elif scheme != "data":
                raise ValueError(f"Refused to load a resource from the network: {url}")
            return super().fetch(url, headers)

    return LocalStaticFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def render_pdf(template: str, context: dict, *, request=None, **pdf_options) -> bytes:
    """``pdf_options`` go to WeasyPrint's ``write_pdf``, e.g. ``pdf_variant="pdf/ua-1"``
    for a tagged, accessible PDF."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    html = render_to_string(template, context, request=request)
    # base_url alone does not stop WeasyPrint from fetching http(s) URLs; the fetcher
    # refuses everything except data: URLs and files under the static directories.
    return HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=local_static_fetcher()
    ).write_pdf(**pdf_options)


def pdf_response(request, template: str, context: dict, *, filename: str) -> HttpResponse:
    # every document is a tagged PDF, readable with a screen reader (Act 306/2019)
    pdf = render_pdf(template, context, request=request, pdf_variant="pdf/ua-1")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
