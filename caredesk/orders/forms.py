"""Order forms. They only shape input; the services hold the rules (errors come back through
`caredesk.lib.forms.apply_domain_error`). Every write form carries the version it read."""

from django import forms

from caredesk.orders import machine
from caredesk.orders.models import PaymentMethod, Status
from caredesk.orders.services import AMENDMENT_OPS


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AmendForm(VersionedForm):
    op = forms.ChoiceField(label="Change", choices=list(AMENDMENT_OPS.items()))
    line = forms.TypedChoiceField(label="Line", coerce=int, required=False, empty_value=None)
    quantity = forms.IntegerField(label="Quantity", required=False)
    sku = forms.CharField(label="SKU", required=False, max_length=40)
    requested_delivery_on = forms.DateField(
        label="Requested delivery", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    scheduled_delivery_on = forms.DateField(
        label="Scheduled delivery", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label="Reason", required=False, max_length=300)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [("", "—")] + [
            (ln.pk, f"{ln.position}. {ln.sku} x {ln.quantity}") for ln in lines
        ]
        self.fields["sku"].widget.attrs["list"] = "catalog-skus"


class PaymentForm(VersionedForm):
    method = forms.ChoiceField(choices=PaymentMethod.choices)
    amount = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    card_last4 = forms.CharField(label="Card last 4", max_length=4, required=False)
    reference = forms.CharField(max_length=100, required=False)


class MoveForm(VersionedForm):
    to = forms.ChoiceField(choices=Status.choices)
    reason_code = forms.ChoiceField(
        label="Cancel reason",
        required=False,
        choices=[("", "—"), *machine.CANCEL_REASONS.items()],
    )
    reason = forms.CharField(required=False, max_length=300)
    parts_to_return = forms.TypedChoiceField(
        label="Return the picked-up parts?",
        required=False,
        choices=[("", "—"), ("yes", "Yes, return them"), ("no", "No")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )


class ReasonForm(VersionedForm):
    reason = forms.CharField(max_length=300)


class AlertClearForm(VersionedForm):
    alert = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(max_length=300)


class ReverseForm(VersionedForm):
    payment = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=300)


class TransferForm(VersionedForm):
    to = forms.CharField(label="Agent (username)", max_length=150)


class CatalogForm(forms.Form):
    sku = forms.CharField(label="SKU", max_length=40)
    name = forms.CharField(max_length=200)
    price = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    active = forms.BooleanField(required=False, initial=True)


class WindowForm(forms.Form):
    zone = forms.ModelChoiceField(queryset=None, to_field_name="code", empty_label=None)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(label="From", widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label="To", widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(min_value=1, max_value=50, initial=4)

    def __init__(self, *args, **kwargs):
        from caredesk.branches.models import Zone

        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.select_related("branch").order_by("code")


class WindowCapacityForm(forms.Form):
    capacity = forms.IntegerField(min_value=1, max_value=50)
