"""What training wrote into families' status histories in the writer's language ("Ilmoittautui
kurssille …", "Yhteydenotto: …") becomes a code with parameters (fostercare.stored_text)."""

from django.db import migrations


def recode_history(apps, schema_editor):
    from fostercare.stored_text import label_to_value, recode_rows
    from training.models import Inquiry

    recode_rows(
        apps.get_model("families", "FamilyStatusChange"),
        text="reason",
        codes=["training.inquiry_stage", "training.enrolled", "training.readiness_assessed"],
        parsers={"stage": label_to_value(Inquiry.Stage)},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0006_inquiry_newest_index"),
        ("families", "0007_status_change_reason_code"),
    ]

    operations = [migrations.RunPython(recode_history, migrations.RunPython.noop)]
