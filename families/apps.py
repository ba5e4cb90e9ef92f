from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "families"
    verbose_name = _("Family register")

    def ready(self):
        from families.models import Family, Provider
        from fostercare.access import may
        from fostercare.navigation import register_link

        register_link(
            "families:family-list", _("Families"), lambda u: may(u, "view", Family), order=10
        )
        register_link(
            "families:provider-list", _("Providers"), lambda u: may(u, "view", Provider), order=20
        )
