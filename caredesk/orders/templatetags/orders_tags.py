"""Order figures for templates, read from `orders.policy` (templates never compare statuses)."""

from django import template

from caredesk.orders import policy

register = template.Library()


@register.filter
def status_tone(order) -> str:
    """The badge tone of the order's status: `{{ order|status_tone }}`."""
    return policy.badge(order)


@register.filter
def payment_tone(payment) -> str:
    """The badge tone of a payment's status: `{{ payment|payment_tone }}`."""
    return policy.payment_badge(payment)
