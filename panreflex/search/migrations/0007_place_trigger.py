"""A changed population, AGS or country of a place marks the facet codes of its practice examples for
recomputation (see mirror.place_statements)."""

from django.db import migrations


def forwards(apps, schema_editor):
    """Created the place trigger of the in-memory facet table; superseded by 0009 (facets are counted by
    the database now), which drops it where an older installation has it."""


def backwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0002_reference_places"),
        ("search", "0006_facet_table_mirror"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
