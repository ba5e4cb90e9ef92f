from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Placements")

    def ready(self):
        from families.occupancy import register_taken
        from families.panels import register_family_panel
        from placements.room import placed_children, reserved_children

        # Children placed and reserved take a family's room (Family.objects.with_room()).
        register_taken("placed", placed_children)
        register_taken("reserved", reserved_children)

        # The family's current and past placements on the family page.
        register_family_panel("placements/_family_placements.html")
