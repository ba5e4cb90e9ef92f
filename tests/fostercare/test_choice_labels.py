"""Choice labels (``get_FOO_display``) come from a table built once per field
(fostercare.models.ChoiceLabels), translated when shown."""

from django.apps import apps
from django.utils import translation

from families.models import Family
from placements.models import PlacementRequest

OUR_APPS = {"fostercare", "families", "training", "placements", "contracts", "experts", "reports"}


def test_labels_follow_the_readers_language_after_the_table_is_built():
    request = PlacementRequest(status="submitted", urgency="urgent")
    with translation.override("fi"):
        finnish = request.get_status_display()
        assert request.get_urgency_display() == str(PlacementRequest.Urgency.URGENT.label)
    with translation.override("sv"):
        swedish = request.get_status_display()
    with translation.override("en"):
        english = request.get_status_display()
    assert english == "Submitted"
    assert len({finnish, swedish, english}) == 3


def test_a_value_without_a_choice_is_shown_as_it_is_and_none_as_none():
    family = Family(kind="not-a-kind", status=None)
    assert family.get_kind_display() == "not-a-kind"
    assert family.get_status_display() is None


def test_every_model_of_ours_with_choices_uses_the_table():
    """A new model with a choice field would fall back to Django's slow lookup."""
    slow = [
        model.__name__
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and any(field.choices for field in model._meta.concrete_fields)
        and not model._meta.label.endswith("Event")  # pghistory's copies, never shown
        and "ChoiceLabels" not in {base.__name__ for base in model.__mro__}
    ]
    assert slow == []
