"""PostgreSQL: a GIN full-text index on to_tsvector('simple', search_text).

search_text holds only [0-9a-z] words separated by single spaces, so the 'simple' configuration yields
exactly those words (no stemming, no stop words) — the same tokens as SQLite's FTS5 unicode61 tokenizer.
Word-prefix queries (`dang:*`) then use this index; on this catalogue it answers in well under a millisecond,
where the trigram index (migration 0003) is slower than a sequential scan for short, common words.
"""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS catalog_procedure_search_fts ON catalog_procedure "
    "USING gin (to_tsvector('simple'::regconfig, search_text))"
)
BACKWARD = "DROP INDEX IF EXISTS catalog_procedure_search_fts"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_procedure_active_index")]

    operations = [migrations.RunPython(forward, backward)]
