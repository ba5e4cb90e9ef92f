from django.db import migrations


def load_course_types(apps, schema_editor):
    from training.course_types import load

    load(apps.get_model("training", "CourseType"))


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(load_course_types, migrations.RunPython.noop)]
