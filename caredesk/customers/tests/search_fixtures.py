"""Customers for the search tests, written the way the application writes them (save())."""

from caredesk.customers.ids import member_ids_allocate
from caredesk.customers.models import Address, Card, Customer, CustomerGroup


def make_customer(**fields) -> Customer:
    address = fields.pop("address", None)
    cards = fields.pop("cards", [])
    customer = Customer(member_id=member_ids_allocate(1)[0], **fields)
    customer.save()
    if address:
        Address.objects.create(customer=customer, **address)
    for last4, holder in cards:
        Card.objects.create(
            customer=customer,
            brand="visa",
            last4=last4,
            exp_month=12,
            exp_year=2030,
            holder_last_name=holder,
        )
    return customer


def population() -> dict[str, Customer]:
    """A small, varied set of customers covering every search rule."""
    household = CustomerGroup.objects.create(name="Dela Cruz household", kind="household")
    people = {
        "juan": make_customer(
            first_name="Juan",
            last_name="Dela Cruz",
            nickname="Jun",
            email="juan.delacruz@example.ph",
            phone="+639171234567",
            group=household,
            address={"line1": "12 Mabini Street", "barangay": "Malate", "city": "Manila"},
            cards=[("4242", "Dela Cruz")],
        ),
        "maria": make_customer(
            first_name="Maria",
            last_name="Dela Cruz",
            email="maria.dc@example.ph",
            phone="+639181112222",
            group=household,
            address={"line1": "12 Mabini Street", "barangay": "Malate", "city": "Manila"},
        ),
        "anderson": make_customer(
            first_name="Paolo",
            last_name="Anderson",
            email="paolo.anderson@mail.ph",
            phone="+639201230000",
            address={"line1": "7 Colon Avenue", "city": "Cebu City"},
            cards=[("1111", "ANDERSON")],
        ),
        "andersen": make_customer(
            first_name="Kristine",
            last_name="Andersen",
            email="kandersen@mail.ph",
            address={"line1": "3 Rizal Road", "city": "Davao City"},
        ),
        "sanders": make_customer(first_name="Mark", last_name="Sanders", email="mark@s.ph"),
        "santos": make_customer(first_name="Ana", last_name="Santos", email="ana@santos.ph"),
        "delos": make_customer(first_name="Rico", last_name="Delos Santos", email="rico@x.ph"),
        "pena": make_customer(first_name="Lorna", last_name="Peña", email="lorna@x.ph"),
        "closed": make_customer(
            first_name="Ramon",
            last_name="Anderson",
            status="closed",
            closed_reason="Moved abroad",
            email="ramon@x.ph",
        ),
        "shop": make_customer(
            account_type="business",
            company="Golden Hardware",
            contact_name="Nestor Lim",
            first_name="Nestor",
            last_name="Lim",
            email="sales@goldenhardware.ph",
            address={"line1": "88 Katipunan Extension", "city": "Quezon City"},
        ),
    }
    return people
