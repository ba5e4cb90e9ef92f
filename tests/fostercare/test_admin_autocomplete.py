"""Every admin form with autocomplete fields, inlines included, answers a malformed key
with the field's own error, never a server error (admin_doors.SafeAutocompleteMixin)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from fostercare.admin_doors import SafeAutocompleteMixin


def _admins_with_autocomplete():
    found = []
    for model, model_admin in admin.site._registry.items():
        inlines = [i for i in model_admin.inlines if i.autocomplete_fields]
        if model_admin.autocomplete_fields or inlines:
            found.append(
                pytest.param(model, id=f"{model._meta.app_label}.{model._meta.model_name}")
            )
    return found


def test_every_admin_and_inline_with_autocomplete_fields_is_safe():
    unsafe = []
    for model_admin in admin.site._registry.values():
        for admin_class in [type(model_admin), *model_admin.inlines]:
            if admin_class.autocomplete_fields and not issubclass(
                admin_class, SafeAutocompleteMixin
            ):
                unsafe.append(admin_class.__qualname__)
    assert unsafe == []


@pytest.mark.parametrize("model", _admins_with_autocomplete())
@pytest.mark.parametrize("malformed", ["abc", "1.5", "99999999999999999999"])
def test_a_malformed_key_in_an_autocomplete_field_is_a_form_error(
    model, malformed, client_for, admin_user
):
    client = client_for(admin_user)
    model_admin = admin.site._registry[model]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    data = dict.fromkeys(model_admin.autocomplete_fields, malformed)
    page = client.get(url)
    if not set(data) <= set(page.context["adminform"].form.fields):
        # a field only on the change form (a user's organisation): change an existing row
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
            args=[model.objects.first().pk],
        )
        page = client.get(url)
    assert page.status_code == 200
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data |= {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        data |= {f"{prefix}-0-{field}": malformed for field in formset.opts.autocomplete_fields}

    before = model.objects.count()

    response = client.post(url, data)

    assert response.status_code == 200  # the form again, with its errors
    form = response.context["adminform"].form
    formsets = [f.formset for f in response.context["inline_admin_formsets"]]
    assert form.errors or any(f.errors for f in formsets)
    for field in model_admin.autocomplete_fields:
        assert field in form.errors
    assert model.objects.count() == before
