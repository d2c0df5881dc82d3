"""Demo activity: notes with codes and emails for a seeded sample of the demo customers, and
one chat alert. Emails go through the real outbox, so the worker started by `make run`
delivers them to var/mail/ and the Outbox page shows them as the customers see them."""

from django.contrib.auth import get_user_model

from caredesk.comms.models import ActivityNote
from caredesk.comms.services import chat_alert, email_send_template, note_add
from caredesk.customers.models import Customer
from caredesk.lib.progress import Progress

NOTES = [
    (
        "call_in",
        "satisfied",
        "Asked when the blades will be ready",
        "Told the customer the expected date; happy with the update.",
    ),
    ("call_out", "no_answer", "Pickup reminder", "No answer; will try again tomorrow."),
    (
        "call_out",
        "left_message",
        "Confirm delivery window",
        "Left a voicemail with the 9-12 window.",
    ),
    ("email", "satisfied", "Invoice copy requested", "Sent the invoice copy by email."),
    ("visit", "satisfied", "Showroom visit", "Walked through the new sharpening plans."),
    (
        "call_in",
        "not_satisfied",
        "Complaint about a late return",
        "Order was two days late; escalated to the branch manager.",
    ),
    ("chat", "satisfied", "Changed delivery address", "Updated to the office address."),
]


def build(*, out, options) -> None:
    if ActivityNote.objects.exists():
        out("comms: demo activity already present")
        return
    rng = options["rng"]
    User = get_user_model()
    staff = list(User.objects.filter(username__in=["csr", "csr2", "sales"]).order_by("username"))
    customers = list(
        Customer.objects.exclude(email="").order_by("pk")[: min(options["customers"], 400)]
    )
    if not staff or not customers:
        out("comms: no demo staff or customers; no demo activity")
        return
    progress = Progress("activity", len(customers))
    notes = emails = 0
    for customer in customers:
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            activity, result, subject, body = rng.choice(NOTES)
            note_add(
                actor=rng.choice(staff),
                customer=customer,
                subject=subject,
                body=body,
                activity_code=activity,
                result_code=result,
            )
            notes += 1
        if rng.random() < 0.15:
            email_send_template(
                actor=rng.choice(staff), customer=customer, template_code="free_text", context={}
            )
            emails += 1
        progress.advance()
    chat_alert(
        event_type="showroom_visit",
        text=f"Showroom visit at MNL: {customers[0].display_name} is at the front desk.",
    )
    out(f"comms: {notes} notes, {emails} emails queued for the worker, 1 chat alert")
