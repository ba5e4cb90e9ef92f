"""A search field in place of a <select> that grows with the register.

One piece for every picker: ``SearchPickerField`` (a form field) or
``SearchPickerMultipleField`` (the chosen ones as checked boxes above the search), their
widget (a text input with the WAI-ARIA combobox pattern, a hidden input for the chosen
object, a listbox and a live region), ``static/js/picker.js`` (keyboard: up, down, enter,
escape) and ``picker_search`` (the view helper that answers the search). The field and the search
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
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

PICKER_RESULTS = 20
PICKER_MIN_CHARS = 2
MEMBER_SEARCH_FIELDS = ("name_fi", "name_sv", "code")


def member_organisations() -> QuerySet:
    """The member organisations in the order every picker and select lists them."""
    from fostercare.models import MemberOrganisation

    return MemberOrganisation.objects.order_by("name_fi", "pk")


def _search(queryset: QuerySet, search_fields: tuple[str, ...], text: str) -> QuerySet:
    condition = Q()
    for word in text.split():
        any_field = Q()
        for name in search_fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return queryset.filter(condition)


def _int_pks(values) -> list[int]:
    pks = []
    for value in values:
        try:
            pks.append(int(value))
        except (TypeError, ValueError):
            continue
    return pks


class SearchPickerWidget(forms.Widget):
    template_name = "pickers/widget.html"

    def __init__(self, search_url: str = "", attrs=None):
        super().__init__(attrs)
        self.search_url = search_url

    def value_from_datadict(self, data, files, name):
        return {"pk": data.get(name, ""), "text": data.get(f"{name}_text", "")}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_text" not in data

    def chosen(self, pks) -> list[tuple[int, str]]:
        """(pk, label) of the chosen objects the field may pick, in one query: a posted id
        outside the queryset is not shown (the field's error says why)."""
        pks = _int_pks(pks)
        iterator = getattr(self, "choices", None)
        if not pks or iterator is None or not hasattr(iterator, "queryset"):
            return []
        by_pk = {obj.pk: obj for obj in iterator.queryset.filter(pk__in=pks)}
        label = iterator.field.label_from_instance
        return [(pk, label(by_pk[pk])) for pk in dict.fromkeys(pks) if pk in by_pk]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = value if isinstance(value, dict) else {"pk": value or "", "text": ""}
        pk = "" if chosen["pk"] in (None, "") else str(chosen["pk"])
        text = chosen.get("text", "")
        if pk and not text:
            found = self.chosen([pk])
            text = found[0][1] if found else ""
        context["widget"].update(search_url=self.search_url, pk=pk, text=text)
        return context


class SearchPickerMultipleWidget(SearchPickerWidget):
    """The chosen objects as checked boxes (unchecking removes one, with or without
    JavaScript) above the search that adds more."""

    template_name = "pickers/widget_multiple.html"

    def value_from_datadict(self, data, files, name):
        pks = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        return {"pks": pks, "text": data.get(f"{name}_text", "")}

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        if isinstance(value, dict):
            pks, text = value["pks"], value.get("text", "")
        else:
            pks, text = value or [], ""
        context["widget"].update(search_url=self.search_url, chosen=self.chosen(pks), text=text)
        return context


class _Resolves:
    """What both pickers share: the fields searched, how typed text is normalised, how an
    option is named, and, without JavaScript, the text typed naming the object (one match
    is taken)."""

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
        return value if isinstance(value, dict) else super().prepare_value(value)

    def label_from_instance(self, obj) -> str:
        return option_label(obj)

    def _resolve(self, text: str):
        text = (text or "").strip()
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


class SearchPickerField(_Resolves, forms.ModelChoiceField):
    """Picks one object of ``queryset`` by searching ``search_fields``."""

    widget = SearchPickerWidget

    def to_python(self, value):
        if not isinstance(value, dict):
            return super().to_python(value)
        if value.get("pk"):
            return super().to_python(value["pk"])
        return self._resolve(value.get("text"))

    def has_changed(self, initial, data):
        if isinstance(data, dict):
            data = data.get("pk") or data.get("text")
        return super().has_changed(initial, data)


class SearchPickerMultipleField(_Resolves, forms.ModelMultipleChoiceField):
    """Picks any number of objects of ``queryset``: the chosen ones, and the text typed
    (one match) without JavaScript. An id outside ``queryset`` is the field's error."""

    widget = SearchPickerMultipleWidget

    def clean(self, value):
        if isinstance(value, dict):
            pks = [str(pk) for pk in value["pks"] if pk not in ("", None)]
            typed = self._resolve(value.get("text"))
            if typed is not None and str(typed.pk) not in pks:
                pks.append(str(typed.pk))
            value = pks
        return super().clean(value)

    def has_changed(self, initial, data):
        if isinstance(data, dict):
            data = [*data["pks"], *([data["text"]] if data.get("text") else [])]
        return super().has_changed(initial, data)


def option_label(obj) -> str:
    """How an object is named where it is chosen: its ``choice_label`` where it has one
    (a family's register number beside its name, two families may share a name)."""
    return getattr(obj, "choice_label", None) or str(obj)


def picker_search(
    request,
    queryset: QuerySet,
    search_fields: tuple[str, ...] = ("name",),
    label=None,
    normalise: Callable[[str], str] = str.strip,
):
    """The options for the text typed (``?q=``, or the widget's own ``<name>_text`` that
    htmx sends): at most PICKER_RESULTS objects of ``queryset`` (which must be ordered)
    whose ``search_fields`` contain every word typed (after ``normalise``, the field's
    own), and how many match in all. Fewer than
    PICKER_MIN_CHARS characters search nothing. One query, two when there are more."""
    typed = [(k, v) for k, v in request.GET.items() if k == "q" or k.endswith("_text")]
    key, text = typed[0] if typed else ("q", "")
    text = text.strip()[:100]
    short = len(text) < PICKER_MIN_CHARS
    matches = queryset.none() if short else _search(queryset, search_fields, normalise(text))
    found = [] if short else list(matches[: PICKER_RESULTS + 1])
    shown = found[:PICKER_RESULTS]
    count = len(found) if len(found) <= PICKER_RESULTS else matches.count()
    return render(
        request,
        "pickers/options.html",
        {
            "options": [{"pk": obj.pk, "label": (label or option_label)(obj)} for obj in shown],
            "count": count,
            "more": count > len(shown),
            "text": text,
            "short": short and bool(text),
            "min_chars": PICKER_MIN_CHARS,
            "prefix": slugify(key) or "q",
        },
    )
