"""Order emails (SPEC §6): confirmation, resend confirmation, "Send update" and status updates,
queued through the durable outbox in the customer's language with the order's data."""

from django.conf import settings

from caredesk.comms.services import email_send_template
from caredesk.lib.display import money
from caredesk.lib.permissions import require
from caredesk.orders import machine
from caredesk.orders.models import Kind, Order
from caredesk.orders.selectors import guest_timeline
from caredesk.orders.tracking import tracking_url

ORDER_TEMPLATES = (
    "order_confirmation",
    "resend_confirmation",
    "send_update",
    "order_status_update",
)


def order_email_context(order: Order) -> dict:
    """Plain data for the templates (the variables documented in comms.rendering)."""
    link = f"{settings.CAREDESK_PUBLIC_URL.rstrip('/')}{tracking_url(None, order)}"
    return {
        "order": {
            "number": order.number,
            "date": order.created_at,
            "branch": order.branch.name,
            "status": machine.guest_label(order.kind, order.status),
            "status_note": machine.guest_label(order.kind, order.status),
            # A sale order is delivered, never returned: only service orders have a return date.
            "expected_return": (
                order.scheduled_delivery_on or order.requested_delivery_on
                if order.kind == Kind.SERVICE
                else None
            ),
            "tracking_url": link,
            "lines": [
                {
                    "name": line.name,
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "unit_price": money(line.unit_price),
                    "amount": money(line.unit_price * line.quantity - line.discount),
                }
                for line in order.lines.all()
            ],
            "total": money(order.total),
            "timeline": [{"at": at, "text": text} for at, text in guest_timeline(order)],
        }
    }


def order_email_queue(*, actor, order: Order, template_code: str):
    """Queue one of the order templates to the order's customer, in the caller's transaction.
    Automatic emails pass actor=None; a CSR's "Send update" / "Resend confirmation" needs
    `send_email`."""
    if template_code not in ORDER_TEMPLATES:
        raise ValueError(template_code)
    if actor is not None:
        require(actor, "send_email")
    return email_send_template(
        actor=actor,
        customer=order.customer,
        template_code=template_code,
        context=order_email_context(order),
        order=order,
    )


STAFF_TEMPLATES = {"send_update": "Send update", "resend_confirmation": "Resend confirmation"}


def order_email_send(*, actor, order: Order, template_code: str):
    """A CSR's one-click "Send update" (current status, timeline, expected date) or "Resend
    confirmation": queued in the customer's language, on the order's timeline."""
    from django.db import transaction

    from caredesk.audit.services import event_record
    from caredesk.lib.errors import Invalid

    require(actor, "send_email")
    if template_code not in STAFF_TEMPLATES:
        raise Invalid(f"Choose one of: {', '.join(STAFF_TEMPLATES)}.", field="template")
    if template_code == "resend_confirmation" and order.status == "draft":
        raise Invalid(
            "A draft is not confirmed yet; there is no confirmation to resend.", field="template"
        )
    with transaction.atomic():
        message = order_email_queue(actor=actor, order=order, template_code=template_code)
        event_record(
            actor=actor,
            action="order.email_queued",
            target=order,
            data={"template": template_code, "to": message.to, "message": message.message_id},
        )
    return message
