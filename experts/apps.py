from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Expert registers and consultations")

    def ready(self):
        from experts.access import may_search_experts, may_see_consultations
        from fostercare.navigation import register_link

        register_link("experts:expert-list", _("Experts"), may_search_experts, order=110)
        register_link(
            "experts:consultation-list", _("Consultations"), may_see_consultations, order=120
        )
