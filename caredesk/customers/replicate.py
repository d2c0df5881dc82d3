"""Set-based growth of the demo customers on PostgreSQL, for data sets of many millions.

The Python generator (`demo.customers_generate`) draws every customer one at a time: right for
realism, too slow for 10M rows. `customers_replicate(count)` instead grows the table inside the
database, a chunk of customers per `INSERT ... SELECT` over `generate_series`: each new customer
takes a pool customer (one the generator drew) as its template, keeps its names, business,
kind, plan, dates and addresses, and gets its own member ID, phone number, email number and
card numbers, derived from its position by integer hashing (deterministic, no Python per row).
Its search columns are derived in SQL from the pool's folded names (`search_fold` computed in
Python once per pool customer), so they equal what `customer_search_fields` computes; a test
holds them to it. Replicas carry no group and no additional contacts. Memory in Python stays
flat whatever the count; the database does the work.
"""

from django.db import connection, transaction

from caredesk.customers.demo import ids_reserve
from caredesk.customers.ids import member_number_block
from caredesk.customers.models import Address, Card, Customer, LoginDevice, RegisteredPart
from caredesk.customers.search import indexes
from caredesk.customers.search.fields import search_fold

CHUNK = 250_000  # customers per statement (and per transaction)
POOL = 100_000  # customers drawn by the generator that the replicas copy
POOL_TABLE = "customers_replica_pool"

# Knuth's multiplicative hash constants: spread consecutive positions over the value range.
_HASH_A = 2654435761
_HASH_B = 40503


def _hash(expr: str, constant: int, modulus: int) -> str:
    return f"((({expr})::bigint * {constant}) % {modulus})"


def _member_id(number: str) -> str:
    """SQL for `ids.member_id_format`: M + the number zero-padded to 7 digits (never cut)."""
    padded = (
        f"CASE WHEN {number} < 10000000 THEN lpad({number}::text, 7, '0') ELSE {number}::text END"
    )
    return f"('M' || {padded})"


def _pool_create(cursor, size: int) -> int:
    """The pool: the first `size` customers (the ones the generator drew), numbered 0..n-1,
    with their folded names and their email without its number. Returns its size."""
    cursor.execute(f"DROP TABLE IF EXISTS {POOL_TABLE}")
    cursor.execute(
        f"CREATE UNLOGGED TABLE {POOL_TABLE} (n integer PRIMARY KEY, customer_id bigint, "
        "names text, email_local text, email_domain text)"
    )
    pool = (
        Customer.objects.order_by("pk").values_list(
            "pk", "first_name", "last_name", "nickname", "company", "contact_name", "email"
        )
    )[:size]
    rows = list(pool)  # read before COPY starts: one connection does one thing at a time
    with cursor.cursor.copy(
        f"COPY {POOL_TABLE} (n, customer_id, names, email_local, email_domain) FROM STDIN"
    ) as copy:
        for n, (pk, *names, email) in enumerate(rows):
            local, _, domain = email.partition("@")
            names = search_fold(" ".join(p for p in names if p))
            copy.write_row((n, pk, names, local.rstrip("0123456789"), domain))
    cursor.execute(f"ANALYZE {POOL_TABLE}")
    return len(rows)


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if not f.primary_key]


def _select(model, overrides: dict[str, str], alias: str) -> tuple[str, str]:
    """(column list, select list) copying every column of `alias` except the overridden ones."""
    columns = _columns(model)
    quote = connection.ops.quote_name
    return (
        ", ".join(quote(c) for c in columns),
        ", ".join(overrides.get(c, f"{alias}.{quote(c)}") for c in columns),
    )


def _customers_sql(first_id: int, first_number: int, pool: int, count: int) -> str:
    g = "g.g"  # 0-based position within this chunk
    number = f"({first_number} + {g})"
    digits = f"lpad({_hash(f'{first_id} + {g}', _HASH_A, 10_000_000)}::text, 7, '0')"
    national = f"substr(t.phone, 4, 3) || {digits}"  # the template's mobile prefix, own number
    phone = f"CASE WHEN t.phone = '' THEN '' ELSE '+63' || {national} END"
    email_number = _hash(f"{first_id} + {g}", _HASH_B, 9999)
    email = (
        "CASE WHEN t.email = '' THEN '' ELSE p.email_local || "
        f"CASE WHEN {email_number} < 7000 THEN ({email_number} + 1)::text ELSE '' END "
        "|| '@' || p.email_domain END"
    )
    member = _member_id(number)
    overrides = {
        "member_id": member,
        "phone": phone,
        "email": email,
        "group_id": "NULL",
        "version": "1",
        "phone_digits": f"CASE WHEN t.phone = '' THEN '' ELSE {national} END",
        "search_text": (
            f"lower({member}) || ' ' || p.names"
            f" || CASE WHEN t.email = '' THEN '' ELSE ' ' || "
            f"regexp_replace(lower({email}), '[^a-z0-9 ]', '', 'g') END"
            f" || CASE WHEN t.phone = '' THEN '' ELSE ' ' || {national} END"
        ),
    }
    columns, select = _select(Customer, overrides, "t")
    return (
        f"INSERT INTO customers_customer (id, {columns}) "
        f"SELECT {first_id} + {g}, {select} "
        f"FROM generate_series(0, {count - 1}) AS g(g) "
        f"JOIN {POOL_TABLE} p ON p.n = ({first_id} + {g}) % {pool} "
        "JOIN customers_customer t ON t.id = p.customer_id"
    )


def _children_sql(first_id: int, pool: int, count: int) -> list[str]:
    """Addresses, cards, registered parts and sign-in devices of the chunk's replicas, copied
    from their templates' (card numbers and part serials of their own)."""
    source = (
        f"FROM generate_series(0, {count - 1}) AS g(g) "
        f"JOIN {POOL_TABLE} p ON p.n = ({first_id} + g.g) % {pool} "
    )
    new_id = f"{first_id} + g.g"
    last4 = _hash(f"({new_id}) * 4 + c.id % 4", _HASH_A, 10_000)
    out = []
    for model, overrides in [
        (Address, {}),
        (Card, {"last4": f"lpad({last4}::text, 4, '0')"}),
        (RegisteredPart, {"serial": f"'SN' || ({new_id})::text || '-' || (c.id % 100)::text"}),
        (LoginDevice, {}),
    ]:
        overrides = {"customer_id": new_id, **overrides}
        columns, select = _select(model, overrides, "c")
        out.append(
            f"INSERT INTO {model._meta.db_table} ({columns}) SELECT {select} {source}"
            f"JOIN {model._meta.db_table} c ON c.customer_id = p.customer_id"
        )
    return out


def customers_replicate(*, count: int, pool: int = POOL, progress=None) -> int:
    """Add `count` customers copied from the first `pool` existing ones (PostgreSQL only);
    returns how many. The search indexes are dropped for a large load and built again after."""
    if connection.vendor != "postgresql":
        raise RuntimeError("set-based growth needs PostgreSQL")
    if count <= 0:
        return 0
    with connection.cursor() as cursor:
        pool = _pool_create(cursor, pool)
    if not pool:
        return 0
    bulk = count >= 50_000
    if bulk:
        indexes.drop_for_bulk_load(connection)
    done = 0
    try:
        while done < count:
            n = min(CHUNK, count - done)
            with transaction.atomic(), connection.cursor() as cursor:
                first_id = ids_reserve(Customer, n)
                first_number = member_number_block(n)
                cursor.execute(_customers_sql(first_id, first_number, pool, n))
                for sql in _children_sql(first_id, pool, n):
                    cursor.execute(sql)
            done += n
            if progress:
                progress.advance(n)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {POOL_TABLE}")
        if bulk:
            if progress:
                progress.stream.write("search indexes: building...\n")
            indexes.restore_after_bulk_load(connection)
        else:
            indexes.analyze(connection)
    return done
