"""The project's renderer writes a <select>'s options in one template: the markup is
Django's own (attributes, selected, groups), only faster for 300 member organisations."""

from django import forms
from django.forms.renderers import DjangoTemplates

from fostercare.forms import FormRenderer


class _Form(forms.Form):
    one = forms.ChoiceField(choices=[("", "–"), *[(i, f"Kunta & {i}") for i in range(300)]])
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    grouped = forms.ChoiceField(choices=[("Ryhmä", [("x", "X"), ("y", "Y")]), ("z", "Z")])


def _html(renderer) -> str:
    form = _Form(initial={"one": 150, "many": ["b"], "grouped": "y"}, renderer=renderer)
    return " ".join("".join(str(form[name]) for name in form.fields).split())


def test_the_select_is_djangos_markup():
    ours = _html(FormRenderer())
    assert ours == _html(DjangoTemplates())
    assert '<option value="150" selected>Kunta &amp; 150</option>' in ours
    assert '<optgroup label="Ryhmä">' in ours and "multiple" in ours
