"""Demo customers: realistic, varied, deterministic Philippine members (SPEC §2).

`build(out=, options=)` adds `options["customers"]` customers using the seeded
`options["rng"]`: Filipino names and nicknames, businesses, resellers and call shops, groups
(households, companies, reseller networks), emails, PH mobile numbers, addresses in the demo
zones with coordinates, cards, registered parts for service customers, login devices, some
closed accounts, and a few Andersons/Andersens for the wildcard search.

Rows go in with `bulk_create` in batches inside one transaction each, member IDs are allocated
a batch at a time, and the search columns are computed with `customer_search_fields`. For a
large load the search indexes are dropped first and built again at the end (with the FTS
tables refilled on SQLite), which is several times faster than maintaining them row by row.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from caredesk.branches.models import Zone
from caredesk.customers.ids import member_ids_allocate
from caredesk.customers.models import (
    IDENTITY_FIELDS,
    AccountStatus,
    AccountType,
    Address,
    Card,
    ContactPoint,
    Customer,
    CustomerGroup,
    LoginDevice,
    Plan,
    RegisteredPart,
)
from caredesk.customers.search import indexes
from caredesk.customers.search.fields import (
    SEARCH_KEY_FIELDS,
    contact_search_key,
    customer_search_fields,
)
from caredesk.lib.progress import Progress

BATCH = 5000
BULK_LOAD_FROM = 50_000  # customers; from this many on, indexes are rebuilt after the load

FIRST_MALE = (
    "Juan Jose Mark John Paolo Miguel Carlo Rafael Gabriel Angelo Christian Joshua Kenneth "
    "Ramon Rodrigo Eduardo Ernesto Fernando Antonio Ricardo Renato Rolando Danilo Rogelio "
    "Jomar Jerome Bryan Kevin Francis Noel Arnel Romeo Nestor Efren Isidro Benjamin Emmanuel "
    "Vicente Ferdinand Marlon Jayson Reynaldo Alfredo Ronaldo Edgardo Manuel Jesus"
).split()
FIRST_FEMALE = (
    "Maria Ana Kristine Angelica Camille Patricia Jasmine Nicole Princess Mary Grace Joy "
    "Lorna Teresita Rosario Corazon Imelda Luzviminda Erlinda Marites Mylene Rowena Maricel "
    "Jennifer Divina Cristina Josephine Rosalinda Cecilia Gloria Remedios Leonora Shiela "
    "Rachelle Aileen Hazel Charmaine Katherine Bea Trixie Danica Andrea Francesca Regina"
).split()
LAST_NAMES = (
    "Santos Reyes Cruz Bautista Ocampo Garcia Mendoza Torres Tomas Andrada Castillo Flores "
    "Villanueva Ramos Castro Rivera Aquino Navarro Salazar Mercado Aguilar Gonzales Lopez "
    "Perez Domingo Gutierrez Fernandez Manalo Soriano Dizon Pascual Marquez Sison Vergara "
    "Javier Valdez Santiago Rosales Lim Tan Sy Co Ong Macapagal Magbanua Dimaculangan "
    "Dimagiba Macaraeg Panganiban Lacson Tolentino Buenaventura Evangelista Samonte Galang "
    "Salvador Lacsamana Cabrera Mangubat Pangilinan Quiambao Yap Uy Chua Ledesma Abad "
    "Alcantara Estrada Francisco Ignacio Jimenez Katigbak Lagman Mallari Natividad Padilla "
    "Quizon Roque Sarmiento Tagle Umali Velasco Zamora Baluyot Cayabyab Dalisay Espiritu "
    "Ferrer Gatchalian Hernandez Ilagan Jacinto Lorenzo Magsaysay Nepomuceno Orbe Punzalan"
).split() + [
    "Dela Cruz",
    "De Leon",
    "Delos Santos",
    "De Guzman",
    "Peña",
    "Nuñez",
    "Muñoz",
    "Dela Peña",
    "Santo Niño",
]
WILDCARD_NAMES = ["Anderson", "Andersen"]  # about 1 in 400 customers each
NICKNAMES = (
    "Jun Jun-Jun Boy Bong Jojo Nonoy Dodong Toto Lito Ramboy Bebot Inday Neneng Ging Tintin "
    "Pinky Baby Bambi Cha Joy Len Mai Nene Tess Jhun Pido Totoy Kulot Bunso Ate Kuya Mimi"
).split()
BUSINESS_KINDS = [
    "Trading",
    "Enterprises",
    "Hardware",
    "Sari-Sari Store",
    "Merchandising",
    "Auto Supply",
    "Barbershop",
    "Salon",
    "Carinderia",
    "General Merchandise",
    "Water Refilling Station",
    "Pharmacy",
]
BUSINESS_WORDS = (
    "Golden Bagong Pag-asa Masagana Bayanihan Tanglaw Mabuhay Sampaguita Bituin Kalayaan "
    "Maharlika Liwayway Silangan Tagumpay Magiting Biyaya Sinag Dalisay Himig Luntian"
).split()
RESELLER_BRANDS = ["Loadwise", "ePinoy Load", "Tindahan Load Center", "PasaLoad Hub", "Kaload"]
CALL_SHOP_WORDS = ["Tawag", "Call Center", "Telecom Booth", "Padala at Tawag", "Connect"]
STREETS = (
    (
        "Rizal Mabini Bonifacio Luna Del_Pilar Aguinaldo Quezon Osmeña Magsaysay Burgos Roxas "
        "Laurel Recto Taft Katipunan Colon Jakosalem Legaspi Ilustre Quirino Lapu-Lapu Gen._Luna "
        "Sampaguita Kamagong Narra Molave Acacia Ipil-Ipil Dao Banaba Mango Santan Gumamela"
    )
    .replace("_", " ")
    .split()
)
STREET_TYPES = [
    ("Street", 30),
    ("St.", 25),
    ("Avenue", 15),
    ("Road", 12),
    ("Extension", 6),
    ("Drive", 6),
    ("Boulevard", 3),
    ("Highway", 3),
]
ZONE_PLACES = {
    "MNL-N": [
        (
            "Quezon City",
            "Metro Manila",
            "1100",
            14.676,
            121.043,
            [
                "Bagong Pag-asa",
                "Commonwealth",
                "Batasan Hills",
                "Cubao",
                "Diliman",
                "Fairview",
                "Kamuning",
                "Novaliches",
            ],
        )
    ],
    "MNL-C": [
        (
            "Manila",
            "Metro Manila",
            "1000",
            14.5995,
            120.9842,
            ["Ermita", "Malate", "Sampaloc", "Tondo", "Paco"],
        ),
        (
            "Makati",
            "Metro Manila",
            "1200",
            14.5547,
            121.0244,
            ["Poblacion", "Bel-Air", "San Antonio", "Guadalupe Nuevo"],
        ),
    ],
    "MNL-S": [
        (
            "Parañaque",
            "Metro Manila",
            "1700",
            14.4793,
            121.0198,
            ["Baclaran", "BF Homes", "Don Bosco", "San Dionisio"],
        ),
        (
            "Las Piñas",
            "Metro Manila",
            "1740",
            14.4445,
            120.9939,
            ["Pamplona", "Talon", "Almanza", "Pilar"],
        ),
    ],
    "CEB-C": [
        (
            "Cebu City",
            "Cebu",
            "6000",
            10.3157,
            123.8854,
            ["Lahug", "Guadalupe", "Mabolo", "Capitol Site", "Banilad", "Talamban"],
        )
    ],
    "CEB-M": [
        (
            "Mandaue",
            "Cebu",
            "6014",
            10.3236,
            123.9223,
            ["Bakilid", "Subangdaku", "Centro", "Tipolo"],
        ),
        ("Lapu-Lapu", "Cebu", "6015", 10.3103, 123.9494, ["Pusok", "Mactan", "Basak"]),
    ],
    "DVO-C": [
        (
            "Davao City",
            "Davao del Sur",
            "8000",
            7.0731,
            125.6128,
            ["Poblacion", "Agdao", "Bajada", "Obrero"],
        )
    ],
    "DVO-N": [
        (
            "Davao City",
            "Davao del Sur",
            "8000",
            7.1187,
            125.6181,
            ["Buhangin", "Cabantian", "Communal", "Tigatto"],
        )
    ],
}
ZONE_WEIGHTS = {
    "MNL-N": 22,
    "MNL-C": 20,
    "MNL-S": 15,
    "CEB-C": 14,
    "CEB-M": 10,
    "DVO-C": 11,
    "DVO-N": 8,
}
MOBILE_PREFIXES = (
    "905 906 915 916 917 926 927 935 936 945 955 956 965 966 975 977 995 997 "
    "907 908 909 910 912 918 919 920 921 928 929 930 938 939 946 947 948 949 950 951 961 998 "
    "999 991 992 993 994"
).split()
MAIL_DOMAINS = ["gmail.com"] * 6 + ["yahoo.com"] * 3 + ["ymail.com", "outlook.com", "icloud.com"]
CONTACT_LABELS = ["work", "office", "mobile 2", "personal", "home"]
CLOSE_REASONS = [
    "Customer request",
    "Moved abroad",
    "Duplicate account",
    "Deceased",
    "Fraud detection: chargeback",
    "Fraud detection: stolen card",
]
PART_TYPES = [
    "Clipper blade set",
    "Grinder burr set",
    "Water filter cartridge",
    "Compressor unit",
    "Printer head",
    "Sewing machine motor",
    "Chainsaw chain",
]
DEVICES = [
    ("iPhone 14", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)"),
    ("Samsung Galaxy A54", "Mozilla/5.0 (Linux; Android 14; SM-A546E)"),
    ("Realme C55", "Mozilla/5.0 (Linux; Android 13; RMX3710)"),
    ("Oppo A78", "Mozilla/5.0 (Linux; Android 13; CPH2565)"),
    ("Windows PC · Chrome", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0"),
    ("MacBook · Safari", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) Safari/605.1"),
    ("Vivo Y36", "Mozilla/5.0 (Linux; Android 13; V2247)"),
]
IP_PREFIXES = [
    "49.144",
    "49.145",
    "112.198",
    "112.204",
    "120.28",
    "122.2",
    "175.176",
    "180.190",
    "203.177",
]


def _slug(text: str) -> str:
    from caredesk.customers.search.fields import fold

    return "".join(ch for ch in fold(text) if ch.isalnum())


class _Generator:
    """Draws one customer at a time from the seeded rng; keeps group state between draws."""

    def __init__(self, rng, zones: list[Zone], now: datetime):
        self.rng = rng
        self.now = now
        self.zones = zones
        self.zone_weights = [ZONE_WEIGHTS.get(z.code, 5) for z in zones]
        self.street_types = [t for t, _ in STREET_TYPES]
        self.street_weights = [w for _, w in STREET_TYPES]
        self.household = None  # (group key, last name, address tuple, members left)
        self.network = None  # (group key, members left)

    def person(self):
        rng = self.rng
        female = rng.random() < 0.5
        first = rng.choice(FIRST_FEMALE if female else FIRST_MALE)
        if rng.random() < 0.25:
            first = f"{first} {rng.choice(FIRST_FEMALE if female else FIRST_MALE)}"
        last = rng.choice(WILDCARD_NAMES) if rng.random() < 0.005 else rng.choice(LAST_NAMES)
        nickname = rng.choice(NICKNAMES) if rng.random() < 0.35 else ""
        return first, last, nickname

    def address(self):
        rng = self.rng
        zone = rng.choices(self.zones, weights=self.zone_weights)[0]
        city, province, postal, lat, lng, barangays = rng.choice(
            ZONE_PLACES.get(zone.code) or [("", "", "", 12.0, 122.0, [""])]
        )
        street = f"{rng.choice(STREETS)} {rng.choices(self.street_types, self.street_weights)[0]}"
        line1 = f"{rng.randint(1, 2999)} {street}"
        if rng.random() < 0.2:
            line1 = f"Blk {rng.randint(1, 60)} Lot {rng.randint(1, 40)}, {street}"
        lat = Decimal(f"{lat + rng.uniform(-0.03, 0.03):.6f}")
        lng = Decimal(f"{lng + rng.uniform(-0.03, 0.03):.6f}")
        return zone, line1, rng.choice(barangays), city, province, postal, lat, lng

    def phone(self) -> str:
        rng = self.rng
        return f"+63{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 9_999_999):07d}"

    def email(self, first: str, last: str, domain: str | None = None) -> str:
        rng = self.rng
        local = _slug(first.split()[0]) + rng.choice([".", "_", ""]) + _slug(last)
        if rng.random() < 0.7:
            local += str(rng.randint(1, 9999))
        return f"{local}@{domain or rng.choice(MAIL_DOMAINS)}"

    def draw(self, member_id: str) -> dict:
        """One customer as plain data: the row, its group key, address(es), cards, parts,
        logins."""
        rng = self.rng
        first, last, nickname = self.person()
        kind = rng.choices(
            [
                AccountType.INDIVIDUAL,
                AccountType.BUSINESS,
                AccountType.RESELLER,
                AccountType.CALL_SHOP,
            ],
            weights=[80, 10, 5, 5],
        )[0]
        company = contact = ""
        group = None
        addr = self.address()
        domain = None
        if kind == AccountType.INDIVIDUAL:
            if self.household and self.household[3] > 0:
                key, last, addr, left = self.household
                self.household = (key, last, addr, left - 1)
                group = key
            elif rng.random() < 0.08:
                key = ("household", f"{last} household ({addr[3] or 'PH'})")
                self.household = (key, last, addr, rng.randint(1, 3))
                group = key
        elif kind == AccountType.BUSINESS:
            company = f"{rng.choice([*BUSINESS_WORDS, last])} {rng.choice(BUSINESS_KINDS)}"
            contact = f"{first} {last}"
            domain = f"{_slug(company)[:20]}.ph" if rng.random() < 0.4 else None
            if rng.random() < 0.3:
                group = ("company", company)
        else:
            words = RESELLER_BRANDS if kind == AccountType.RESELLER else CALL_SHOP_WORDS
            company = f"{rng.choice(words)} {addr[3] or 'PH'} {rng.randint(1, 400)}"
            contact = f"{first} {last}"
            if self.network and self.network[1] > 0:
                group = self.network[0]
                self.network = (group, self.network[1] - 1)
            else:
                group = (
                    "reseller_network",
                    f"{rng.choice(RESELLER_BRANDS)} network {rng.randint(1, 500)}",
                )
                self.network = (group, rng.randint(2, 12))
        created = self.now - timedelta(days=rng.randint(30, 3650), seconds=rng.randint(0, 86399))
        activity = self.now - timedelta(days=rng.randint(0, 700), seconds=rng.randint(0, 86399))
        activity = max(activity, created)
        closed = rng.random() < 0.04
        customer = {
            "member_id": member_id,
            "account_type": kind,
            "status": AccountStatus.CLOSED if closed else AccountStatus.OPEN,
            "closed_reason": rng.choice(CLOSE_REASONS) if closed else "",
            "closed_at": activity if closed else None,
            "fraud_hold": closed and rng.random() < 0.3,
            "first_name": first,
            "last_name": last,
            "nickname": nickname,
            "company": company,
            "contact_name": contact,
            "email": self.email(first, last, domain) if rng.random() < 0.93 else "",
            "phone": self.phone() if rng.random() < 0.97 else "",
            "branch_id": addr[0].branch_id,
            "locale": "fil" if rng.random() < 0.3 else "en",
            "plan": rng.choices(Plan.values, weights=[60, 20, 15, 5])[0],
            "marketing_email": rng.random() < 0.4,
            "marketing_sms": rng.random() < 0.3,
            "created_at": created,
            "updated_at": activity,
            "last_activity_at": activity,
        }
        addresses = [
            (
                Address.Kind.HOME if kind == AccountType.INDIVIDUAL else Address.Kind.BUSINESS,
                addr,
                True,
            )
        ]
        if rng.random() < 0.1:
            addresses.append((Address.Kind.DELIVERY, self.address(), False))
        cards = []
        for _ in range(rng.choices([0, 1, 2], weights=[30, 55, 15])[0]):
            holder = last if rng.random() < 0.85 else rng.choice(LAST_NAMES)
            if rng.random() < 0.05:
                holder = holder.upper()  # as embossed: billing search is case-sensitive
            cards.append(
                (
                    rng.choices(Card.Brand.values, weights=[55, 35, 5, 3, 2])[0],
                    f"{rng.randint(0, 9999):04d}",
                    rng.randint(1, 12),
                    self.now.year + rng.randint(-1, 5),
                    holder,
                )
            )
        parts = []
        if kind != AccountType.INDIVIDUAL and rng.random() < 0.3:
            for n in range(rng.randint(1, 3)):
                parts.append(
                    (
                        rng.choice(PART_TYPES),
                        f"SN{rng.randint(10**7, 10**8 - 1)}{n}",
                        # "in service" comes from a service order picking the part up
                        rng.choices(
                            [RegisteredPart.Status.ACTIVE, RegisteredPart.Status.RETIRED],
                            weights=[95, 5],
                        )[0],
                        rng.randint(0, 100),
                        (self.now - timedelta(days=rng.randint(10, 700))).date()
                        if rng.random() < 0.7
                        else None,
                    )
                )
        logins = []
        for _ in range(rng.choices([0, 1, 2, 3], weights=[50, 30, 15, 5])[0]):
            device, agent = rng.choice(DEVICES)
            ip = f"{rng.choice(IP_PREFIXES)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            logins.append(
                (device, agent, ip, activity - timedelta(minutes=rng.randint(0, 60 * 24 * 60)))
            )
        contacts = []  # additional phones and emails: (kind, value, label)
        if rng.random() < 0.12:
            contacts.append(("phone", self.phone(), rng.choice(CONTACT_LABELS)))
        if rng.random() < 0.06:
            other = self.email(first, last, domain).lower()
            if other != customer["email"]:
                contacts.append(("email", other, rng.choice(CONTACT_LABELS)))
        return {
            "customer": customer,
            "group": group,
            "addresses": addresses,
            "cards": cards,
            "parts": parts,
            "logins": logins,
            "contacts": contacts,
        }


class _Writer:
    """Set-based inserts: COPY on PostgreSQL, executemany on SQLite. Columns the generator does
    not set get the model field's default, so new fields with defaults need no change here."""

    def __init__(self):
        self.vendor = connection.vendor
        self.columns: dict = {}

    def _value(self, value):
        if self.vendor == "sqlite":
            if isinstance(value, datetime):
                return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, Decimal):
                return str(value)
        return value

    def layout(self, model, given: list[str]):
        """(column names, defaults for the columns not in `given`), computed once per model."""
        if model not in self.columns:
            fields = [f for f in model._meta.concrete_fields if f.attname not in given]
            fields = [f for f in fields if not f.primary_key]
            defaults = [
                self._value(f.get_db_prep_save(f.get_default(), connection)) for f in fields
            ]
            self.columns[model] = ([*given, *(f.column for f in fields)], defaults)
        return self.columns[model]

    def write(self, model, given: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        columns, defaults = self.layout(model, given)
        table = model._meta.db_table
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row((*row, *defaults))
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({cols}) VALUES ({marks})",
                    [tuple(self._value(v) for v in row) + tuple(defaults) for row in rows],
                )

    def next_id(self, model, count: int) -> int:
        return ids_reserve(model, count)


def ids_reserve(model, count: int) -> int:
    """First of `count` consecutive ids reserved for rows a bulk load writes with explicit ids
    (on PostgreSQL the table stays locked until the caller's transaction ends)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"GREATEST((SELECT COALESCE(max(id), 0) FROM {table}), "
                f"(SELECT last_value FROM {table}_id_seq)) + %s)",
                [count],
            )
            return cursor.fetchone()[0] - count + 1
        cursor.execute(f"SELECT COALESCE(max(id), 0) FROM {table}")
        return cursor.fetchone()[0] + 1


CUSTOMER_COLUMNS = [
    "id",
    "member_id",
    "account_type",
    "status",
    "closed_reason",
    "closed_at",
    "fraud_hold",
    *IDENTITY_FIELDS,
    "branch_id",
    "locale",
    "plan",
    "marketing_email",
    "marketing_sms",
    "created_at",
    "updated_at",
    "last_activity_at",
    "group_id",
    *SEARCH_KEY_FIELDS,
]


def _insert_batch(writer: _Writer, drawn: list[dict], groups: dict) -> None:
    new_keys = [d["group"] for d in drawn if d["group"] and d["group"] not in groups]
    new_keys = list(dict.fromkeys(new_keys))
    if new_keys:
        first = writer.next_id(CustomerGroup, len(new_keys))
        rows = []
        for n, (kind, name) in enumerate(new_keys):
            groups[(kind, name)] = first + n
            rows.append((first + n, kind, name[:150]))
        writer.write(CustomerGroup, ["id", "kind", "name"], rows)
    first = writer.next_id(Customer, len(drawn))
    customers, addresses, cards, parts, logins, contacts = [], [], [], [], [], []
    probe = Customer()
    for n, d in enumerate(drawn):
        cid = first + n
        row = d["customer"]
        row["id"] = cid
        row["group_id"] = groups[d["group"]] if d["group"] else None
        for name in Customer.SEARCH_SOURCES:
            setattr(probe, name, row[name])
        keys = [contact_search_key(kind, value) for kind, value, _ in d["contacts"]]
        row.update(customer_search_fields(probe, contacts=keys))
        for (kind, value, label), key in zip(d["contacts"], keys, strict=True):
            contacts.append((cid, kind, value, label, key))
        customers.append(tuple(row[c] for c in CUSTOMER_COLUMNS))
        for kind, (zone, line1, barangay, city, province, postal, lat, lng), default in d[
            "addresses"
        ]:
            addresses.append(
                (
                    cid,
                    kind,
                    line1,
                    barangay,
                    city,
                    province,
                    postal,
                    zone.branch_id,
                    zone.id,
                    lat,
                    lng,
                    default,
                )
            )
        for brand, last4, month, year, holder in d["cards"]:
            cards.append((cid, brand, last4, month, year, holder, row["created_at"]))
        for part in d["parts"]:
            parts.append((cid, *part))
        for login in d["logins"]:
            logins.append((cid, *login))
    writer.write(Customer, CUSTOMER_COLUMNS, customers)
    writer.write(
        Address,
        [
            "customer_id",
            "kind",
            "line1",
            "barangay",
            "city",
            "province",
            "postal_code",
            "branch_id",
            "zone_id",
            "latitude",
            "longitude",
            "is_default",
        ],
        addresses,
    )
    writer.write(
        Card,
        ["customer_id", "brand", "last4", "exp_month", "exp_year", "holder_last_name", "added_at"],
        cards,
    )
    writer.write(
        RegisteredPart,
        ["customer_id", "part_type", "serial", "status", "wear_level", "last_service_on"],
        parts,
    )
    writer.write(LoginDevice, ["customer_id", "device", "user_agent", "ip", "at"], logins)
    writer.write(ContactPoint, ["customer_id", "kind", "value", "label", "search_key"], contacts)


def customers_generate(*, count: int, rng, now: datetime | None = None, progress=None) -> int:
    """Insert `count` demo customers drawn from `rng`; returns how many were inserted."""
    zones = list(Zone.objects.select_related("branch").order_by("code"))
    if not zones or count <= 0:
        return 0
    now = now or timezone.now()
    gen = _Generator(rng, zones, now)
    bulk = count >= BULK_LOAD_FROM
    if bulk:
        indexes.drop_for_bulk_load(connection)
    groups: dict = {}
    writer = _Writer()
    done = 0
    try:
        while done < count:
            n = min(BATCH, count - done)
            with transaction.atomic():
                ids = member_ids_allocate(n)
                _insert_batch(writer, [gen.draw(mid) for mid in ids], groups)
            done += n
            if progress:
                progress.advance(n)
    finally:
        if bulk:
            if progress:
                progress.stream.write("search indexes: building...\n")
            indexes.restore_after_bulk_load(connection)
    if not bulk:
        indexes.analyze(connection)  # fresh statistics, so the planner sees the new rows
    return done


def build(*, out, options) -> None:
    count = int(options.get("customers") or 0)
    if count <= 0:
        return
    progress = Progress("customers", count)
    started = timezone.now()
    now = options.get("now") or datetime.combine(
        date(2026, 11, 23), datetime.min.time(), tzinfo=timezone.get_current_timezone()
    )
    made = customers_generate(count=count, rng=options["rng"], now=now, progress=progress)
    progress.finish()
    seconds = (timezone.now() - started).total_seconds()
    out(f"customers: {made:,} in {seconds:.1f}s")
