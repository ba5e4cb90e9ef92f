from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Placements")

    def ready(self):
        from families.occupancy import PROVIDER_UNIT, register_placed_by_day, register_taken
        from families.panels import register_family_panel
        from fostercare.navigation import register_link
        from placements import history_texts  # noqa: F401  (registers the stored texts' codes)
        from placements.access import may_list_children, may_see_vacancies, may_use_placements
        from placements.room import (
            placed_by_day_in_families,
            placed_by_day_in_units,
            placed_children,
            placed_in_unit,
            reserved_children,
            reserved_in_unit,
        )

        register_link(
            "placements:request-list", _("Placement requests"), may_use_placements, order=70
        )
        register_link("placements:child-list", _("Children"), may_list_children, order=80)
        register_link("placements:placement-list", _("Placements"), may_use_placements, order=90)
        register_link(
            "placements:arrangement-list", _("Support families"), may_use_placements, order=95
        )
        register_link("placements:vacancy-board", _("Vacancy board"), may_see_vacancies, order=100)

        # Children placed and reserved take a family's room (Family.objects.with_room()).
        register_taken("placed", placed_children)
        register_taken("reserved", reserved_children)
        # ... and a provider's unit's, by the same definition (ProviderUnit.objects.with_room())
        register_taken("placed", placed_in_unit, of=PROVIDER_UNIT)
        register_taken("reserved", reserved_in_unit, of=PROVIDER_UNIT)
        # ... and how many were placed on past days (the occupancy history's back-fill)
        register_placed_by_day(placed_by_day_in_families)
        register_placed_by_day(placed_by_day_in_units, of=PROVIDER_UNIT)

        from fostercare.people import register_person
        from placements.models import Child

        # A child's access log can be reported by name or identity code (Act 703/2023).
        register_person(
            Child,
            search_fields=["first_name", "last_name"],
            identity_field="personal_identity_code",
        )

        # The family's current and past placements on the family page.
        register_family_panel("placements/_family_placements.html")

        # The app's items on the front page's work queue (fostercare.worklist).
        from fostercare.worklist import register_items
        from placements import worklist

        register_items("placements", worklist.worklist_items, sections=worklist.SECTIONS)
