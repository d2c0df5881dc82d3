"""One search interface, two implementations (PostgreSQL pg_trgm, SQLite FTS5 trigram).

Both build SQL over the same denormalised columns (see fields.py) and indexes (indexes.py);
only the pieces a database does differently are overridden: collation of prefix ranges,
fragment lookup, address fragments and case-sensitive patterns.

Cost control, on a million rows:
- instant search runs in tiers (exact, prefix, fragment), each an index range scan with a
  LIMIT, and stops as soon as it has enough rows;
- a fragment or broad filter is materialised up to `CAP` rows before sorting, so a common
  term never walks a whole index to fill a page, and counts stop at `CAP` ("1,000+").
"""

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.db import connection
from django.db.models import OuterRef, Subquery

from caredesk.customers.ids import member_id_format
from caredesk.customers.models import AccountStatus, Address, Customer

from .criteria import Criteria
from .fields import fold, looks_like_phone, phone_digits, phone_local, search_fold
from .indexes import TEXT_SHARDS, address_text, text_shard

CAP = 1000
FRAGMENT_CANDIDATES = 100  # fragment matches sorted for the type-ahead (at least 2 x limit)
FRAGMENT_WALK = 3000  # customers the type-ahead reads for a fragment before the trigram index
TOP = "\U0010ffff"  # sorts after every character: [p, p + TOP) is "starts with p"
_MEMBER_ID = re.compile(r"^[mM]\s*0*(\d{1,10})$")
_MEMBER_PREFIX = re.compile(r"^[mM]0\d{0,5}$")

# Extension point: callables `lookup(q: str) -> list[int]` returning customer ids that match
# `q` exactly by something other than the customer row (e.g. an order number). Apps register
# theirs at import time with `instant_exact_lookup_register`; they rank with the exact tier.
INSTANT_EXACT_LOOKUPS: list = []


def instant_exact_lookup_register(lookup) -> None:
    if lookup not in INSTANT_EXACT_LOOKUPS:
        INSTANT_EXACT_LOOKUPS.append(lookup)


def like_escape(text: str) -> str:
    """Escape LIKE's special characters except `%`, which stays the user's wildcard."""
    return text.replace("\\", "\\\\").replace("_", "\\_")


def member_id_normalise(text: str) -> str | None:
    """`m1234`, `M0001234`, `M 1234` -> `M0001234`; anything else -> None."""
    match = _MEMBER_ID.match(text.strip())
    return member_id_format(int(match.group(1))) if match else None


@dataclass
class SearchPage:
    """One page of results: `customers` (each with `.city` and `.related`), `count` (exact up
    to CAP; `capped` when there are more)."""

    customers: list
    count: int
    capped: bool
    page: int
    limit: int

    @property
    def has_next(self) -> bool:
        return self.page * self.limit < self.count

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.limit))


class SearchBackend(ABC):
    vendor = ""

    # --- vendor hooks -----------------------------------------------------------------------
    def lc(self, expr: str) -> str:
        """The expression as indexed for prefix ranges and ordering."""
        return expr

    @abstractmethod
    def text_contains(self, words: list[str]) -> tuple[str, str, list]:
        """(join, condition, params): `c.search_text` contains every folded word (at least one
        has 3+ chars). `join` is added to `FROM customers_customer c` ("" for none), so the
        lookup can drive the query and stop at the LIMIT."""

    @abstractmethod
    def address_match(self, pattern: str, words: list[str]) -> tuple[str, str, list]:
        """(join, condition, params): one of the customer's addresses matches the lower-cased
        LIKE pattern. A join may repeat a customer with two matching addresses (DISTINCT)."""

    @abstractmethod
    def case_sensitive_like(self, expr: str, pattern: str) -> tuple[str, list]:
        """(condition, params): `expr` matches the LIKE pattern, upper/lower case kept."""

    # --- building blocks --------------------------------------------------------------------
    def prefix(self, expr: str, prefix: str) -> tuple[str, list]:
        e = self.lc(expr)
        return f"{e} >= %s AND {e} < %s", [prefix, prefix + TOP]

    def pattern(self, expr: str, term: str) -> tuple[str, list]:
        """Whole-value match of a lower-cased expression, or a `%` pattern (never leading)."""
        if "%" not in term:
            return f"{self.lc(expr)} = %s", [term]
        head = term.split("%", 1)[0]
        sql, params = self.prefix(expr, head) if head else ("1=1", [])
        return f"{sql} AND {expr} LIKE %s ESCAPE '\\'", [*params, like_escape(term)]

    def contact_in(self, kind: str, cond: str, params: list) -> tuple[str, list]:
        """(condition, params): the customer has an additional email/phone (`kind`) whose
        `search_key` meets `cond`."""
        return (
            "id IN (SELECT customer_id FROM customers_contactpoint "
            f"WHERE kind = '{kind}' AND {cond})",
            params,
        )

    def primary_or_contact(self, kind: str, column: str, cond: str, params: list):
        """(condition, params) on `c`: the primary column (`lower(email)`, `phone_digits`) or
        an additional contact point of `kind` meets `cond` (written over `{col}`). A UNION of
        two index lookups, so neither side turns into a scan."""
        primary = cond.format(col=column)
        contact = cond.format(col="search_key")
        return (
            f"c.id IN (SELECT id FROM customers_customer WHERE {primary} "
            "UNION SELECT customer_id FROM customers_contactpoint "
            f"WHERE kind = '{kind}' AND {contact})",
            [*params, *params],
        )

    def _fetch(self, ids: list[int]) -> list:
        city = Subquery(
            Address.objects.filter(customer=OuterRef("pk"))
            .order_by("-is_default", "id")
            .values("city")[:1]
        )
        rows = Customer.objects.filter(id__in=ids).annotate(city=city)
        by_id = {}
        for c in rows:
            c.phone_display = phone_local(c.phone)
            by_id[c.id] = c
        return [by_id[i] for i in ids if i in by_id]

    def _rows(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # --- instant ----------------------------------------------------------------------------
    def instant(self, q: str, *, limit: int = 20) -> list:
        """Customers for the type-ahead box, best first: exact member ID / phone / email (and
        registered exact lookups), then prefix matches on names, email, phone and member ID,
        then fragments anywhere in the searchable text. Ordered by name within a tier."""
        q = (q or "").strip()[:100]
        folded = fold(q)
        if not folded:
            return []
        picked: list[int] = []

        def take(ids):
            for i in ids:
                if i not in picked and len(picked) < limit:
                    picked.append(i)

        phone_mode = looks_like_phone(q) and sum(ch.isdigit() for ch in q) >= 3
        digits = phone_digits(q) if phone_mode else ""
        member_id = member_id_normalise(q)

        exact: list[tuple[str, list]] = []
        if member_id:
            exact.append(("member_id = %s", [member_id]))
        if digits:
            exact.append((f"{self.lc('phone_digits')} = %s", [digits]))
            exact.append(self.contact_in("phone", f"{self.lc('search_key')} = %s", [digits]))
        if "@" in q:
            exact.append((f"{self.lc('lower(email)')} = %s", [q.lower()]))
            exact.append(self.contact_in("email", f"{self.lc('search_key')} = %s", [q.lower()]))
        if exact:
            sql = " UNION ALL ".join(
                f"SELECT id, {rank} AS k, search_name FROM customers_customer WHERE {cond}"
                for rank, (cond, _) in enumerate(exact)
            )
            params = [p for _, ps in exact for p in ps]
            rows = self._rows(f"SELECT id FROM ({sql}) t ORDER BY k, search_name, id", params)
            take(r[0] for r in rows)
        # A member ID, phone number or email address that matched exactly is what the CSR
        # meant: prefix and fragment matches are only looked for when it did not.
        exact_hit = bool(picked) and (bool(member_id) or phone_mode or "@" in q)
        for lookup in INSTANT_EXACT_LOOKUPS:
            take(lookup(q))

        # "M00012" while typing a padded member ID: IDs starting with it
        member_prefix = bool(_MEMBER_PREFIX.match(q))
        if len(picked) < limit and (member_prefix or not exact_hit):
            prefixes: list[tuple[str, str]] = []
            if digits and not exact_hit:
                prefixes.append(("phone_digits", digits))
            if member_prefix:
                prefixes.append(("member_id", q.upper()))
            if not phone_mode and not exact_hit:
                prefixes += [
                    ("search_name", folded),
                    ("first_key", folded),
                    ("lower(nickname)", q.lower()),
                    ("lower(email)", q.lower()),
                ]
            parts, params = [], []
            for n, (expr, value) in enumerate(prefixes):
                plain = expr == "member_id"
                cond, ps = (
                    (f"{expr} >= %s AND {expr} < %s", [value, value + TOP])
                    if plain
                    else self.prefix(expr, value)
                )
                order = expr if plain else self.lc(expr)
                parts.append(
                    f"SELECT * FROM (SELECT id, search_name FROM customers_customer "
                    f"WHERE {cond} ORDER BY {order}, id LIMIT {int(limit)}) p{n}"
                )
                params += ps
            if parts:
                rows = self._rows(" UNION ALL ".join(parts), params)
                take(i for i, _ in sorted(set(rows), key=lambda r: (r[1], r[0])))

        words = (digits or search_fold(q)).split()
        if len(picked) < limit and not exact_hit and any(len(w) >= 3 for w in words):
            take(self.fragment_ids(words, limit + len(picked)))
        customers = self._fetch(picked)
        for c in customers:
            c.related = False
        if digits or "@" in q:
            self._mark_contact_matches(customers, digits or q.lower())
        return customers

    def fragment_ids(self, words: list[str], need: int) -> list[int]:
        """Ids of customers whose searchable text contains every word, by name: the fragment
        tier of the type-ahead, up to `FRAGMENT_CANDIDATES` matches (any of them, as gathering
        every match of a fragment that hits a million rows is the cost to avoid) sorted by
        name, the first `need` of them.

        A common fragment is met among the first customers: a walk over the first
        `FRAGMENT_WALK` by id (an index range that stops there) finds enough of them and ends
        it. A rarer one comes from the trigram index (`candidates`), which costs what the
        fragment matches. Each costs a bounded amount whatever the table's size; one query
        can only guess which case it is, and at 10M customers its guess read half a million
        rows for a rare fragment, or gathered every match of a common one."""
        limit = max(FRAGMENT_CANDIDATES, 2 * need)
        like, patterns = self.text_like(words, "w")
        found = self._rows(
            "SELECT id, search_name FROM (SELECT id, search_name, search_text "
            f"FROM customers_customer ORDER BY id LIMIT {FRAGMENT_WALK}) w "
            f"WHERE {like} LIMIT {limit}",
            patterns,
        )
        if len(found) < need:
            found += self._rows(*self.candidates(words, limit))
        return [i for _, i in sorted({(name, i) for i, name in found})][:need]

    def text_like(self, words: list[str], alias: str = "c") -> tuple[str, list]:
        """(condition, params): `alias.search_text` contains every word, with LIKE."""
        like = " AND ".join([f"{alias}.search_text LIKE %s ESCAPE '\\'"] * len(words))
        return like, [f"%{like_escape(w.replace('%', ''))}%" for w in words]

    def candidates(self, words: list[str], limit: int) -> tuple[str, list]:
        """(SQL, params) for (id, search_name) of up to `limit` customers whose text contains
        every word, any of them."""
        join, cond, params = self.text_contains(words)
        sql = f"SELECT c.id, c.search_name FROM customers_customer c {join} WHERE {cond}"
        return f"{sql} LIMIT {int(limit)}", params

    def _mark_contact_matches(self, customers: list, key: str) -> None:
        """`matched_contact` on the customers found by an additional phone or email rather
        than their primary one ("0928 555 0101 (work)"), so the CSR sees why they are listed:
        one query over the found customers' contact points."""
        from caredesk.customers.models import ContactPoint

        unexplained = {
            c.id: c
            for c in customers
            if key not in (c.phone_digits or "") + (c.email or "").lower()
        }
        for c in customers:
            c.matched_contact = ""
        if not unexplained:
            return
        found = ContactPoint.objects.filter(
            customer_id__in=list(unexplained), search_key__contains=key
        ).order_by("pk")
        for contact in found:
            customer = unexplained[contact.customer_id]
            if not customer.matched_contact:
                value = phone_local(contact.value) if contact.kind == "phone" else contact.value
                customer.matched_contact = f"{value} ({contact.label})" if contact.label else value

    def instant_page(self, q: str, *, page: int = 1, limit: int = 50) -> SearchPage:
        """Ranked instant results as a page (the full results page, the API's `q`), over
        the best CAP matches."""
        page = max(1, page)
        wanted = min(page * limit + 1, CAP + 1)
        found = self.instant(q, limit=wanted)
        start = (page - 1) * limit
        count = min(len(found), CAP)
        return SearchPage(found[start : start + limit], count, len(found) > CAP, page, limit)

    # --- advanced ---------------------------------------------------------------------------
    def where(self, c: Criteria) -> tuple[str, str, list, int | None]:
        """(joins, condition, params, anchor) over `customers_customer c` for the criteria;
        `anchor` is the id of the customer a member ID named (its group's other accounts are
        "related")."""
        joins: list[str] = []
        join_params: list = []
        conds: list[str] = []
        params: list = []
        anchor = None

        def add(sql, ps=()):
            conds.append(sql)
            params.extend(ps)

        def add_joined(join, sql, ps):
            if join:
                joins.append(join)
                join_params.extend(ps)
                add(sql)
            else:
                add(sql, ps)

        if c.account_types:
            add(f"c.account_type IN ({', '.join(['%s'] * len(c.account_types))})", c.account_types)
        if c.exclude_closed:
            add("c.status = %s", [AccountStatus.OPEN])
        if c.member_id:
            member_id = member_id_normalise(c.member_id)
            if "%" in c.member_id:
                term = c.member_id.upper()
                head = term.split("%", 1)[0]
                add(
                    "c.member_id >= %s AND c.member_id < %s AND c.member_id LIKE %s ESCAPE '\\'",
                    [head, head + TOP, like_escape(term)],
                )
            else:
                row = (
                    Customer.objects.filter(member_id=member_id).values("id", "group_id").first()
                    if member_id
                    else None
                )
                if row is None:
                    add("1=0")
                elif row["group_id"]:
                    anchor = row["id"]
                    add("(c.id = %s OR c.group_id = %s)", [row["id"], row["group_id"]])
                else:
                    anchor = row["id"]
                    add("c.id = %s", [row["id"]])
        for name, key in (
            ("first_name", "first_key"),
            ("last_name", "last_key"),
            ("company", "company_key"),
        ):
            term = getattr(c, name)
            if term:
                add(*self.pattern(f"c.{key}", fold(term)))
        if c.group:
            sql, ps = self.pattern("lower(g.name)", c.group.lower())
            add(f"c.group_id IN (SELECT g.id FROM customers_customergroup g WHERE {sql})", ps)
        if c.email:
            term = c.email.lower()
            words = search_fold(term.replace("%", " ")).split()
            if any(len(w) >= 3 for w in words):
                # the trigram lookup narrows (search_text holds every email), LIKE decides
                add_joined(*self.text_contains(words))
                like = like_escape(f"%{term}%")
                add(
                    "(lower(c.email) LIKE %s ESCAPE '\\' OR c.id IN (SELECT p.customer_id "
                    "FROM customers_contactpoint p WHERE p.kind = 'email' "
                    "AND p.search_key LIKE %s ESCAPE '\\'))",
                    [like, like],
                )
            else:
                head = term.replace("%", "")
                add(
                    *self.primary_or_contact(
                        "email",
                        "lower(email)",
                        f"{self.lc('{col}')} >= %s AND {self.lc('{col}')} < %s",
                        [head, head + TOP],
                    )
                )
        if c.phone:
            head, *rest = c.phone.split("%")
            digits = phone_digits(head)
            if not rest:
                cond, ps = f"{self.lc('{col}')} = %s", [digits]
            else:
                tail = "%".join(re.sub(r"\D", "", r) for r in rest)
                cond = f"{self.lc('{col}')} >= %s AND {self.lc('{col}')} < %s AND {{col}} LIKE %s"
                ps = [digits, digits + TOP, f"{digits}%{tail}"]
            add(*self.primary_or_contact("phone", "phone_digits", cond, ps))
        if c.address:
            term = c.address.lower()
            pattern = like_escape(term if "%" in term else f"%{term}%")
            words = [w for w in fold(term).replace("%", " ").split() if w]
            add_joined(*self.address_match(pattern, words))
        if c.card_last4:
            sql = "k.last4 = %s"
            ps = [c.card_last4]
            if c.card_last_name:
                s2, p2 = self.case_sensitive_like("k.holder_last_name", c.card_last_name)
                sql, ps = f"{sql} AND {s2}", [*ps, *p2]
            add(f"c.id IN (SELECT k.customer_id FROM customers_card k WHERE {sql})", ps)
        return " ".join(joins), (" AND ".join(conds) or "1=1"), [*join_params, *params], anchor

    ORDERS = {
        "name": "m.search_name, m.id",
        "-name": "m.search_name DESC, m.id DESC",
        "activity": "m.last_activity_at, m.id",
        "-activity": "m.last_activity_at DESC, m.id DESC",
    }

    def advanced(
        self, criteria: Criteria, *, sort: str = "name", page: int = 1, limit: int = 50
    ) -> SearchPage:
        """Customers meeting every criterion, sorted by name or last activity, one page of
        them; `count` is exact up to CAP, then `capped`."""
        page = max(1, min(page, -(-CAP // limit)))
        joins, where, params, anchor = self.where(criteria)
        order = self.ORDERS.get(sort, self.ORDERS["name"])
        distinct = "DISTINCT " if joins else ""
        inner = (
            f"SELECT {distinct}c.id, c.search_name, c.last_activity_at "
            f"FROM customers_customer c {joins} WHERE {where} LIMIT {CAP + 1}"
        )
        rows = self._rows(
            f"SELECT m.id, count(*) OVER () FROM ({inner}) m ORDER BY {order} LIMIT %s OFFSET %s",
            [*params, limit, (page - 1) * limit],
        )
        if rows:
            total = rows[0][1]
        else:
            total = self._rows(f"SELECT count(*) FROM ({inner}) m", params)[0][0]
        customers = self._fetch([r[0] for r in rows])
        for cust in customers:
            cust.related = anchor is not None and cust.id != anchor
        return SearchPage(customers, min(total, CAP), total > CAP, page, limit)


class PostgresSearch(SearchBackend):
    """pg_trgm GIN indexes for fragments, "C"-collated btree expression indexes for prefixes."""

    vendor = "postgresql"

    def lc(self, expr: str) -> str:
        return f'({expr} COLLATE "C")'

    def candidates(self, words, limit):
        """One shard of the text index after the other (`indexes.TEXT_SHARDS`), read up to
        the LIMIT: a fragment with enough matches in the first shard costs an eighth of the
        index. Each shard is a CTE planned as if every match were wanted, so its trigram index
        drives; planned with the LIMIT, a rare fragment the planner guesses to match 1% of the
        rows would get a walk over the table until `limit` turned up."""
        conds, patterns = self._by_shard(words)
        shards = [
            f"s{k} AS MATERIALIZED (SELECT c.id, c.search_name FROM customers_customer c "
            f"WHERE {cond})"
            for k, cond in enumerate(conds)
        ]
        union = " UNION ALL ".join(f"SELECT * FROM s{k}" for k in range(TEXT_SHARDS))
        sql = f"WITH {', '.join(shards)} SELECT * FROM ({union}) u LIMIT {int(limit)}"
        return sql, patterns * TEXT_SHARDS

    def text_contains(self, words):
        """Every shard of the text index ORed (one bitmap), so the planner can use them."""
        conds, patterns = self._by_shard(words)
        return "", "(" + " OR ".join(f"({cond})" for cond in conds) + ")", patterns * TEXT_SHARDS

    def _by_shard(self, words) -> tuple[list[str], list]:
        """(the text condition within each shard of the text index, in the shard's words so
        its partial index applies; the params of one of them)."""
        like, patterns = self.text_like(words)
        return [f"{like} AND {text_shard(k, 'c')}" for k in range(TEXT_SHARDS)], patterns

    def address_match(self, pattern, words):
        return (
            "",
            "c.id IN (SELECT a.customer_id FROM customers_address a "
            f"WHERE lower{address_text('a')} LIKE %s ESCAPE '\\')",
            [pattern],
        )

    def case_sensitive_like(self, expr, pattern):
        if "%" not in pattern:
            return f"{expr} = %s", [pattern]
        return f"{expr} LIKE %s ESCAPE '\\'", [like_escape(pattern)]


def _fts_query(words: list[str]) -> str:
    return " AND ".join('"{}"'.format(w.replace('"', '""')) for w in words)


class SQLiteSearch(SearchBackend):
    """FTS5 trigram tables (3+ character runs) plus expression indexes for prefixes; 1-2
    character words are checked with LIKE on the rows the trigram lookup found."""

    vendor = "sqlite"

    def text_contains(self, words):
        long = [w for w in words if len(w) >= 3]
        short = [w for w in words if len(w) < 3]
        sql = "fs.customers_search_fts MATCH %s"
        params: list = [_fts_query(long)]
        if short:
            like, patterns = self.text_like(short)
            sql, params = f"{sql} AND {like}", params + patterns
        return "JOIN customers_search_fts fs ON fs.rowid = c.id", sql, params

    def address_match(self, pattern, words):
        long = [w for w in words if len(w) >= 3]
        return (
            "JOIN customers_address_fts fa JOIN customers_address a "
            "ON a.id = fa.rowid AND a.customer_id = c.id "
            "AND fa.customers_address_fts MATCH %s "
            f"AND lower{address_text('a')} LIKE %s ESCAPE '\\'",
            "1=1",
            [_fts_query(long), pattern],
        )

    def case_sensitive_like(self, expr, pattern):
        if "%" not in pattern:
            return f"{expr} = %s", [pattern]
        glob = re.sub(r"([*?\[])", r"[\1]", pattern).replace("%", "*")
        return f"{expr} GLOB %s", [glob]


def backend() -> SearchBackend:
    """The implementation for the default database."""
    return PostgresSearch() if connection.vendor == "postgresql" else SQLiteSearch()
