"""Who sees which experts and consultations, and which placement requests and children a
consultation may concern. The querysets here are the models' managers; their
``granted_to`` decides what a user without the model-wide permission sees.

- The registers are the unit's. A municipal worker may search them read-only, but only
  the persons who consented to be listed for the member municipalities; finance does not
  see them at all.
- A withdrawn consent hides the person from every page, search and export
  (``ExpertQuerySet.listed``); only the admin shows them, marked withdrawn.
- A municipal worker sees the consultations of the organisations their organisation
  group has been granted (``fostercare.handle_placements``, the same grant as the
  placements), i.e. their own municipality's.
"""

from fostercare.access import Action, RestrictedQuerySet, is_municipal_worker_of_member
from fostercare.models import User
from placements.access import handled_organisations
from placements.models import Child, PlacementRequest

# The models take their managers from this module, so it names permissions as strings
# rather than importing the models.


class ExpertQuerySet(RestrictedQuerySet):
    def listed(self) -> "ExpertQuerySet":
        """The one definition of who may appear in a list, search, export or choice:
        everyone whose consent to be listed has not been withdrawn."""
        return self.filter(consent_withdrawn_on__isnull=True)

    def granted_to(self, user, action: Action) -> "ExpertQuerySet":
        if action == "view" and is_municipal_worker_of_member(user):
            return self.listed().filter(consent_scope=self.model.ConsentScope.MEMBERS)
        return self.none()


class ConsultationQuerySet(RestrictedQuerySet):
    def granted_to(self, user, action: Action) -> "ConsultationQuerySet":
        if action == "view":
            return self.filter(municipality__in=handled_organisations(user))
        return self.none()


def may_search_experts(user: User) -> bool:
    """The register pages are for the unit and, read-only, for municipal workers."""
    return user.has_perm("experts.view_expert") or is_municipal_worker_of_member(user)


def may_maintain_experts(user: User) -> bool:
    return user.has_perm("experts.change_expert")


def may_see_consultations(user: User) -> bool:
    return user.has_perm("experts.view_consultation") or is_municipal_worker_of_member(user)


def may_log_consultations(user: User) -> bool:
    return user.has_perm("experts.add_consultation")


def concern_choices_for(user: User):
    """The placement requests and children a consultation logged by ``user`` may concern:
    those the user sees through the placements app's visibility.

    The only place experts reads placements' visibility.
    """
    return PlacementRequest.objects.visible_to(user), Child.objects.visible_to(user)
