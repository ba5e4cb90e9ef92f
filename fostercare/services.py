import logging
from collections.abc import Iterable
from datetime import datetime

import pgtrigger
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from guardian.models import UserObjectPermissionBase
from guardian.shortcuts import assign_perm

from fostercare.models import AccessibilityFeedback, AccessLogEntry, MemberOrganisation, User
from fostercare.roles import ROLE_PERMISSIONS


def access_log_record(
    *, user: User, action: AccessLogEntry.Action, obj: models.Model, purpose: str = ""
) -> AccessLogEntry:
    """Record that ``user`` viewed or changed ``obj`` (Client Data Act 703/2023)."""
    return access_log_record_many(user=user, action=action, objs=[obj], purpose=purpose)[0]


def access_log_record_many(
    *, user: User, action: AccessLogEntry.Action, objs: Iterable[models.Model], purpose: str = ""
) -> list[AccessLogEntry]:
    """One access-log row per object, written in one insert."""
    return AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            user=user,
            organisation_id=user.organisation_id,
            action=action,
            content_type=ContentType.objects.get_for_model(obj),  # cached after the first
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            purpose=purpose[:200],
        )
        for obj in objs
    )


def access_log_record_people(
    *,
    user: User,
    action: AccessLogEntry.Action,
    people: Iterable[models.Model],
    purpose: str = "",
) -> list[AccessLogEntry]:
    """One row per person whose data a page or document showed: a family page shows its
    carers and household members, so it records each of them (fostercare.people), and
    each person's report then lists it without counting the family's rows."""
    return access_log_record_many(user=user, action=action, objs=people, purpose=purpose)


logger = logging.getLogger(__name__)
RETENTION_TRIGGER = "fostercare.AccessLogEntry:append_only"


def access_log_delete_older_than(*, before: datetime) -> int:
    """Delete the access-log rows written before ``before`` (the retention period).

    The only deletion the log allows: the append-only trigger is ignored for this
    transaction alone, and how many rows went, up to when, is written to the log file.
    """
    with transaction.atomic(), pgtrigger.ignore(RETENTION_TRIGGER):
        deleted, _ = AccessLogEntry.objects.filter(at__lt=before).delete()
    logger.warning("Access log retention: deleted %d entries written before %s", deleted, before)
    return deleted


def role_groups_sync() -> None:
    """Create the role groups and give each exactly the permissions ROLE_PERMISSIONS names."""
    for role, apps in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = Permission.objects.none()
        for app_label, codenames in apps.items():
            perms = Permission.objects.filter(content_type__app_label=app_label)
            if codenames != "all":
                perms = perms.filter(codename__in=codenames)
            wanted = wanted | perms
        group.permissions.set(wanted)


ORGANISATION_GROUP_PREFIX = "organisation:"


def organisation_group_sync(*, organisation: MemberOrganisation) -> Group:
    """One group per member organisation, holding the object permission on it.

    Which requests and children a municipal worker sees is decided by this grant
    (django-guardian), so an exception is a grant, not a code change.
    """
    group, _ = Group.objects.get_or_create(name=f"{ORGANISATION_GROUP_PREFIX}{organisation.code}")
    assign_perm("fostercare.handle_placements", group, organisation)
    return group


def user_organisation_group_sync(*, user: User) -> None:
    """Keep a user in exactly the group of their own organisation (none without one)."""
    stale = list(user.groups.filter(name__startswith=ORGANISATION_GROUP_PREFIX))
    if user.organisation_id:
        group = organisation_group_sync(organisation=user.organisation)
        if group in stale:
            stale.remove(group)
        else:
            user.groups.add(group)
    if stale:
        user.groups.remove(*stale)
        # Leaving an organisation ends the exceptions granted to the person one by one
        # (e.g. a placement request shared with them), in every guardian table.
        user_object_permissions_revoke(user=user)


def user_language_set(*, user: User, language: str) -> None:
    """Record the language ``user`` chose (one of ``LANGUAGES``): their pages after the
    next login and their morning digest are in it."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def user_object_permissions_revoke(*, user: User) -> None:
    """Delete every per-object permission granted to ``user`` directly (not via groups)."""
    for model in django_apps.get_models():
        if issubclass(model, UserObjectPermissionBase):
            model.objects.filter(user=user).delete()


@transaction.atomic
def accessibility_feedback_create(
    *,
    topic: str,
    message: str,
    page: str = "",
    name: str = "",
    email: str = "",
    language: str,
) -> AccessibilityFeedback:
    """Store feedback on accessibility and e-mail it to the unit once stored (Act 306/2019
    section 15: the unit answers within 14 days). The e-mail carries the feedback itself:
    it is about the service, and its sender chose what to tell."""
    from django.conf import settings
    from django.core.mail import send_mail

    feedback = AccessibilityFeedback(
        topic=topic, message=message, page=page, name=name, email=email, language=language
    )
    feedback.full_clean()
    feedback.save()

    def notify() -> None:
        # The feedback is stored: a mail server failure is logged, never shown to the sender.
        try:
            send_mail(
                subject=f"Saavutettavuuspalaute / Tillgänglighetsrespons #{feedback.pk}",
                message=(
                    f"{feedback.get_topic_display()}\n"
                    f"{feedback.page or '–'}\n\n{feedback.message}\n\n"
                    f"{feedback.name or '–'} <{feedback.email or '–'}> ({feedback.language})\n"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[settings.UNIT_EMAIL],
            )
        except Exception:
            logger.exception("Could not e-mail the unit about accessibility feedback")

    transaction.on_commit(notify)
    return feedback
