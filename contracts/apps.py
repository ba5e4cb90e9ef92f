from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Service contracts and invoicing")

    def ready(self):
        from contracts.models import Contract, Invoice
        from fostercare.access import may
        from fostercare.navigation import register_link

        register_link(
            "contracts:contract-list", _("Contracts"), lambda u: may(u, "view", Contract), order=30
        )
        register_link(
            "contracts:invoice-list", _("Invoices"), lambda u: may(u, "view", Invoice), order=40
        )

        # The app's items on the front page's work queue (fostercare.worklist).
        from contracts import worklist
        from fostercare.worklist import register_items

        register_items("contracts", worklist.worklist_items, sections=worklist.SECTIONS)
