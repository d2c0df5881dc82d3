import pytest

from caredesk.people.models import ReferralAttribution

pytestmark = pytest.mark.django_db

NEW_CUSTOMER = {
    "account_type": "individual",
    "first_name": "Rosa",
    "last_name": "Lim",
    "email": "rosa@example.ph",
    "phone": "09171234567",
    "locale": "en",
    "address_line1": "1 Rizal St",
    "address_city": "Quezon City",
    "address_branch": "MNL",
    "address_zone": "MNL-N",
}


@pytest.fixture
def shop(db):
    from caredesk.branches.models import Branch, Zone
    from caredesk.orders.models import CatalogItem

    branch = Branch.objects.get_or_create(code="MNL", defaults={"name": "Manila"})[0]
    Zone.objects.get_or_create(code="MNL-N", defaults={"branch": branch, "name": "North"})
    CatalogItem.objects.get_or_create(sku="LAMP-1", defaults={"name": "Lamp", "price": "999.00"})
    return branch


def test_sales_creates_csr_reads_but_cannot_create(api_for, web_for, sales, csr):
    created = api_for(sales).post("/api/v1/referrals", json={"label": "Facebook page"})
    assert created.status_code == 201, created.content
    code = created.json()["code"]
    assert created.json()["url"].endswith(f"/r/{code}") and created.json()["owner"] == "sales"
    assert api_for(csr).get("/api/v1/referrals").json()["count"] == 1
    assert api_for(csr).get(f"/api/v1/referrals/{code}").json()["attributions"] == []
    refused = api_for(csr).post("/api/v1/referrals", json={"label": "x"})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    dup = api_for(sales).post("/api/v1/referrals", json={"label": "again", "code": code})
    assert dup.status_code == 409 and dup.json()["field"] == "code"

    csr_web = web_for(csr)
    listing = csr_web.get("/people/referrals/").content.decode()
    assert code in listing and "Create link" not in listing
    detail = csr_web.get(f"/people/referrals/{code}/").content.decode()
    assert "Facebook page" in detail and "Deactivate" not in detail
    assert csr_web.post("/people/referrals/", {"label": "Mine"}).status_code == 403
    assert csr_web.post(f"/people/referrals/{code}/", {"active": "0"}).status_code == 403
    assert api_for(csr).get("/api/v1/referrals").json()["results"][0]["active"] is True

    sales_web = web_for(sales)
    sales_web.post(f"/people/referrals/{code}/", {"active": "0"})
    assert api_for(csr).get("/api/v1/referrals").json()["results"][0]["active"] is False


def test_customer_and_order_opened_through_the_link_are_credited(
    web_for, api_for, sales, csr, shop
):
    from caredesk.customers.models import Customer
    from caredesk.orders.models import Order
    from caredesk.people.services import referral_create

    link = referral_create(actor=sales, label="Mall booth", code="MALL1")
    client = web_for(csr)
    follow = client.get("/r/mall1")
    assert follow.status_code == 302 and follow["Location"] == "/customers/new/"
    response = client.post("/customers/new/", NEW_CUSTOMER)
    assert response.status_code == 302, response.content.decode()[:2000]
    rosa = Customer.objects.get(first_name="Rosa")
    assert ReferralAttribution.objects.get(link=link).customer == rosa

    ordered = client.post(
        "/orders/new/",
        {
            "customer": rosa.member_id,
            "branch": "MNL",
            "kind": "sale",
            "qty_LAMP-1": 1,
            "step": "confirm",
        },
    )
    assert ordered.status_code == 302, ordered.content.decode()[:2000]
    order = Order.objects.get(customer=rosa)
    assert ReferralAttribution.objects.get(link=link, order__isnull=False).order == order

    # What the CSR opens afterwards in the same session is their own work, not the link's.
    client.post(
        "/customers/new/",
        {**NEW_CUSTOMER, "first_name": "Nena", "phone": "09171234568", "email": "nena@x.ph"},
    )
    assert Customer.objects.filter(first_name="Nena").exists()
    assert ReferralAttribution.objects.filter(link=link).count() == 2

    page = client.get("/people/referrals/MALL1/").content.decode()
    assert "Rosa Lim" in page and rosa.member_id in page and order.number in page
    assert "Credited customers and orders (2)" in page
    detail = api_for(csr).get("/api/v1/referrals/MALL1").json()
    assert detail["attributed"] == 2
    assert {(a["customer"], a["order"]) for a in detail["attributions"]} == {
        (rosa.member_id, None),
        (None, order.number),
    }
    assert {a["customer_name"] for a in detail["attributions"]} == {"Rosa Lim"}


def test_api_credits_a_customer_and_an_order_that_name_the_link(api_for, sales, csr, shop):
    from caredesk.customers.models import Customer
    from caredesk.people.services import referral_create

    link = referral_create(actor=sales, label="Radio ad", code="RADIO")
    api = api_for(csr)
    body = {
        "first_name": "Ana",
        "last_name": "Cruz",
        "phone": "09181234567",
        "address": {"line1": "2 Mabini St", "city": "Manila", "branch": "MNL"},
    }
    unknown = api.post("/api/v1/customers", json={**body, "referral": "NOPE"})
    assert unknown.status_code == 400 and unknown.json()["field"] == "referral"
    assert not Customer.objects.filter(first_name="Ana").exists()

    customer = api.post("/api/v1/customers", json={**body, "referral": "radio"})
    assert customer.status_code == 201, customer.content
    member_id = customer.json()["member_id"]
    order = api.post(
        "/api/v1/orders",
        json={
            "customer": member_id,
            "branch": "MNL",
            "lines": [{"sku": "LAMP-1", "quantity": 1}],
            "referral": "RADIO",
        },
    )
    assert order.status_code == 201, order.content
    credited = ReferralAttribution.objects.filter(link=link)
    assert {
        (a.customer and a.customer.member_id, a.order and a.order.number) for a in credited
    } == {
        (member_id, None),
        (None, order.json()["number"]),
    }
    assert api.get("/api/v1/referrals").json()["results"][0]["attributed"] == 2


def test_referral_attribution_reads_in_words(sales, csr, shop):
    from caredesk.audit.models import Event
    from caredesk.customers.models import Customer
    from caredesk.lib.events import describe
    from caredesk.people.services import referral_attribute, referral_create

    referral_create(actor=sales, label="Flyers", code="FLY")
    customer = Customer.objects.create(member_id="M0000077", first_name="Lia", last_name="Go")
    referral_attribute(actor=csr, code="fly", customer=customer)
    event = Event.objects.get(action="referral.attributed")
    assert describe(event) == "Customer M0000077 credited to referral link FLY"
