"""Folded name keys (accent- and case-insensitive name patterns) and searchable additional
emails and phones: new columns, filled from the rows, and the prefix indexes moved from the
lower-cased names to the keys."""

from django.db import migrations, models

BATCH = 2000


def fill(apps, schema_editor):
    from caredesk.customers.search.fields import contact_search_key, fold, search_fold

    Customer = apps.get_model("customers", "Customer")
    ContactPoint = apps.get_model("customers", "ContactPoint")
    extra: dict[int, list[str]] = {}
    contacts = []
    for contact in ContactPoint.objects.order_by("pk").iterator(chunk_size=BATCH):
        contact.search_key = contact_search_key(contact.kind, contact.value)
        contacts.append(contact)
        extra.setdefault(contact.customer_id, []).append(contact.search_key)
    ContactPoint.objects.bulk_update(contacts, ["search_key"], batch_size=BATCH)

    batch = []
    fields = ["first_key", "last_key", "company_key", "search_text"]
    for customer in Customer.objects.order_by("pk").iterator(chunk_size=BATCH):
        customer.first_key = fold(customer.first_name)[:100]
        customer.last_key = fold(customer.last_name)[:100]
        customer.company_key = fold(customer.company)[:200]
        if customer.pk in extra:
            customer.search_text = search_fold(
                " ".join([customer.search_text, *extra[customer.pk]])
            )
        batch.append(customer)
        if len(batch) >= BATCH:
            Customer.objects.bulk_update(batch, fields)
            batch = []
    if batch:
        Customer.objects.bulk_update(batch, fields)


def indexes_forward(apps, schema_editor):
    """Swap the name indexes for key indexes. On SQLite the column additions rebuilt the
    customers table (dropping its expression indexes and FTS triggers): create everything
    again and refill the FTS tables."""
    from caredesk.customers.search import indexes

    connection = schema_editor.connection
    vendor = connection.vendor
    indexes.run(connection, [f"DROP INDEX IF EXISTS {name}" for name in RETIRED])
    indexes.run(connection, indexes.create_sql(vendor, prefix_columns=PREFIX_COLUMNS))
    indexes.run(connection, indexes.fts_rebuild_sql(vendor))


def indexes_backward(apps, schema_editor):
    """Drop the key indexes before their columns go (the 0011 ones come back with 0011's
    own reversal and re-application)."""
    from caredesk.customers.search import indexes

    names = [name for name, _, expr in PREFIX_COLUMNS if expr in ("first_key", "last_key")]
    names += ["cust_s_company_key_idx", "cust_s_contact_key_idx"]
    indexes.run(schema_editor.connection, [f"DROP INDEX IF EXISTS {name}" for name in names])


RETIRED = ["cust_s_first_idx", "cust_s_last_idx", "cust_s_company_idx"]
# The prefix indexes as of this migration.
PREFIX_COLUMNS = [
    ("cust_s_name_idx", "customers_customer", "search_name"),
    ("cust_s_first_key_idx", "customers_customer", "first_key"),
    ("cust_s_last_key_idx", "customers_customer", "last_key"),
    ("cust_s_nick_idx", "customers_customer", "lower(nickname)"),
    ("cust_s_company_key_idx", "customers_customer", "company_key"),
    ("cust_s_email_idx", "customers_customer", "lower(email)"),
    ("cust_s_phone_idx", "customers_customer", "phone_digits"),
    ("cust_s_group_name_idx", "customers_customergroup", "lower(name)"),
    ("cust_s_contact_key_idx", "customers_contactpoint", "search_key"),
]


class Migration(migrations.Migration):
    dependencies = [("customers", "0011_search_indexes")]

    operations = [
        migrations.AddField(
            model_name="contactpoint",
            name="search_key",
            field=models.CharField(blank=True, editable=False, max_length=254),
        ),
        migrations.AddField(
            model_name="customer",
            name="company_key",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="customer",
            name="first_key",
            field=models.CharField(blank=True, editable=False, max_length=100),
        ),
        migrations.AddField(
            model_name="customer",
            name="last_key",
            field=models.CharField(blank=True, editable=False, max_length=100),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(indexes_forward, indexes_backward),
    ]
