"""Returns in the top bar's type-ahead: a return number (or its start, `MNL-RMA-00`) lists the
matching returns."""

from caredesk.billing import policy, selectors


def panels(request, q: str) -> list[dict]:
    if not policy.view_returns(request.user):
        return []
    returns = selectors.return_number_search(q)
    if not returns:
        return []
    return [{"template": "billing/_instant_returns.html", "returns": returns}]
