from django import template

from training import selectors
from training.access import may_view_courses

register = template.Library()


@register.simple_tag
def continuing_education_hours(family, user):
    """Hours per carer per year for the family page (one query; none without the right)."""
    return selectors.continuing_education_hours(user, family)


@register.filter
def may_view_training(user) -> bool:
    return may_view_courses(user)
