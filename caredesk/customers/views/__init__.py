"""Customer pages: the account pages (`accounts`: snapshot, create/edit, account actions,
view-as, blocklist, password reset) and the pages of the rows of a customer record (`rows`:
emails and phones, addresses, cards, parts, blocked members)."""

from caredesk.lib.pages import or_404


def customer_or_404(member_id: str):
    """The customer of a page's member ID, or the page's 404."""
    from caredesk.customers.services import customer_get

    return or_404(customer_get, member_id, missing="No such customer.")
