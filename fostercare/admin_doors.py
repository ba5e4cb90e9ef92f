"""The Django admin is a door like any page.

``RestrictedAdmin`` loads rows through the model's ``visible_to`` and writes an
access-log row whenever a record of personal data is opened (Client Data Act 703/2023),
as the pages do. Subclasses route ``save_model``, ``delete_model``, actions and imports
through the app's services, so the rules hold whatever the door.
"""

from django.contrib import admin

from fostercare.models import AccessLogEntry
from fostercare.services import access_log_record


class RestrictedAdminMixin:
    # Set False on admins of records without personal data.
    log_views = True

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request.user)
        return queryset

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if self.log_views and request.method == "GET" and response.status_code == 200:
            obj = getattr(response, "context_data", {}).get("original")
            if obj is not None:
                access_log_record(
                    user=request.user, action=AccessLogEntry.Action.VIEW, obj=obj, purpose="admin"
                )
        return response


class RestrictedAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    pass
