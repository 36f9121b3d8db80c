"""One index in the database, shared by every process: the search's own posting lists, its in-memory
facet table and their triggers are gone. The full-text index gets a fourth field (`focus`) and the
documents their length factors; on PostgreSQL one GIN-indexed tsvector per asked field (`backends.py`).

After the upgrade `panreflex reindex-practices` writes the new fields (until then every example is found
as before, ranked without its focus tokens and length factors)."""

from django.db import migrations, models

# what 0002, 0006 and 0007 created (written out here, the modules that made them are gone)
OLD_SQLITE = [
    "DROP TRIGGER IF EXISTS search_mirror_ai", "DROP TRIGGER IF EXISTS search_mirror_au",
    "DROP TRIGGER IF EXISTS search_mirror_ad", "DROP TRIGGER IF EXISTS search_mirror_place",
    "DROP TRIGGER IF EXISTS search_fts_au", "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai", "DROP TABLE IF EXISTS search_fts",
]
OLD_POSTGRES = [
    "DROP TRIGGER IF EXISTS search_mirror_practice ON practices_practice",
    "DROP FUNCTION IF EXISTS search_mirror_practice()",
    "DROP TRIGGER IF EXISTS search_mirror_place ON places_place",
    "DROP FUNCTION IF EXISTS search_mirror_place()",
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements(schema_editor.connection.vendor):
            schema_editor.execute(sql)

    return run


def _drop_old(vendor):
    return {"sqlite": OLD_SQLITE, "postgresql": OLD_POSTGRES}.get(vendor, [])


def _create_new(vendor):
    from panreflex.search import backends

    return {"sqlite": backends.SQLITE_CREATE, "postgresql": backends.POSTGRES_CREATE}.get(vendor, [])


def _drop_new(vendor):
    from panreflex.search import backends

    return {"sqlite": backends.SQLITE_DROP, "postgresql": backends.POSTGRES_DROP}.get(vendor, [])


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0008_posting_segment'),
    ]

    operations = [
        migrations.RunPython(_run(_drop_old), migrations.RunPython.noop),
        migrations.DeleteModel(name='SearchFacets'),
        migrations.DeleteModel(name='SearchSegment'),
        migrations.DeleteModel(name='SearchState'),
        migrations.AddField(
            model_name='searchdocument',
            name='focus',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='searchdocument',
            name='title_norm',
            field=models.PositiveIntegerField(default=1000),
        ),
        migrations.AddField(
            model_name='searchdocument',
            name='summary_norm',
            field=models.PositiveIntegerField(default=1000),
        ),
        migrations.AddField(
            model_name='searchdocument',
            name='body_norm',
            field=models.PositiveIntegerField(default=1000),
        ),
        migrations.AddIndex(
            model_name='searchdocument',
            index=models.Index(fields=['practice', 'title_norm', 'summary_norm', 'body_norm'], name='search_document_norms'),
        ),
        migrations.RunPython(_run(_create_new), _run(_drop_new)),
    ]
