"""Proposal reasons were stored as text in the proposer's language; store them as codes
with parameters (``placements.reasons``), read from the text in Finnish, Swedish or English.
A part no wording recognises is kept as it was written."""

from django.db import migrations, models


def _names_by_any_name(model, fields):
    """{any of its names: all its names} for municipalities and special skills, so that a
    name read in one language is shown in the others."""
    found = {}
    for obj in model.objects.all():
        names = {f[-2:]: getattr(obj, f) for f in fields if getattr(obj, f, "")}
        found.update({name: names for name in names.values()})
    return found


def _in_every_language(names: dict, known: dict) -> dict:
    name = next(iter(names.values()), "")
    return known.get(name, names)


def text_to_codes(apps, schema_editor):
    from placements.reasons import DISTANCE, SKILLS, parse

    Proposal = apps.get_model("placements", "Proposal")
    places = _names_by_any_name(
        apps.get_model("fostercare", "MemberOrganisation"), ("name_fi", "name_sv")
    )
    skills = _names_by_any_name(
        apps.get_model("families", "SpecialSkill"), ("name_fi", "name_sv", "name_en")
    )
    for proposal in Proposal.objects.exclude(reasons="").only("pk", "reasons").iterator():
        reasons = parse(proposal.reasons)
        for reason in reasons:
            if reason["code"] == DISTANCE:
                reason["place"] = _in_every_language(reason["place"], places)
            elif reason["code"] == SKILLS:
                reason["skills"] = [_in_every_language(s, skills) for s in reason["skills"]]
        proposal.reason_codes = reasons
        proposal.save(update_fields=["reason_codes"])


def codes_to_text(apps, schema_editor):
    from django.utils.translation import override

    from placements.reasons import render_all

    Proposal = apps.get_model("placements", "Proposal")
    with override("fi"):
        for proposal in Proposal.objects.exclude(reason_codes=[]).iterator():
            proposal.reasons = "; ".join(render_all(proposal.reason_codes))
            proposal.save(update_fields=["reasons"])


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0007_request_event_note_code"),
        ("families", "0001_initial"),
        ("fostercare", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="reason_codes",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Why matching ranked the family, as codes shown in the reader's language.",
                verbose_name="reasons",
            ),
        ),
        migrations.RunPython(text_to_codes, codes_to_text),
        migrations.RemoveField(
            model_name="proposal",
            name="reasons",
        ),
    ]
