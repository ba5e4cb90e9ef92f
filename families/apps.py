from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "families"
    verbose_name = _("Family register")

    def ready(self):
        from families.access import may_view_providers, may_view_register
        from fostercare.navigation import register_link

        register_link("families:family-list", _("Families"), may_view_register, order=10)
        register_link("families:provider-list", _("Providers"), may_view_providers, order=20)
