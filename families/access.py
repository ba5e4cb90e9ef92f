"""Who may open which part of the register: the app's ``may_*`` predicates.

Which rows a user sees is decided by each model's ``visible_to`` (``fostercare.access``):
the register is the unit's, so every model keeps the default — all rows with the
model-wide permission, none without. Municipal workers hold no such permission; the few
fields of a family proposed to their request reach them through placements, never
through the register's pages.
"""

from families.models import Family, Provider, SupervisionVisit
from fostercare.access import is_municipal_worker_of_member, may


def may_view_register(user) -> bool:
    return may(user, "view", Family)


def may_add_family(user) -> bool:
    return may(user, "add", Family)


def may_change_family(user) -> bool:
    return may(user, "change", Family)


def may_view_providers(user) -> bool:
    """The unit reads the provider register; municipal workers read its public facts
    (licence, places, free places, the supervision visits' dates and follow-up), since
    the service contracts have the providers monitored together with the municipalities."""
    return may(user, "view", Provider) or is_municipal_worker_of_member(user)


def may_read_visit_notes(user) -> bool:
    """Who visited and what was found is the unit's, not the register's public facts."""
    return may(user, "view", SupervisionVisit)


def may_add_provider(user) -> bool:
    return may(user, "add", Provider)


def may_follow_up_visits(user) -> bool:
    """Supervision follow-ups are the unit's work (municipal workers read their dates)."""
    return may(user, "change", SupervisionVisit)
