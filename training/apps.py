from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Recruitment and training")

    def ready(self):
        from families.panels import register_family_panel

        # Continuing-education hours per carer per year on the family page.
        register_family_panel("training/_family_training.html")
