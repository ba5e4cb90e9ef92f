from django import template

from training import selectors

register = template.Library()


@register.simple_tag
def continuing_education_hours(family):
    """Hours per carer per year for the family page (one query)."""
    return selectors.continuing_education_hours(family)
