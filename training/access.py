"""Who may open which part of recruitment and training: the app's ``may_*`` predicates.

Which rows a user sees is decided by each model's ``visible_to`` (``fostercare.access``):
courses, their participants and the inquiries are the unit's, so every model keeps the
default — all rows with the model-wide permission, none without.
"""

from fostercare.access import may
from training.models import Course, Inquiry, Session


def may_view_courses(user) -> bool:
    return may(user, "view", Course)


def may_add_course(user) -> bool:
    return may(user, "add", Course)


def may_add_session(user) -> bool:
    return may(user, "add", Session)


def may_view_inquiries(user) -> bool:
    return may(user, "view", Inquiry)
