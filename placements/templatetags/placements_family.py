from django import template

from placements import access, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def family_placements(context, family):
    """The family's placements, newest first, as the user may see them (one query); None
    for a user the placements pages are not for."""
    user = context["request"].user
    if not access.may_use_placements(user):
        return None
    return selectors.family_placements(user, family)
