from django.db import migrations


def narrow(apps, schema_editor):
    """PostgreSQL: keep the rows of search_searchdocument narrow (their texts and tsvectors in the TOAST
    table), so that reading the ids of many matches touches few pages. Applies to rows written from now
    on: `panreflex reindex-practices` rewrites them all (VACUUM FULL then gives the space back)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchdocument SET (toast_tuple_target = 128)")


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchdocument RESET (toast_tuple_target)")


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0010_term_reversed'),
    ]

    operations = [
        migrations.RunPython(narrow, widen),
    ]
