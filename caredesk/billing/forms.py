"""Forms of the money pages, and the one parser of the payment manager's filters (used by the
page, the API and the CSV export alike)."""

from datetime import date, timedelta

from django import forms

from caredesk.billing.selectors import KINDS, MAX_RANGE_DAYS, STATUSES, MoneyFilter, default_range
from caredesk.lib.errors import Invalid
from caredesk.orders.models import PaymentMethod


def _day(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise Invalid("Give a date like 2026-12-15.", field=field) from None


def filter_parse(data) -> MoneyFilter:
    """A MoneyFilter from query parameters (`from`, `to`, `method`, `status`, `kind`,
    `branch`, `agent`); Invalid naming the field for anything it cannot take."""
    start, end = default_range()
    date_from = _day(data.get("from"), "from")
    date_to = _day(data.get("to"), "to")
    if date_from and not date_to:
        date_to = min(date_from + timedelta(days=6), end) if date_from <= end else date_from
    if date_to and not date_from:
        date_from = date_to - timedelta(days=6)
    date_from, date_to = date_from or start, date_to or end
    if date_to < date_from:
        raise Invalid("The end date is before the start date.", field="to")
    if (date_to - date_from).days >= MAX_RANGE_DAYS:
        raise Invalid(f"Choose at most {MAX_RANGE_DAYS} days.", field="from")
    method = (data.get("method") or "").strip()
    if method and method not in PaymentMethod.values:
        raise Invalid(f"Method is one of {', '.join(PaymentMethod.values)}.", field="method")
    status = (data.get("status") or "").strip()
    if status and status not in STATUSES:
        raise Invalid(f"Status is one of {', '.join(STATUSES)}.", field="status")
    kind = (data.get("kind") or "").strip()
    if kind and kind not in KINDS:
        raise Invalid("Kind is payment or refund.", field="kind")
    return MoneyFilter(
        date_from=date_from,
        date_to=date_to,
        method=method,
        status=status,
        kind=kind,
        branch=(data.get("branch") or "").strip().upper()[:5],
        agent=(data.get("agent") or "").strip()[:150],
    )


class RefundForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.CharField(label="Amount", max_length=20)
    method = forms.ChoiceField(label="Method", choices=PaymentMethod.choices)
    reference = forms.CharField(label="Reference", max_length=100, required=False)
    reason = forms.CharField(label="Reason", max_length=300)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)


class ReverseRefundForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=300)


class InvoiceEmailForm(forms.Form):
    to = forms.CharField(
        label="Also send to", max_length=500, required=False, help_text="Comma-separated."
    )


QUOTE_ROWS = 5


class QuoteForm(forms.Form):
    customer = forms.CharField(label="Member ID", max_length=20)
    branch = forms.ModelChoiceField(
        label="Branch", queryset=None, to_field_name="code", empty_label=None
    )
    valid_until = forms.DateField(
        label="Valid until", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        from caredesk.branches.models import Branch

        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.filter(active=True)
        for i in range(1, QUOTE_ROWS + 1):
            self.fields[f"sku_{i}"] = forms.CharField(
                label=f"SKU {i}", max_length=40, required=i == 1
            )
            self.fields[f"sku_{i}"].widget.attrs["list"] = "catalog-skus"
            self.fields[f"qty_{i}"] = forms.IntegerField(
                label=f"Quantity {i}", min_value=1, max_value=9999, required=False, initial=1
            )

    def rows(self):
        return [(self[f"sku_{i}"], self[f"qty_{i}"]) for i in range(1, QUOTE_ROWS + 1)]

    def lines(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"sku": data[f"sku_{i}"], "quantity": data.get(f"qty_{i}") or 1}
            for i in range(1, QUOTE_ROWS + 1)
            if data.get(f"sku_{i}")
        ]


class ReturnForm(forms.Form):
    """Start a return: how many units of each delivered line come back (0 = none), why, and
    whether the same goods are shipped again. One quantity field per returnable line."""

    reason = forms.CharField(label="Why do the goods come back?", max_length=300)
    replacement = forms.BooleanField(label="Ship a replacement once approved", required=False)

    def __init__(self, *args, returnable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.returnable = list(returnable)
        for row in self.returnable:
            field = forms.IntegerField(
                label=f"{row.line.name} ({row.line.sku})",
                min_value=0,
                max_value=max(row.left, 0),
                initial=0,
                required=False,
                disabled=row.left == 0,
            )
            field.widget.attrs["inputmode"] = "numeric"
            self.fields[f"qty_{row.line.pk}"] = field

    def rows(self):
        return [(row, self[f"qty_{row.line.pk}"]) for row in self.returnable]

    def lines(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"line": row.line.pk, "quantity": data.get(f"qty_{row.line.pk}")}
            for row in self.returnable
            if data.get(f"qty_{row.line.pk}")
        ]


class ReturnMoveForm(forms.Form):
    """One move of a return from its page; `method`/`reference` only for finance's refund."""

    to = forms.CharField(max_length=12)
    version = forms.IntegerField(min_value=1, max_value=2_000_000_000)
    reason = forms.CharField(label="Reason", max_length=300, required=False)
    method = forms.ChoiceField(
        label="Method", choices=[("", "—"), *PaymentMethod.choices], required=False
    )
    reference = forms.CharField(label="Reference", max_length=100, required=False)
