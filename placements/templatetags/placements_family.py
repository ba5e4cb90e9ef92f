from django import template

from placements import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def family_placements(context, family):
    """The family's placements, newest first, as the user may see them (one query)."""
    return list(
        selectors.placements_visible_to(context["request"].user)
        .filter(family=family)
        .select_related("child", "family", "provider")
        .order_by("ended_on", "-started_on")
    )
