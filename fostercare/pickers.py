"""A search field in place of a <select> that grows with the register.

One piece for every picker: ``SearchPickerField`` (a form field), its widget (a text input
with the WAI-ARIA combobox pattern, a hidden input for the chosen object, a listbox and a
live region), ``static/js/picker.js`` (keyboard: up, down, enter, escape) and
``picker_search`` (the view helper that answers the search). The field and the search
read the same queryset, the objects the user may pick (visibility is the caller's
queryset's, from ``visible_to``), so the search never offers what the form would refuse.

Without JavaScript the text typed is resolved by the server: one match is taken; none, or
more than one, is a clear error on the field.
"""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

PICKER_RESULTS = 20


def _search(queryset: QuerySet, search_fields: tuple[str, ...], text: str) -> QuerySet:
    """Objects whose ``search_fields`` hold every word of ``text``."""
    condition = Q()
    for word in text.split():
        any_field = Q()
        for name in search_fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return queryset.filter(condition)


class SearchPickerWidget(forms.Widget):
    template_name = "pickers/widget.html"

    def __init__(self, search_url: str = "", attrs=None):
        super().__init__(attrs)
        self.search_url = search_url

    def value_from_datadict(self, data, files, name):
        return {"pk": data.get(name, ""), "text": data.get(f"{name}_text", "")}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_text" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = value if isinstance(value, dict) else {"pk": value or "", "text": ""}
        context["widget"].update(
            search_url=self.search_url,
            pk="" if chosen["pk"] in (None, "") else str(chosen["pk"]),
            text=chosen.get("text", "") or getattr(self, "chosen_label", ""),
        )
        return context


class SearchPickerField(forms.ModelChoiceField):
    """Picks one object of ``queryset`` by searching ``search_fields``."""

    widget = SearchPickerWidget
    default_error_messages = {
        "not_found": _("Nothing matches “%(text)s”. Check the spelling or search again."),
        "ambiguous": _(
            "%(count)s match “%(text)s”. Type more of the name, or choose from the list."
        ),
    }

    def __init__(
        self,
        *,
        search_fields: tuple[str, ...] = ("name",),
        normalise: Callable[[str], str] = str.strip,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.search_fields = search_fields
        self.normalise = normalise  # what was typed -> what the fields hold

    def prepare_value(self, value):
        return value

    def to_python(self, value):
        if not isinstance(value, dict):
            return super().to_python(value)
        if value.get("pk"):
            return super().to_python(value["pk"])
        text = (value.get("text") or "").strip()
        if not text:
            return None
        wanted = self.normalise(text)
        found = list(_search(self.queryset, self.search_fields, wanted)[:2])
        if not found:
            raise ValidationError(
                self.error_messages["not_found"], code="not_found", params={"text": text}
            )
        if len(found) > 1:
            count = _search(self.queryset, self.search_fields, wanted).count()
            raise ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"text": text, "count": count},
            )
        return found[0]


def picker_search(
    request,
    queryset: QuerySet,
    search_fields: tuple[str, ...] = ("name",),
    normalise: Callable[[str], str] = str.strip,
):
    """The options for the text typed (``?q=``, or the widget's own ``<name>_text`` that
    htmx sends): at most PICKER_RESULTS objects of ``queryset`` whose ``search_fields``
    contain every word typed (after ``normalise``, the field's own), and how many match in
    all."""
    typed = [v for k, v in request.GET.items() if k == "q" or k.endswith("_text")]
    text = (typed[0] if typed else "").strip()[:100]
    matches = _search(queryset, search_fields, normalise(text)) if text else queryset.none()
    options = list(matches[: PICKER_RESULTS + 1])
    shown = options[:PICKER_RESULTS]
    count = len(options) if len(options) <= PICKER_RESULTS else matches.count()
    return render(
        request,
        "pickers/options.html",
        {"options": shown, "count": count, "more": count > len(shown), "text": text},
    )
