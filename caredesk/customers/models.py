"""Customers (members, accounts): SPEC §2.

Phones are stored in E.164 (`+639171234567`) and shown in local format; card data is brand,
last 4, expiry and holder last name only: a full card number or CVV is never stored.
Account, audit and safety histories are views over audit events (actions `customer.*`,
`safety.*`), not tables of their own.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from caredesk.lib.models import staff_member


class AccountType(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    BUSINESS = "business", "Business"
    RESELLER = "reseller", "Reseller"
    CALL_SHOP = "call_shop", "Call shop"


class AccountStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Locale(models.TextChoices):
    EN = "en", "English"
    FIL = "fil", "Filipino"


class Plan(models.TextChoices):
    NONE = "none", "No plan"
    BASIC = "basic", "Basic"
    PLUS = "plus", "Plus"
    PREMIUM = "premium", "Premium"


class CustomerGroup(models.Model):
    """Accounts that belong together: a household, a company, a reseller network. Searching a
    member ID shows the other accounts of its group; a group can be searched by name."""

    class Kind(models.TextChoices):
        HOUSEHOLD = "household", "Household"
        COMPANY = "company", "Company"
        RESELLER_NETWORK = "reseller_network", "Reseller network"

    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HOUSEHOLD)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["name"], name="cust_group_name_idx")]

    def __str__(self) -> str:
        return self.name


# Who the customer is, as typed on their record: what search looks in, an export shows and a
# bulk loader writes, in this order.
IDENTITY_FIELDS = (
    "first_name",
    "last_name",
    "nickname",
    "company",
    "contact_name",
    "email",
    "phone",
)


class Customer(models.Model):
    """A member account. `version` increases on every change and guards concurrent edits."""

    member_id = models.CharField(
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^M\d{7,10}$", "Member IDs look like M0001234.")],
    )
    account_type = models.CharField(
        max_length=12, choices=AccountType.choices, default=AccountType.INDIVIDUAL
    )
    status = models.CharField(
        max_length=8, choices=AccountStatus.choices, default=AccountStatus.OPEN
    )
    closed_reason = models.CharField(max_length=200, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    nickname = models.CharField(max_length=100, blank=True)
    company = models.CharField("business name", max_length=200, blank=True)
    contact_name = models.CharField("business contact", max_length=200, blank=True)

    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField("phone (E.164)", max_length=20, blank=True)

    group = models.ForeignKey(
        CustomerGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locale = models.CharField(max_length=5, choices=Locale.choices, default=Locale.EN)

    plan = models.CharField(max_length=10, choices=Plan.choices, default=Plan.NONE)
    plan_renews_on = models.DateField(null=True, blank=True)
    marketing_email = models.BooleanField(default=False)
    marketing_sms = models.BooleanField(default=False)
    share_with_partners = models.BooleanField(default=False)
    call_forwarding_to = models.CharField("forward calls to (E.164)", max_length=20, blank=True)
    fraud_hold = models.BooleanField(
        default=False, help_text="Closed or held by fraud detection (FRAUD-STOP)."
    )
    # The customer's own sign-in password for the customer-facing site: an argon2 hash set only
    # by the customer through a reset link; staff never see or set it.
    password = models.CharField(max_length=128, blank=True)
    # Changes whenever the password is set, so every reset link issued before dies with it.
    password_stamp = models.CharField(max_length=32, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    # Search keys, derived by caredesk.customers.search.customer_search_fields on every save;
    # their indexes (trigram / FTS5, lower-cased prefixes) come from the search migrations.
    search_name = models.CharField(max_length=200, blank=True, editable=False)
    first_key = models.CharField(max_length=100, blank=True, editable=False)
    last_key = models.CharField(max_length=100, blank=True, editable=False)
    company_key = models.CharField(max_length=200, blank=True, editable=False)
    phone_digits = models.CharField(max_length=20, blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["phone"], name="cust_phone_idx"),
            models.Index(fields=["email"], name="cust_email_idx"),
            models.Index(fields=["group"], name="cust_group_idx"),
            models.Index(fields=["last_activity_at"], name="cust_last_activity_idx"),
            models.Index(fields=["status", "closed_at"], name="cust_status_closed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.member_id})"

    SEARCH_SOURCES = frozenset({"member_id", "account_type", *IDENTITY_FIELDS})

    def save(self, *args, **kwargs):
        """Saves with the search keys derived from the saved values."""
        from caredesk.customers.search.fields import SEARCH_KEY_FIELDS, apply_search_fields

        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            apply_search_fields(self)
        elif self.SEARCH_SOURCES & set(update_fields):
            apply_search_fields(self)
            kwargs["update_fields"] = {*update_fields, *SEARCH_KEY_FIELDS}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        if self.account_type != AccountType.INDIVIDUAL and self.company:
            return self.company
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.company or self.member_id

    @property
    def is_open(self) -> bool:
        return self.status == AccountStatus.OPEN


class ContactPoint(models.Model):
    """An additional email address or phone number of a customer (the primary ones live on
    Customer). Emails lower-cased, phones in E.164; `search_key` is what search matches
    (the email, or the phone's national digits like `Customer.phone_digits`), set on save.
    The values are also part of the customer's `search_text`: whoever adds, changes or
    removes contact points saves the customer's search keys again (`search_keys_refresh`)."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    value = models.CharField(max_length=254)
    label = models.CharField(max_length=40, blank=True)
    search_key = models.CharField(max_length=254, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["kind", "value"], name="cust_contact_value_idx")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"

    def save(self, *args, **kwargs):
        from caredesk.customers.search.fields import contact_search_key

        self.search_key = contact_search_key(self.kind, self.value)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "value" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)


class Address(models.Model):
    """A postal address with its branch/zone and coordinates (maps, pickup windows)."""

    class Kind(models.TextChoices):
        HOME = "home", "Home"
        BILLING = "billing", "Billing"
        DELIVERY = "delivery", "Delivery"
        BUSINESS = "business", "Business"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.HOME)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    barangay = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=100, blank=True)
    province = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    zone = models.ForeignKey(
        "branches.Zone", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_default = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(is_default=True),
                name="address_one_default",
            )
        ]

    def __str__(self) -> str:
        return ", ".join(p for p in [self.line1, self.line2, self.barangay, self.city] if p)


class Card(models.Model):
    """A payment card on file: never more than brand, last 4, expiry and holder last name."""

    class Brand(models.TextChoices):
        VISA = "visa", "Visa"
        MASTERCARD = "mastercard", "Mastercard"
        AMEX = "amex", "American Express"
        JCB = "jcb", "JCB"
        OTHER = "other", "Other"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="cards")
    brand = models.CharField(max_length=12, choices=Brand.choices)
    last4 = models.CharField(
        max_length=4, validators=[RegexValidator(r"^\d{4}$", "Exactly the last 4 digits.")]
    )
    exp_month = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    exp_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    holder_last_name = models.CharField(max_length=100, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["last4", "holder_last_name"], name="card_last4_idx")]

    def __str__(self) -> str:
        return (
            f"{self.get_brand_display()} •••• {self.last4} ({self.exp_month:02d}/{self.exp_year})"
        )


class RegisteredPart(models.Model):
    """A part registered to a service customer (e.g. a blade set): picked up, serviced and
    returned by service orders."""

    class Status(models.TextChoices):
        ACTIVE = "active", "With customer"
        IN_SERVICE = "in_service", "In service"
        RETIRED = "retired", "Retired"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="parts")
    part_type = models.CharField(max_length=100)
    serial = models.CharField(max_length=60)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    wear_level = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)], help_text="Wear in percent."
    )
    last_service_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "serial"], name="part_serial_unique")
        ]

    def __str__(self) -> str:
        return f"{self.part_type} #{self.serial}"


class BlockedMember(models.Model):
    """A member this customer has blocked (privacy setting on the customer's side)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "blocked"], name="blocked_member_unique")
        ]


class LoginDevice(models.Model):
    """A customer's sign-in to the customer-facing site: device, IP and time (last logins)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="logins")
    device = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["customer", "-at"], name="login_customer_at_idx")]

    def __str__(self) -> str:
        return f"{self.device} {self.ip}"


class MemberIdCounter(models.Model):
    """One row holding the last member number handed out; allocation locks it (see
    `member_ids_allocate`), so member IDs are unique and gapless across processes."""

    last = models.BigIntegerField(default=0)


class BlockedValue(models.Model):
    """A FRAUD-STOP blocklist entry (SPEC §7): an IP address or CIDR range, a card, an email or
    a phone that may not open an account, place an order or pay by card.

    `value` is normalised (emails lower-cased, phones E.164, IPs/ranges as CIDR, cards as
    `brand|last4|MM/YYYY|holder last name`), so a lookup is an exact, index-backed match. IP
    entries also keep the range as fixed-width hex (`range_start`..`range_end`, IPv4 mapped into
    IPv6), so "is this address blocked" is one indexed range query. Removing an entry keeps the
    row (who, when, why) and only ends its effect.
    """

    class Kind(models.TextChoices):
        IP = "ip", "IP address or range"
        CARD = "card", "Card"
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"

    kind = models.CharField(max_length=5, choices=Kind.choices)
    value = models.CharField(max_length=254)
    range_start = models.CharField(max_length=32, blank=True)
    range_end = models.CharField(max_length=32, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created_by = staff_member()
    created_at = models.DateTimeField(default=timezone.now)
    removed_by = staff_member()
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "value"], name="blocked_kind_value_idx"),
            models.Index(fields=["kind", "range_start"], name="blocked_ip_range_idx"),
            models.Index(fields=["-created_at"], name="blocked_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.display_value}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    @property
    def display_value(self) -> str:
        if self.kind == self.Kind.CARD:
            parts = self.value.split("|")
            if len(parts) == 4:
                brand, last4, expiry, holder = parts
                label = dict(Card.Brand.choices).get(brand, brand)
                return f"{label} •••• {last4} {expiry} {holder}".strip()
        return self.value
