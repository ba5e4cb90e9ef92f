from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, apps, using, **kwargs):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    from fostercare.services import role_groups_sync

    # Apps later in INSTALLED_APPS get their permissions after this signal; make them now.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    role_groups_sync()


class FostercareConfig(AppConfig):
    name = "fostercare"
    verbose_name = _("Users and member organisations")

    def ready(self):
        # Group permissions are derived from fostercare.roles after every migrate.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="fostercare.sync_roles")
