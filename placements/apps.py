from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Placements")

    def ready(self):
        from families.panels import register_family_panel

        # The family's current and past placements on the family page.
        register_family_panel("placements/_family_placements.html")
