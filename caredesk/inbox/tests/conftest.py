import io
import itertools
import zipfile
from decimal import Decimal

import pytest

from caredesk.branches.models import Branch
from caredesk.customers.models import Customer
from caredesk.inbox.models import Position

_n = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML_AS_PDF = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CAREDESK_SMS_DIR = tmp_path / "sms"
    settings.CAREDESK_INBOUND_EMAIL_SECRET = "inbound-test-secret"


@pytest.fixture
def branch(db):
    return Branch.objects.get_or_create(code="MNL", defaults={"name": "Manila"})[0]


@pytest.fixture
def cebu(db):
    return Branch.objects.create(code="CEB", name="Cebu")


@pytest.fixture
def davao(db):
    return Branch.objects.create(code="DVO", name="Davao")


@pytest.fixture
def make_customer(db, branch):
    def build(**kw):
        n = next(_n)
        defaults = {
            "member_id": f"M{8000000 + n:07d}",
            "first_name": "Maria",
            "last_name": f"Reyes{n}",
            "phone": f"+6391755{n:05d}",
            "email": f"maria{n}@example.ph",
            "branch": branch,
        }
        defaults.update(kw)
        return Customer.objects.create(**defaults)

    return build


@pytest.fixture
def customer(make_customer):
    return make_customer()


@pytest.fixture
def make_order(db, branch):
    from caredesk.orders import tracking
    from caredesk.orders.models import Order

    def build(customer, *, status="delivered"):
        n = next(_n)
        order = Order.objects.create(
            number=f"MNL-{5000 + n:04d}",
            branch=branch,
            customer=customer,
            status=status,
            kind="sale",
            subtotal=Decimal("100.00"),
            total=Decimal("100.00"),
            balance=Decimal("0.00"),
            line_count=1,
            tracking_salt=f"salt{n}",
        )
        order.tracking_token_hash = tracking.token_hash(tracking.token_for(order))
        order.save(update_fields=["tracking_token_hash"])
        return order

    return build


@pytest.fixture
def position(db):
    return Position.objects.create(title="Service technician")
