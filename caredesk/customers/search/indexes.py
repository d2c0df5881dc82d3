"""The search indexes, per database: one definition used by the migration, the demo generator
(which drops them for a bulk load and builds them again after) and the tests.

PostgreSQL: `pg_trgm` GIN indexes for fragments (`search_text` in shards, the address text) and
btree indexes on lower-cased columns in the "C" collation, so `Anders%` is an index range scan
that also yields rows in order (stable, early-stopping `ORDER BY ... LIMIT`).
SQLite: FTS5 `trigram` tables kept in sync by triggers (customers: external content over
`search_text`; addresses: contentless over the address text) and expression indexes on the
lower-cased columns for prefixes and 1-2 character terms, which trigrams cannot serve.
"""

# Address text searched by the address criterion (same expression on both databases).
ADDRESS_FIELDS = ["line1", "line2", "barangay", "city", "province"]


def address_text(alias: str = "") -> str:
    """`(line1 || ' ' || ... || province)`, columns qualified by `alias` when given."""
    prefix = f"{alias}." if alias else ""
    return "(" + " || ' ' || ".join(prefix + f for f in ADDRESS_FIELDS) + ")"


ADDRESS_TEXT = address_text()

# (index name, table, indexed expression) for the prefix/order btree indexes.
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
# Indexes an earlier layout had (lower-cased, accent-sensitive name columns); dropped by
# migration 0012 in favour of the folded `*_key` columns.
RETIRED_PREFIX_INDEXES = ["cust_s_first_idx", "cust_s_last_idx", "cust_s_company_idx"]

# The customers' searchable text is indexed in TEXT_SHARDS partial trigram indexes, one per
# `mod(id, TEXT_SHARDS)`: a look-up that wants a few matches reads one shard after another and
# stops when it has them, each an eighth of the posting lists a single index would make it
# read (at 10M customers a rare fragment cost 13-16 ms in one index, 2-4 ms in a shard). A
# look-up that wants every match ORs the shards (`text_shard` in each arm): the planner
# scans them all into one bitmap, in about the single index's time.
TEXT_SHARDS = 8


def text_shard(shard: int, alias: str = "") -> str:
    """The condition of one shard of the customers' text index, on `alias`.id."""
    return f"mod({alias + '.' if alias else ''}id, {TEXT_SHARDS}) = {int(shard)}"


# (index name, table, indexed expression, partial index condition or "").
PG_TRGM = [
    *(
        (f"cust_s_text_trgm_{k}", "customers_customer", "search_text", text_shard(k))
        for k in range(TEXT_SHARDS)
    ),
    ("addr_s_text_trgm", "customers_address", f"lower{ADDRESS_TEXT}", ""),
]
# The single customers' text index the shards replaced (migration 0015).
RETIRED_TRGM_INDEXES = ["cust_s_text_trgm"]

SQLITE_FTS = """
CREATE VIRTUAL TABLE IF NOT EXISTS customers_search_fts USING fts5(
    search_text, content='customers_customer', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE IF NOT EXISTS customers_address_fts USING fts5(
    text, content='', tokenize='trigram');
"""

SQLITE_TRIGGERS = f"""
CREATE TRIGGER IF NOT EXISTS cust_fts_ai AFTER INSERT ON customers_customer BEGIN
  INSERT INTO customers_search_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER IF NOT EXISTS cust_fts_ad AFTER DELETE ON customers_customer BEGIN
  INSERT INTO customers_search_fts(customers_search_fts, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER IF NOT EXISTS cust_fts_au AFTER UPDATE OF search_text ON customers_customer
BEGIN
  INSERT INTO customers_search_fts(customers_search_fts, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
  INSERT INTO customers_search_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER IF NOT EXISTS addr_fts_ai AFTER INSERT ON customers_address BEGIN
  INSERT INTO customers_address_fts(rowid, text)
    VALUES (new.id, {address_text("new")});
END;
CREATE TRIGGER IF NOT EXISTS addr_fts_ad AFTER DELETE ON customers_address BEGIN
  INSERT INTO customers_address_fts(customers_address_fts, rowid, text)
    VALUES ('delete', old.id, {address_text("old")});
END;
CREATE TRIGGER IF NOT EXISTS addr_fts_au AFTER UPDATE ON customers_address BEGIN
  INSERT INTO customers_address_fts(customers_address_fts, rowid, text)
    VALUES ('delete', old.id, {address_text("old")});
  INSERT INTO customers_address_fts(rowid, text)
    VALUES (new.id, {address_text("new")});
END;
"""

SQLITE_TRIGGER_NAMES = [
    "cust_fts_ai",
    "cust_fts_ad",
    "cust_fts_au",
    "addr_fts_ai",
    "addr_fts_ad",
    "addr_fts_au",
]


def _statements(script: str) -> list[str]:
    """Split on the `;` that end statements (trigger bodies end with `END;`)."""
    out, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        text = "\n".join(buf).strip()
        inside_trigger = text.upper().startswith("CREATE TRIGGER")
        if (inside_trigger and text.upper().endswith("END;")) or (
            not inside_trigger and text.endswith(";")
        ):
            out.append(text)
            buf = []
    return out


def _btree_sql(vendor: str, name: str, table: str, expr: str) -> str:
    if vendor == "postgresql":
        return f'CREATE INDEX IF NOT EXISTS {name} ON {table} (({expr} COLLATE "C"), id)'
    return f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({expr})"


def create_sql(vendor: str, *, with_sync: bool = True, prefix_columns=None) -> list[str]:
    """Statements that create every search index of `vendor` (idempotent). A migration passes
    the `prefix_columns` of its time, so it stays valid when the list changes later."""
    prefix_columns = PREFIX_COLUMNS if prefix_columns is None else prefix_columns
    if vendor == "postgresql":
        stmts = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"]
        stmts += [_btree_sql(vendor, *col) for col in prefix_columns]
        stmts += [
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expr}) gin_trgm_ops)"
            + (f" WHERE {where}" if where else "")
            for name, table, expr, where in PG_TRGM
        ]
        return stmts
    if vendor == "sqlite":
        stmts = [_btree_sql(vendor, *col) for col in prefix_columns]
        stmts += _statements(SQLITE_FTS)
        if with_sync:
            stmts += _statements(SQLITE_TRIGGERS)
        return stmts
    return []


def drop_sql(vendor: str) -> list[str]:
    """Statements that drop every search index of `vendor` (the columns stay)."""
    names = [name for name, _, _ in PREFIX_COLUMNS] + RETIRED_PREFIX_INDEXES
    if vendor == "postgresql":
        names += [name for name, *_ in PG_TRGM] + RETIRED_TRGM_INDEXES
        return [f"DROP INDEX IF EXISTS {n}" for n in names]
    if vendor == "sqlite":
        return [
            *(f"DROP TRIGGER IF EXISTS {n}" for n in SQLITE_TRIGGER_NAMES),
            *(f"DROP INDEX IF EXISTS {n}" for n in names),
            "DROP TABLE IF EXISTS customers_search_fts",
            "DROP TABLE IF EXISTS customers_address_fts",
        ]
    return []


def fts_rebuild_sql(vendor: str) -> list[str]:
    """SQLite: refill both FTS tables from their source rows (after a bulk load)."""
    if vendor != "sqlite":
        return []
    return [
        "INSERT INTO customers_search_fts(customers_search_fts) VALUES ('rebuild')",
        "INSERT INTO customers_address_fts(customers_address_fts) VALUES ('delete-all')",
        f"INSERT INTO customers_address_fts(rowid, text) SELECT id, {ADDRESS_TEXT} "
        "FROM customers_address",
    ]


def run(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def create(connection) -> None:
    run(connection, create_sql(connection.vendor))


def _settle_constraints(connection) -> None:
    """PostgreSQL refuses index DDL while deferred FK checks are pending in the transaction
    (a caller's outer atomic block): run those checks now."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        run(connection, ["SET CONSTRAINTS ALL IMMEDIATE", "SET CONSTRAINTS ALL DEFERRED"])


def drop_for_bulk_load(connection) -> None:
    """Drop the search indexes (and SQLite's sync triggers) before a large bulk insert."""
    _settle_constraints(connection)
    run(connection, drop_sql(connection.vendor))


# Memory PostgreSQL may use to build one index after a bulk load: a trigram index over
# millions of rows builds in fewer, larger passes than within the 64 MB default.
BUILD_MEMORY = "256MB"


def restore_after_bulk_load(connection) -> None:
    """Build the indexes again and refill the FTS tables from the loaded rows."""
    vendor = connection.vendor
    _settle_constraints(connection)
    if vendor == "postgresql":
        run(connection, [f"SET maintenance_work_mem = '{BUILD_MEMORY}'"])
    run(connection, create_sql(vendor, with_sync=False))
    run(connection, fts_rebuild_sql(vendor))
    run(connection, create_sql(vendor))
    if vendor == "postgresql":
        run(connection, ["RESET maintenance_work_mem"])
    analyze(connection)


def analyze(connection) -> None:
    """Refresh the planner statistics of the searched tables."""
    tables = ["customers_customer", "customers_address", "customers_card", "customers_contactpoint"]
    run(connection, [f"ANALYZE {t}" for t in [*tables, "customers_customergroup"]])


def missing(connection) -> list[str]:
    """The search indexes (and, on SQLite, FTS tables and sync triggers) that are absent or,
    on PostgreSQL, left invalid by an interrupted build. Empty before the search migration."""
    vendor = connection.vendor
    names = [name for name, _, _ in PREFIX_COLUMNS]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if "customers_customer" not in tables:
            return []
        columns = connection.introspection.get_table_description(cursor, "customers_customer")
        if "search_text" not in {column.name for column in columns}:
            return []  # before the search migration
        if vendor == "postgresql":
            names += [name for name, *_ in PG_TRGM]
            cursor.execute(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indisvalid AND c.relname = ANY(%s)",
                [names],
            )
        elif vendor == "sqlite":
            names += ["customers_search_fts", "customers_address_fts", *SQLITE_TRIGGER_NAMES]
            cursor.execute("SELECT name FROM sqlite_master")
        else:
            return []
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in names if name not in present]


def repair(connection) -> list[str]:
    """Finish an interrupted index step (idempotent): drop what an interrupted build left
    invalid, build what is missing, refill the FTS tables. Returns what was missing."""
    absent = missing(connection)
    if not absent:
        return []
    if connection.vendor == "postgresql":
        run(connection, [f"DROP INDEX IF EXISTS {name}" for name in absent])
    restore_after_bulk_load(connection)
    return absent


def ensure_after_migrate(connection) -> bool:
    """SQLite rebuilds a table when a migration alters it, which drops the FTS sync triggers
    and the expression indexes on it. After every migrate: put back whatever is missing and
    refill the FTS tables when their triggers had gone. Returns True when it repaired."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if "customers_search_fts" not in tables:
            return False  # before the search migration
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    if all(name in present for name in SQLITE_TRIGGER_NAMES):
        return False
    run(connection, create_sql("sqlite"))
    run(connection, fts_rebuild_sql("sqlite"))
    return True
