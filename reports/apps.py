from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from fostercare.access import is_municipal_worker_of_member, may
        from fostercare.navigation import register_link
        from reports.models import Report

        register_link(
            "reports:report-list",
            _("Reports"),
            lambda u: may(u, "view", Report) or is_municipal_worker_of_member(u),
            order=50,
        )
