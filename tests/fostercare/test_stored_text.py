"""fostercare.stored_text: codes rendered in the reader's language, and the data migration's
step that turns text written before codes existed into codes."""

import pytest
from django.utils import translation

from families.models import FamilyStatusChange
from fostercare import stored_text
from tests.families.factories import FamilyFactory
from training.models import Inquiry


def test_a_code_renders_in_the_active_language_with_its_dates_and_choices():
    with translation.override("sv"):
        assert stored_text.render("families.added") == "Tillagd i registret"
        assert (
            stored_text.render(
                "placements.decided", {"on": "2026-12-01", "maker": "L", "reference": "R"}
            )
            == "Beslut 1.12.2026 av L, R"
        )
    with translation.override("fi"):
        assert stored_text.render("families.added") == "Lisätty tietopankkiin"


@pytest.mark.django_db
def test_old_rows_in_any_language_become_codes_and_typed_text_stays():
    family = FamilyFactory()
    with translation.override("fi"):
        stage = str(Inquiry.Stage.IN_TRAINING.label)
    rows = [
        FamilyStatusChange.objects.create(family=family, to_status="inquiry", reason=text)
        for text in [
            "Lisätty tietopankkiin",
            "Tillagd i registret",
            "Added to the register",
            f"Yhteydenotto: {stage}",
            "Perhe pyysi taukoa",
        ]
    ]

    stored_text.recode_rows(FamilyStatusChange, text="reason", codes=["families.added"])
    stored_text.recode_rows(
        FamilyStatusChange,
        text="reason",
        codes=["training.inquiry_stage"],
        parsers={"stage": stored_text.label_to_value(Inquiry.Stage)},
    )

    for row in rows:
        row.refresh_from_db()
    assert [row.reason_code for row in rows] == ["families.added"] * 3 + [
        "training.inquiry_stage",
        "",
    ]
    assert rows[3].reason_params == {"stage": "in_training"}
    assert rows[4].reason == "Perhe pyysi taukoa"
