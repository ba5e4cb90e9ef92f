from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Recruitment and training")

    def ready(self):
        from families.panels import register_family_panel
        from fostercare.navigation import register_link
        from training import history_texts  # noqa: F401  (registers the stored texts' codes)
        from training.access import may_view_courses, may_view_inquiries

        register_link("training:course-list", _("Courses"), may_view_courses, order=50)
        register_link("training:inquiry-list", _("Inquiries"), may_view_inquiries, order=60)

        # Continuing-education hours per carer per year on the family page.
        register_family_panel("training/_family_training.html")

        # The app's items on the front page's work queue (fostercare.worklist).
        from fostercare.worklist import register_items
        from training import worklist

        register_items("training", worklist.worklist_items, sections=worklist.SECTIONS)

        # The inquiry list's pipeline figures are cached (training.selectors.inquiry_pipeline)
        from fostercare.caching import forget_on_change

        forget_on_change(
            "inquiries", self.get_model("Inquiry"), self.get_model("InquiryStageChange")
        )
