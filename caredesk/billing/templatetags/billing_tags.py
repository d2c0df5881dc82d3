"""Return figures for templates, read from `billing.policy` (templates never compare statuses)."""

from django import template

from caredesk.billing import policy

register = template.Library()


@register.filter
def return_tone(ret) -> str:
    """The badge tone of a return's status: `{{ ret|return_tone }}`."""
    return policy.return_badge(ret)
