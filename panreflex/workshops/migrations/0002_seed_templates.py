from django.db import migrations


def forwards(apps, schema_editor):
    from panreflex.workshops.seed import seed_templates

    seed_templates(apps.get_model("workshops", "WorkshopTemplate"))


class Migration(migrations.Migration):
    dependencies = [("workshops", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
