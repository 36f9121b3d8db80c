"""A changed population, AGS or country of a place marks the facet codes of its practice examples for
recomputation (see mirror.place_statements)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from panreflex.search import mirror

    for sql in mirror.place_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    from panreflex.search import mirror

    for sql in mirror.drop_place_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0002_reference_places"),
        ("search", "0006_facet_table_mirror"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
