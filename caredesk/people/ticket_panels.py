"""The escalation contacts on the ticket page (seed 000: whom a CSR escalates an issue to)."""

from caredesk.people.selectors import escalation_contacts


def panels(request, ticket) -> list[dict]:
    """The ticket page is gated by the inbox already: whoever may open it reads the contacts."""
    contacts = escalation_contacts()
    if not contacts:
        return []
    return [{"template": "people/_panel_escalation.html", "contacts": contacts}]
