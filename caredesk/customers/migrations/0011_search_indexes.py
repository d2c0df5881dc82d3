"""Search indexes: pg_trgm + lower-cased btree on PostgreSQL, FTS5 trigram tables with sync
triggers + expression indexes on SQLite (each part is a no-op on the other database)."""

from django.db import migrations


# The prefix indexes as this migration created them (0012 replaces the name ones).
PREFIX_COLUMNS = [
    ("cust_s_name_idx", "customers_customer", "search_name"),
    ("cust_s_first_idx", "customers_customer", "lower(first_name)"),
    ("cust_s_last_idx", "customers_customer", "lower(last_name)"),
    ("cust_s_nick_idx", "customers_customer", "lower(nickname)"),
    ("cust_s_company_idx", "customers_customer", "lower(company)"),
    ("cust_s_email_idx", "customers_customer", "lower(email)"),
    ("cust_s_phone_idx", "customers_customer", "phone_digits"),
    ("cust_s_group_name_idx", "customers_customergroup", "lower(name)"),
]


def create(apps, schema_editor):
    from caredesk.customers.search import indexes

    vendor = schema_editor.connection.vendor
    indexes.run(
        schema_editor.connection, indexes.create_sql(vendor, prefix_columns=PREFIX_COLUMNS)
    )
    indexes.run(schema_editor.connection, indexes.fts_rebuild_sql(schema_editor.connection.vendor))


def drop(apps, schema_editor):
    from caredesk.customers.search import indexes

    indexes.run(schema_editor.connection, indexes.drop_sql(schema_editor.connection.vendor))


class Migration(migrations.Migration):
    dependencies = [("customers", "0010_search_columns")]
    operations = [migrations.RunPython(create, drop)]
