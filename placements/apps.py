from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Placements")

    def ready(self):
        from families.models import Family
        from families.occupancy import register_taken
        from families.panels import register_family_panel
        from fostercare.access import may
        from fostercare.navigation import register_link
        from placements.room import placed_children, reserved_children
        from placements.selectors import may_use_placements

        register_link(
            "placements:request-list", _("Placement requests"), may_use_placements, order=70
        )
        # the unit reaches children through requests and placements; municipal workers
        # have no other way to their own children
        register_link(
            "placements:child-list",
            _("Children"),
            lambda u: may_use_placements(u) and not may(u, "change", Family),
            order=80,
        )
        register_link("placements:placement-list", _("Placements"), may_use_placements, order=90)
        register_link(
            "placements:vacancy-board",
            _("Vacancy board"),
            lambda u: may(u, "view", Family),
            order=100,
        )

        # Children placed and reserved take a family's room (Family.objects.with_room()).
        register_taken("placed", placed_children)
        register_taken("reserved", reserved_children)

        # The family's current and past placements on the family page.
        register_family_panel("placements/_family_placements.html")
