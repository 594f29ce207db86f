"""Search indexes behind one interface (cchc.catalog.search).

SQLite: an FTS5 table over catalog_procedure.search_text (external content), kept in sync by triggers, so
bulk_create/bulk_update and raw edits all reach it. PostgreSQL: the pg_trgm extension and a GIN trigram
index on search_text, which serves `search_text LIKE '% word%'` (word-prefix) queries.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalog_procedure_fts USING fts5("
    "search_text, content='catalog_procedure', content_rowid='id', tokenize='unicode61', prefix='2 3')",
    "CREATE TRIGGER IF NOT EXISTS catalog_procedure_fts_ai AFTER INSERT ON catalog_procedure BEGIN "
    "INSERT INTO catalog_procedure_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS catalog_procedure_fts_ad AFTER DELETE ON catalog_procedure BEGIN "
    "INSERT INTO catalog_procedure_fts(catalog_procedure_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS catalog_procedure_fts_au AFTER UPDATE OF search_text ON catalog_procedure BEGIN "
    "INSERT INTO catalog_procedure_fts(catalog_procedure_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO catalog_procedure_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO catalog_procedure_fts(catalog_procedure_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_procedure_fts_au",
    "DROP TRIGGER IF EXISTS catalog_procedure_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_procedure_fts_ai",
    "DROP TABLE IF EXISTS catalog_procedure_fts",
]
PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS catalog_procedure_search_trgm ON catalog_procedure "
    "USING gin (search_text gin_trgm_ops)",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS catalog_procedure_search_trgm"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for sql in statements:
            schema_editor.execute(sql)

    return run


def fill_search_text(apps, schema_editor):
    import re
    import unicodedata

    word = re.compile(r"[0-9a-z]+")

    def fold(text):
        text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "d"))
        return "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()

    Procedure = apps.get_model("catalog", "Procedure")
    rows = list(Procedure.objects.all().only("id", "name"))
    for row in rows:
        row.search_text = " " + " ".join(word.findall(fold(row.name))) + " "
    Procedure.objects.bulk_update(rows, ["search_text"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_search_events_synonyms")]

    operations = [
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        ),
    ]
