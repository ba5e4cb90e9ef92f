"""The four roles are Django groups; this module is the one place that names them.

Group permissions are derived from ``ROLE_PERMISSIONS`` after every migrate, so a
new model's permissions reach the right roles without a hand-written migration.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    UNIT_WORKER = "unit_worker", _("Unit social worker")
    MUNICIPAL_WORKER = "municipal_worker", _("Municipal social worker")
    FINANCE = "finance", _("Finance")
    ADMINISTRATOR = "administrator", _("Administrator")


# app label -> "all" for every permission of the app, or a list of codenames.
ROLE_PERMISSIONS: dict[str, dict[str, str | list[str]]] = {
    Role.UNIT_WORKER: {
        "families": "all",
        "training": "all",
        "placements": "all",
        "experts": "all",
        # unit workers read contracts and invoices but do not manage them
        "contracts": [
            "view_contract",
            "view_contractperiod",
            "view_agreedshare",
            "view_usagefigure",
            "view_quarteractualcost",
            "view_invoice",
            "view_invoiceline",
            "view_invoicingrun",
        ],
        # the unit makes and reads the reports; finance sets the reference daily costs
        "reports": ["view_report", "add_report", "view_referencedailycost"],
        "fostercare": ["view_memberorganisation", "view_populationfigure"],
    },
    # Municipal workers' access to placements is per organisation (placements issue);
    # they hold no model-wide permissions on personal data.
    Role.MUNICIPAL_WORKER: {},
    Role.FINANCE: {
        "contracts": "all",
        "reports": "all",
        "fostercare": [
            "view_memberorganisation",
            "change_memberorganisation",
            "view_populationfigure",
            "add_populationfigure",
            "change_populationfigure",
            "delete_populationfigure",
        ],
    },
    Role.ADMINISTRATOR: {
        "families": "all",
        "training": "all",
        "placements": "all",
        "experts": "all",
        "contracts": "all",
        "reports": "all",
        "fostercare": "all",
        "auth": "all",
        "guardian": "all",
        # unlock a throttled username; remove a lost authenticator so its owner re-enrols
        "axes": "all",
        "otp_totp": "all",
        "otp_static": "all",
    },
}
