"""Customer pages: the account pages (`accounts`: snapshot, create/edit, account actions,
view-as, blocklist, password reset) and the pages of the rows of a customer record (`rows`:
emails and phones, addresses, cards, parts, blocked members)."""
