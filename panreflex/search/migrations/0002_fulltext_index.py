"""Database-specific full-text objects over search_document (see models.py)."""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, summary, body, content='search_searchdocument', content_rowid='practice_id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title, summary, body)
        VALUES (new.practice_id, new.title, new.summary, new.body);
    END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, summary, body)
        VALUES ('delete', old.practice_id, old.title, old.summary, old.body);
    END""",
    """CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, summary, body)
        VALUES ('delete', old.practice_id, old.title, old.summary, old.body);
        INSERT INTO search_fts(rowid, title, summary, body)
        VALUES (new.practice_id, new.title, new.summary, new.body);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_CREATE = [
    """ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(summary, '')), 'B')
        || setweight(to_tsvector('simple'::regconfig, coalesce(body, '')), 'C')
    ) STORED""",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING GIN (vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
