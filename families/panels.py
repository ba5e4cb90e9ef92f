"""Sections that apps built on the register add to the family page.

Imports point one way (families ← training ← placements), so the family page cannot name
their templates; each app registers its panel in its AppConfig.ready() instead. A panel
template gets the page's context (``family``, ``perms``) and loads its own data.
"""

_family_panels: list[str] = []


def register_family_panel(template_name: str) -> None:
    if template_name not in _family_panels:
        _family_panels.append(template_name)


def family_panels() -> list[str]:
    return list(_family_panels)
