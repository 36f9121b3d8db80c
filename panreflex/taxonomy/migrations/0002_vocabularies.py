from django.db import migrations


def load(apps, schema_editor):
    from panreflex.taxonomy.seed import load_vocabularies

    load_vocabularies(apps.get_model("taxonomy", "Term"))


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
