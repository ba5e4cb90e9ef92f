from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "families"
    verbose_name = _("Family register")

    def ready(self):
        from families import history_texts  # noqa: F401  (registers the stored texts' codes)
        from families.access import may_view_providers, may_view_register
        from fostercare.navigation import register_link

        register_link("families:family-list", _("Families"), may_view_register, order=10)
        register_link("families:provider-list", _("Providers"), may_view_providers, order=20)

        from families.models import Carer, CheckType, HouseholdMember
        from fostercare.caching import forget_on_change

        # the check types' validity periods are cached (families.worklist.check_validity)
        forget_on_change("checktypes", CheckType)
        from fostercare.people import register_person

        # The people of the register whose access log a client may ask for (Act
        # 703/2023). The family page shows every carer and household member, so the rows
        # filed under the family are theirs too.
        register_person(
            Carer,
            search_fields=["first_name", "last_name", "family__name"],
            filed_under=lambda carer: [carer.family],
        )
        # household members are recorded without a name: found by description and family
        register_person(
            HouseholdMember,
            search_fields=["description", "family__name"],
            filed_under=lambda member: [member.family],
        )

        # The app's items on the front page's work queue (fostercare.worklist).
        from families import worklist
        from fostercare.worklist import register_items

        register_items("families", worklist.worklist_items, sections=worklist.SECTIONS)
