import logging
import time

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using, apps=None, **kwargs):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    from fostercare.services import role_groups_sync

    # Apps later in INSTALLED_APPS get their permissions after this signal; make them now.
    # (flush, run by transactional tests, sends the signal without `apps`.)
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps or global_apps)
    role_groups_sync()
    organisation_groups_sync()


def organisation_groups_sync():
    from fostercare.models import MemberOrganisation
    from fostercare.services import organisation_group_sync

    for organisation in MemberOrganisation.objects.all():
        organisation_group_sync(organisation=organisation)


def _organisation_saved(sender, instance, **kwargs):
    from fostercare.services import organisation_group_sync

    organisation_group_sync(organisation=instance)


def _user_saved(sender, instance, update_fields=None, **kwargs):
    from fostercare.services import user_organisation_group_sync

    # Logins save last_login only; membership follows the organisation field.
    if update_fields is None or "organisation" in update_fields:
        user_organisation_group_sync(user=instance)


def _user_groups_changed(sender, instance, action, reverse, **kwargs):
    from fostercare.models import User
    from fostercare.services import user_organisation_group_sync

    # Setting a user's role groups (admin, demo) must not drop the organisation group.
    if not reverse and isinstance(instance, User) and action in {"post_remove", "post_clear"}:
        user_organisation_group_sync(user=instance)


def _session_started(sender, request, user, **kwargs):
    from fostercare.middleware import LAST_ACTIVITY_KEY, LOGGED_IN_AT_KEY

    # The absolute and idle limits count from the login (fostercare.middleware).
    if hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGGED_IN_AT_KEY] = now
        request.session[LAST_ACTIVITY_KEY] = now


def _lockout_removed(sender, instance, **kwargs):
    # An administrator unlocking a username deletes its access attempts (axes admin);
    # the admin's history records who did it, this line records that it happened.
    logging.getLogger("fostercare.security").warning(
        "Login lock removed: username %r from %s (%d failures)",
        instance.username,
        instance.ip_address,
        instance.failures_since_start,
    )


class FostercareAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "fostercare.admin_site.FostercareAdminSite"


class FostercareConfig(AppConfig):
    default = True  # this module also holds the admin's config
    name = "fostercare"
    verbose_name = _("Users and member organisations")

    def ready(self):
        # Group permissions are derived from fostercare.roles after every migrate.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="fostercare.sync_roles")
        # The organisation groups are derived data: rebuilt whenever their source changes.
        post_save.connect(
            _organisation_saved,
            sender="fostercare.MemberOrganisation",
            dispatch_uid="fostercare.organisation_group",
        )
        post_save.connect(
            _user_saved, sender="fostercare.User", dispatch_uid="fostercare.user_group"
        )
        m2m_changed.connect(
            _user_groups_changed,
            sender=self.get_model("User").groups.through,
            dispatch_uid="fostercare.user_groups_changed",
        )
        # A user's permissions and roles are cached between requests (fostercare.backends).
        from django.contrib.auth.models import Group, Permission

        from fostercare.backends import grants_changed
        from fostercare.caching import forget_on_change

        User = self.get_model("User")
        grants = (User.groups.through, User.user_permissions.through, Group.permissions.through)
        for through in grants:
            m2m_changed.connect(grants_changed, sender=through, dispatch_uid=f"authz.{through}")
        forget_on_change("authz", Group, Permission)
        post_delete.connect(grants_changed, sender=User, dispatch_uid="authz.user_deleted")
        # ... and the organisations' choice lists (fostercare.forms.OrganisationChoiceIterator)
        forget_on_change("organisations", self.get_model("MemberOrganisation"))
        user_logged_in.connect(_session_started, dispatch_uid="fostercare.session_started")
        post_delete.connect(
            _lockout_removed, sender="axes.AccessAttempt", dispatch_uid="fostercare.unlock"
        )

        from fostercare.navigation import register_link
        from fostercare.selectors import may_report_access

        register_link("access-report", _("Access-log reports"), may_report_access, order=200)
