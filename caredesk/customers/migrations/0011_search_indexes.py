"""Search indexes: pg_trgm + lower-cased btree on PostgreSQL, FTS5 trigram tables with sync
triggers + expression indexes on SQLite (each part is a no-op on the other database)."""

from django.db import migrations


def create(apps, schema_editor):
    from caredesk.customers.search import indexes

    indexes.run(schema_editor.connection, indexes.create_sql(schema_editor.connection.vendor))
    indexes.run(schema_editor.connection, indexes.fts_rebuild_sql(schema_editor.connection.vendor))


def drop(apps, schema_editor):
    from caredesk.customers.search import indexes

    indexes.run(schema_editor.connection, indexes.drop_sql(schema_editor.connection.vendor))


class Migration(migrations.Migration):
    dependencies = [("customers", "0010_search_columns")]
    operations = [migrations.RunPython(create, drop)]
