"""Demo inboxes: positions, holidays, and complaints, service requests, job applications and
internal issues at every status, some overdue, with replies, notes and guests' answers.
Idempotent: does nothing when tickets exist."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from caredesk.customers.models import Customer
from caredesk.inbox import services
from caredesk.inbox.models import Holiday, Position, Ticket
from caredesk.inbox.services.tickets import _due
from caredesk.inbox.uploads import Checked

POSITIONS = [
    "Customer service representative",
    "Delivery driver",
    "Service technician",
    "Warehouse associate",
]
HOLIDAYS = [
    ("12-08", "Feast of the Immaculate Conception"),
    ("12-24", "Christmas Eve"),
    ("12-25", "Christmas Day"),
    ("12-30", "Rizal Day"),
    ("12-31", "New Year's Eve"),
    ("01-01", "New Year's Day"),
]
COMPLAINTS = [
    "Delivery arrived two days late",
    "Blade set was bent out of the box",
    "Installer left packaging in my garage",
    "Charged twice for the same order",
    "Nobody answered the hotline on Saturday",
    "Wrong colour delivered",
    "Mower will not start after service",
    "Driver was rude at the gate",
    "Refund still not received",
    "Tracking link says delivered but nothing came",
    "Missing screws in the assembly kit",
    "Scratches on the new cabinet",
]
SERVICE = [
    "Motor makes a grinding noise",
    "Blade wobbles at high speed",
    "Door hinge came loose",
    "Remote control stopped working",
    "Leaking oil after first use",
    "Needs a second key copy",
]
ISSUES = [
    "Receipt printer at MNL desk 2 jams",
    "Pickup window capacity wrong for CEB-S",
    "Label printer out of ribbons",
    "Hotline queue music too loud",
    "Catalog photo missing for MOWER-X",
]
NAMES = [
    "Ana Cruz",
    "Ben Ramos",
    "Carla Lim",
    "Dan Reyes",
    "Ella Tan",
    "Franco Diaz",
    "Gina Uy",
    "Hector Sy",
    "Iris Gomez",
    "Jomar Castro",
]
STATUS_CYCLE = ["new", "new", "open", "waiting", "open", "resolved", "closed", "open"]
PRIORITIES = ["normal", "normal", "high", "low", "urgent", "normal"]

PDF = b"%PDF-1.4\n% Demo CV\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _backdate(ticket: Ticket, hours: int) -> None:
    ticket.created_at = timezone.now() - dt.timedelta(hours=hours)
    ticket.due_at = _due(ticket) if ticket.status != "waiting" else None
    ticket.save(update_fields=["created_at", "due_at"])
    ticket.messages.update(created_at=ticket.created_at)


def _work(ticket: Ticket, status: str, staff, rng) -> None:
    worker = rng.choice(staff)
    if status == "new":
        return
    services.ticket_update(actor=worker, ticket=ticket, expected_version=None, assignee=worker)
    if ticket.guest_email or (ticket.customer_id and ticket.customer.email):
        services.ticket_reply(
            actor=worker,
            ticket=ticket,
            body="Thank you for letting us know. We are looking into it and will update you "
            "within the day.",
            internal=False,
            then_status=None,
        )
    services.ticket_reply(
        actor=worker,
        ticket=ticket,
        body="Checked the order history; escalating to the branch.",
        internal=True,
    )
    if status in ("waiting", "resolved", "closed"):
        services.ticket_update(actor=worker, ticket=ticket, expected_version=None, status="waiting")
    if status in ("resolved", "closed"):
        services.ticket_update(actor=worker, ticket=ticket, expected_version=None, status=status)


def _branch_calendars(year: int) -> None:
    """Cebu keeps mall hours (every day 10:00-20:00) and closes for its fiesta (third Sunday of
    January, Sinulog); the other branches keep the default calendar."""
    from caredesk.branches.models import Branch
    from caredesk.inbox.models import BusinessCalendar, BusinessHours

    cebu = Branch.objects.filter(code="CEB").first()
    if cebu is None or BusinessCalendar.objects.filter(branch=cebu).exists():
        return
    BusinessCalendar.objects.create(branch=cebu)
    BusinessHours.objects.bulk_create(
        BusinessHours(branch=cebu, weekday=d, opens=dt.time(10), closes=dt.time(20))
        for d in range(7)
    )
    for y in (year, year + 1):
        first = dt.date(y, 1, 1)
        third_sunday = first + dt.timedelta(days=(6 - first.weekday()) % 7 + 14)
        Holiday.objects.get_or_create(branch=cebu, date=third_sunday, defaults={"name": "Sinulog"})


def build(*, out, options) -> None:
    rng = options["rng"]
    for title in POSITIONS:
        Position.objects.get_or_create(title=title)
    year = timezone.localdate().year
    for mmdd, name in HOLIDAYS:
        for y in (year, year + 1):
            day = dt.date.fromisoformat(f"{y}-{mmdd}")
            Holiday.objects.get_or_create(branch=None, date=day, defaults={"name": name})
    _branch_calendars(year)
    if Ticket.objects.exists():
        out("inbox: tickets exist, left as they are")
        return
    User = get_user_model()
    csrs = list(User.objects.filter(username__in=["csr", "csr2", "manager"]))
    hr = list(User.objects.filter(username__in=["hr", "manager"]))
    if not csrs or not hr:
        out("inbox: no demo staff, skipped")
        return
    customers = list(Customer.objects.exclude(email="").order_by("pk")[:60])
    count = 0
    for i, subject in enumerate(COMPLAINTS * 2):
        status = STATUS_CYCLE[i % len(STATUS_CYCLE)]
        known = customers[i % len(customers)] if customers and i % 3 == 0 else None
        name = known.display_name if known else NAMES[i % len(NAMES)]
        email = known.email if known else f"{name.split()[0].lower()}{i}@example.ph"
        order = known.orders.exclude(status="draft").first() if known else None
        ticket = services.ticket_create(
            actor=None,
            kind="complaint",
            subject=subject,
            source="web",
            body=f"{subject}. Please call me back when you can.",
            guest_name=name,
            guest_email=email,
            locale=known.locale if known else rng.choice(["en", "en", "fil"]),
            customer=known,
            order=order,
            priority=rng.choice(PRIORITIES),
        )
        _backdate(ticket, rng.randint(1, 120))
        _work(Ticket.objects.get(pk=ticket.pk), status, csrs, rng)
        count += 1
    from caredesk.orders.models import Order

    delivered = list(Order.objects.filter(status__in=["delivered", "completed"])[:12])
    for i, order in enumerate(delivered):
        text = SERVICE[i % len(SERVICE)]
        ticket = services.ticket_create(
            actor=None,
            kind="service",
            subject=f"Service for {order.number}: {text}",
            body=f"{text}. It started last week.",
            source="web",
            guest_name=order.customer.display_name,
            guest_email=order.customer.email,
            guest_phone=order.customer.phone,
            locale=order.customer.locale,
            customer=order.customer,
            order=order,
            priority=rng.choice(PRIORITIES),
        )
        _backdate(ticket, rng.randint(1, 96))
        _work(Ticket.objects.get(pk=ticket.pk), STATUS_CYCLE[(i + 3) % 8], csrs, rng)
        count += 1
    positions = list(Position.objects.filter(active=True))
    for i in range(10):
        name = NAMES[(i + 4) % len(NAMES)]
        position = positions[i % len(positions)]
        cv = ContentFile(PDF, name="cv.pdf")
        ticket = services.ticket_create(
            actor=None,
            kind="career",
            subject=f"{position.title}: {name}",
            body="I have three years of experience and can start next month.",
            source="web",
            guest_name=name,
            guest_email=f"applicant{i}@example.ph",
            position=position,
            files=[
                Checked(
                    upload=cv,
                    name=f"{name.replace(' ', '_')}_CV.pdf",
                    kind="pdf",
                    content_type="application/pdf",
                    size=len(PDF),
                )
            ],
        )
        _backdate(ticket, rng.randint(1, 200))
        _work(Ticket.objects.get(pk=ticket.pk), STATUS_CYCLE[i % 8], hr, rng)
        count += 1
    for i, subject in enumerate(ISSUES * 2):
        author = csrs[i % len(csrs)]
        ticket = services.ticket_create(
            actor=author,
            kind="issue",
            subject=subject,
            body=f"{subject}; seen this morning.",
            source="staff",
            priority=rng.choice(PRIORITIES),
        )
        _backdate(ticket, rng.randint(1, 72))
        _work(Ticket.objects.get(pk=ticket.pk), STATUS_CYCLE[(i + 1) % 8], csrs, rng)
        count += 1
    # A guest answered two waiting tickets by email: they are open again.
    for ticket in Ticket.objects.filter(status="waiting", kind="complaint")[:2]:
        services.ticket_guest_reply(
            ticket=ticket, body="Any news? I am home all week.", via="email"
        )
    out(f"inbox: {count} tickets (complaints, service, careers, issues) at every status")
