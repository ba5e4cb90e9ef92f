"""The morning digest: one e-mail to each unit worker, to each municipal worker for their
own requests, and to finance, of the work-queue items that crossed a threshold since the
last one.

The mail carries counts and links only — no names of children, families or carers: an
e-mail leaves the system's access control and its access log. Each item is sent once per
threshold (``ReminderSent``), so running the task twice sends nothing new.
"""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fostercare.models import ReminderSent, User
from fostercare.roles import Role
from fostercare.worklist import ITEMS_SHOWN_PER_SECTION, Item, worklist_for

DIGEST_ROLES = (Role.UNIT_WORKER, Role.MUNICIPAL_WORKER, Role.FINANCE)


def digest_recipients():
    """Active unit workers, municipal workers and finance with an e-mail address."""
    groups = Group.objects.filter(name__in=DIGEST_ROLES)
    return (
        User.objects.filter(is_active=True, groups__in=groups)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def language_for(user: User) -> str:
    """The user's preferred language (recorded when they switch it), if still offered."""
    return user.language if user.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _new_items(user: User, today: date) -> list[tuple[object, list[Item]]]:
    """The user's queue, each section cut to the items not yet reminded of."""
    sent = set(ReminderSent.objects.filter(user=user).values_list("item_key", "threshold"))
    sections = []
    for view in worklist_for(user, today):
        items = [
            item
            for item in view.items
            if item.remind and item.threshold and (item.key, item.threshold) not in sent
        ]
        if items:
            sections.append((view.section, items))
    return sections


@transaction.atomic
def reminder_digest_send(*, user_id: int, today: date) -> int:
    """Send ``user`` one digest of what became due; returns how many items it carried.

    The user's row is locked, so two runs at once send one digest; the reminders are
    recorded before the mail is sent and roll back if sending fails (tomorrow's digest
    carries them then).
    """
    user = User.objects.select_for_update().get(pk=user_id)
    with translation.override(language_for(user)):
        sections = _new_items(user, today)
        if not sections:
            return 0
        items = [item for _section, section_items in sections for item in section_items]
        ReminderSent.objects.bulk_create(
            ReminderSent(user=user, item_key=item.key, threshold=item.threshold, sent_on=today)
            for item in items
        )
        context = {
            "today": date_format(today, "SHORT_DATE_FORMAT"),
            "front_page": f"{settings.SITE_URL}/",
            "sections": [
                {
                    "title": section.title,
                    "count": len(section_items),
                    "links": [
                        f"{settings.SITE_URL}{item.url}"
                        for item in section_items[:ITEMS_SHOWN_PER_SECTION]
                    ],
                }
                for section, section_items in sections
            ],
        }
        body = render_to_string("fostercare/worklist/digest.txt", context)
        subject = _("What became due on %(date)s: %(count)s") % {
            "date": context["today"],
            "count": len(items),
        }
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return len(items)


def reminders_send(*, today: date) -> int:
    """Each recipient's digest; returns how many items were sent in all."""
    return sum(
        reminder_digest_send(user_id=user_id, today=today)
        for user_id in digest_recipients().values_list("pk", flat=True)
    )
