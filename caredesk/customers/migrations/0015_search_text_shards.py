"""The customers' text trigram index split into partial indexes by `mod(id, TEXT_SHARDS)`, so the
type-ahead can stop after the shard that gives it enough (see search/indexes.py). PostgreSQL
only; SQLite's FTS5 table is unchanged. Each shard is built with a plain CREATE INDEX, which
holds writes to customers back while it runs: about 20 s a shard at 10M customers."""

from django.db import migrations

SHARDS = 8  # as this migration creates them


def split(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for k in range(SHARDS):
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS cust_s_text_trgm_{k} ON customers_customer "
                f"USING gin ((search_text) gin_trgm_ops) WHERE mod(id, {SHARDS}) = {k}"
            )
        cursor.execute("DROP INDEX IF EXISTS cust_s_text_trgm")


def join(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS cust_s_text_trgm ON customers_customer "
            "USING gin ((search_text) gin_trgm_ops)"
        )
        for k in range(SHARDS):
            cursor.execute(f"DROP INDEX IF EXISTS cust_s_text_trgm_{k}")


class Migration(migrations.Migration):
    dependencies = [("customers", "0014_customer_status_closed_idx")]
    operations = [migrations.RunPython(split, join)]
