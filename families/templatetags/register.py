from django import template

from families.choices import Language

register = template.Library()


@register.filter
def language_labels(codes) -> str:
    """["fi", "sv"] -> "Finnish, Swedish" in the user's language."""
    labels = dict(Language.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or ()) or "–"
