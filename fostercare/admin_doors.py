"""The Django admin is a door like any page.

``RestrictedAdmin`` loads rows through the model's ``visible_to`` and writes an
access-log row whenever a record of personal data is opened (Client Data Act 703/2023),
as the pages do. Subclasses route ``save_model``, ``delete_model``, actions and imports
through the app's services, so the rules hold whatever the door.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from fostercare import imports
from fostercare.models import AccessLogEntry
from fostercare.services import (
    access_log_record,
    access_log_record_many,
    access_log_record_people,
)


class _ValidOnly:
    """Re-showing a refused form, Django's widget looks the submitted value up as it is,
    so "abc" for an integer key is a ValueError (a server error) instead of the field's
    own "Select a valid choice" message; values that are no key are left out."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        valid = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


class _ValidOnlyAutocompleteSelect(_ValidOnly, AutocompleteSelect):
    pass


class _ValidOnlyAutocompleteSelectMultiple(_ValidOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """Autocomplete fields that answer a malformed submitted key with a form error."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = _ValidOnlyAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = _ValidOnlyAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RestrictedAdminMixin(SafeAutocompleteMixin):
    """Rows through ``visible_to``, views of personal data logged, autocomplete keys safe."""

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
                access_log_record_people(
                    user=request.user,
                    action=AccessLogEntry.Action.VIEW,
                    people=self.people_shown(obj),
                    purpose="admin",
                )
        return response

    def people_shown(self, obj) -> list:
        """The people whose data the change page shows besides ``obj`` (e.g. in inlines)."""
        return []


class RestrictedAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyAdminMixin:
    """An admin (or inline) that only shows: what it lists changes through the pages'
    services alone (invoices, runs, counters, a request's events)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ExportLoggedMixin:
    """An import-export admin whose exports write one EXPORT row per exported record, in one
    insert: a file of personal data leaves the register like a page shows it."""

    def get_data_for_export(self, request, queryset, **kwargs):
        # the rows the resource will write: its filter_export may leave some out (experts
        # whose consent was withdrawn), and those leave nothing
        resource_class = self.choose_export_resource_class(kwargs.get("export_form"), request)
        resource = resource_class(**self.get_export_resource_kwargs(request, **kwargs))
        records = list(resource.filter_export(queryset, **kwargs))
        access_log_record_many(
            user=request.user,
            action=AccessLogEntry.Action.EXPORT,
            objs=[*records, *self.people_exported(records)],
            purpose="admin",
        )
        return super().get_data_for_export(request, queryset, **kwargs)

    def people_exported(self, records: list) -> list:
        """The people whose data the exported records hold besides the records themselves
        (a family's carers), each logged too so the person's report finds the export."""
        return []


class _DryRun(Exception):
    pass


class ServiceAdminForm(forms.ModelForm):
    """An admin form whose save is a service call, validated by running that call once
    in a savepoint that is always rolled back: the service's refusals (capacity, gates,
    reasons) show on the form like the pages show them, instead of a server error.

    Subclasses define ``service_call(user)`` returning the call; the admin's
    ``save_model`` runs it for real. ``user`` is set by ``ServiceAdminMixin.get_form``.
    """

    user = None

    def service_call(self, user):
        raise NotImplementedError

    def _post_clean(self):
        # after the model's own validation, so the call sees the form's values
        super()._post_clean()
        if self.errors:
            return
        pk, adding = self.instance.pk, self.instance._state.adding
        try:
            with transaction.atomic():
                self.service_call(self.user)()
                raise _DryRun
        except _DryRun:
            pass
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.error_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
            else:
                self.add_error(None, error)
        finally:
            # the rolled-back save must not leave its id on the form's instance
            self.instance.pk, self.instance._state.adding = pk, adding


class ServiceAdminMixin(RestrictedAdminMixin):
    """The admin saves through the form's service call (see ``ServiceAdminForm``)."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user  # a fresh class per request (modelform_factory)
        return form

    def save_model(self, request, obj, form, change):
        saved = form.service_call(request.user)()
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # many-to-many fields are the service's to set; inlines save their own way
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class BackgroundImportMixin:
    """An import-export admin whose files of more than ``IMPORT_BACKGROUND_ROWS`` rows are
    imported by a Celery worker: the upload answers at once with the import's own page
    (progress, counts, row errors). Smaller files keep the preview and confirmation. Both
    run the same resource, whose rows go through the app's services (fostercare.imports)."""

    def import_action(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                job = self._queue_large_import(request, form)
                if job is not None:
                    return redirect("admin:fostercare_importjob_change", job.pk)
        return super().import_action(request, **kwargs)

    def _queue_large_import(self, request, form):
        upload = form.cleaned_data["import_file"]
        file_format = self.get_import_formats()[int(form.cleaned_data["format"])]
        content = b"".join(upload.chunks())
        try:
            reader = file_format()
            data = content if reader.is_binary() else content.decode(self.from_encoding)
            rows = len(reader.create_dataset(data))
        except Exception:
            return None  # the preview says the file cannot be read, as before
        if rows <= settings.IMPORT_BACKGROUND_ROWS:
            return None
        return imports.import_job_queue(
            user=request.user,
            model=self.model,
            resource_class=self.choose_import_resource_class(form, request),
            file_format=file_format,
            content=content,
            file_name=upload.name,
            total_rows=rows,
        )

    def process_import(self, request, **kwargs):
        if request.method == "POST" and not imports.preview_file_exists(
            request.POST.get("import_file_name", "")
        ):
            messages.error(
                request, _("The uploaded file is no longer kept. Choose it and import it again.")
            )
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_import")
        return super().process_import(request, **kwargs)
