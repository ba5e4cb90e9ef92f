from django.db import migrations, models


def messages_to_problems(apps, schema_editor):
    # Old runs stored a sentence; it is kept as it is (code "text") so history stays true.
    InvoicingRun = apps.get_model("contracts", "InvoicingRun")
    for run in InvoicingRun.objects.exclude(message=""):
        run.problems = [{"contract": "", "code": "text", "params": {"text": run.message}}]
        run.save(update_fields=["problems"])


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="invoicingrun",
            name="problems",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="What stopped a contract: a list of {contract, code, params}.",
                verbose_name="problems",
            ),
        ),
        migrations.RunPython(messages_to_problems, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="invoicingrun",
            name="message",
        ),
    ]
