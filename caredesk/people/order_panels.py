"""The escalation contacts on the order page (seed 000: whom a CSR escalates to)."""

from caredesk.lib.permissions import has_capability
from caredesk.people.selectors import escalation_contacts


def panels(request, order) -> list[dict]:
    if not has_capability(request.user, "view_orders"):
        return []
    contacts = escalation_contacts()
    if not contacts:
        return []
    return [{"template": "people/_panel_escalation.html", "contacts": contacts}]
