from django.db import migrations


def load_course_types(apps, schema_editor):
    # get_or_create: adds the new individual supervision type, leaves edited ones alone
    from training.course_types import load

    load(apps.get_model("training", "CourseType"))


class Migration(migrations.Migration):
    dependencies = [("training", "0003_groups_and_participants")]

    operations = [migrations.RunPython(load_course_types, migrations.RunPython.noop)]
