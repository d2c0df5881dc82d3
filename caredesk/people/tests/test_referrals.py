import pytest

from caredesk.people.models import ReferralAttribution

pytestmark = pytest.mark.django_db


def test_sales_creates_csr_reads_but_cannot_create(api_for, sales, csr):
    created = api_for(sales).post("/api/v1/referrals", json={"label": "Facebook page"})
    assert created.status_code == 201, created.content
    assert created.json()["url"].endswith(f"/r/{created.json()['code']}")
    assert api_for(csr).get("/api/v1/referrals").json()["count"] == 1
    assert api_for(csr).post("/api/v1/referrals", json={"label": "x"}).status_code == 403
    dup = api_for(sales).post(
        "/api/v1/referrals", json={"label": "again", "code": created.json()["code"]}
    )
    assert dup.status_code == 409


def test_customer_opened_through_the_link_is_credited(web_for, sales, csr):
    from caredesk.branches.models import Branch, Zone
    from caredesk.people.services import referral_create

    branch = Branch.objects.create(code="MNL", name="Manila")
    Zone.objects.create(branch=branch, code="MNL-N", name="North")
    link = referral_create(actor=sales, label="Mall booth", code="MALL1")
    client = web_for(csr)
    follow = client.get("/r/MALL1")
    assert follow.status_code == 302 and follow["Location"] == "/customers/new/"
    response = client.post(
        "/customers/new/",
        {
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
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    attribution = ReferralAttribution.objects.get(link=link)
    assert attribution.customer.first_name == "Rosa"
    page = client.get("/people/referrals/MALL1/")
    assert attribution.customer.member_id.encode() in page.content
    assert b"Deactivate" not in page.content


def test_escalation_contacts_are_edited_by_admin_and_shown_on_the_order_page(
    web_for, admin, csr, django_assert_max_num_queries
):
    from caredesk.orders.tests.samples import sample_order_number

    number = sample_order_number()
    client = web_for(admin)
    response = client.post(
        "/admin/escalations/",
        {"issue": "Refunds / ledger", "contact": "Finance", "position": 1},
    )
    assert response.status_code == 302
    assert web_for(csr).get("/admin/escalations/").status_code == 403
    page = web_for(csr).get(f"/orders/{number}/").content.decode()
    assert "Escalate to" in page and "Refunds / ledger" in page and "Finance" in page


def test_catalog_page_edits_a_product(web_for, manager):
    from caredesk.orders.models import CatalogItem

    CatalogItem.objects.create(sku="LAMP-1", name="Lamp", price="999.00")
    client = web_for(manager)
    form = client.get("/orders/catalog/?edit=LAMP-1").content.decode()
    assert 'value="Lamp"' in form and 'value="999.00"' in form
    client.post(
        "/orders/catalog/",
        {"sku": "LAMP-1", "name": "Floor lamp", "price": "1099.00", "active": "on", "edit": "1"},
    )
    item = CatalogItem.objects.get()
    assert item.name == "Floor lamp" and str(item.price) == "1099.00"
