from django.db import migrations


def load(apps, schema_editor):
    from panreflex.multilevel.reference import load_events, load_series

    load_events(apps.get_model("multilevel", "Event"))
    load_series(apps.get_model("multilevel", "Series"), apps.get_model("places", "Place"))


class Migration(migrations.Migration):
    dependencies = [("multilevel", "0001_initial"), ("places", "0002_reference_places")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
