"""PDF documents of courses, rendered from HTML templates with WeasyPrint."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


def pdf_response(request, template: str, context: dict, *, filename: str) -> HttpResponse:
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    html = render_to_string(template, context, request=request)
    # templates carry their own styles; base_url only resolves local paths, never the network
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
