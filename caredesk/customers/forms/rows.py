"""Forms for a customer's additional emails/phones, addresses, cards and registered parts.
They only collect input; the services validate it (normalising, duplicates, blocklist,
branch/zone) and their errors come back onto these forms by field name (`apply_domain_error`)."""

import re

from django import forms

from caredesk.customers.forms.accounts import _branch_choices, _zone_choices
from caredesk.customers.models import Address, Card, ContactPoint, RegisteredPart
from caredesk.customers.values import CARD_FULL_NUMBER_MESSAGE, looks_like_card_number

LABEL_SUGGESTIONS = ("mobile 2", "work", "office", "home", "personal", "billing")


class VersionForm(forms.Form):
    """The customer's version as the agent read it: a stale save is refused, not applied."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This page is out of date; reload it and try again.",
            "invalid": "This page is out of date; reload it and try again.",
        },
    )


class ContactForm(VersionForm):
    kind = forms.ChoiceField(choices=ContactPoint.Kind.choices)
    value = forms.CharField(
        label="Email or phone",
        max_length=254,
        help_text="Phones in any format: 0917 123 4567, +63 917 123 4567.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    label = forms.CharField(
        required=False,
        max_length=40,
        help_text="Optional, e.g. work, office, mobile 2.",
        widget=forms.TextInput(attrs={"list": "contact-labels"}),
    )

    def __init__(self, *args, editing: str | None = None, **kwargs):
        """`editing`: the kind of the email/phone being changed (its kind does not change)."""
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]
            value = self.fields["value"]
            value.label = ContactPoint.Kind(editing).label
            if editing == ContactPoint.Kind.EMAIL:
                value.help_text = ""


class AddressForm(VersionForm):
    kind = forms.ChoiceField(choices=Address.Kind.choices)
    line1 = forms.CharField(label="Street address", required=False, max_length=200)
    line2 = forms.CharField(label="Unit, building", required=False, max_length=200)
    barangay = forms.CharField(required=False, max_length=100)
    city = forms.CharField(required=False, max_length=100)
    province = forms.CharField(required=False, max_length=100)
    postal_code = forms.CharField(required=False, max_length=10)
    branch = forms.ChoiceField(required=False)
    zone = forms.ChoiceField(required=False, help_text="Must be a zone of the branch.")
    latitude = forms.CharField(
        required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    longitude = forms.CharField(
        required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    is_default = forms.BooleanField(label="Make this the default address", required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].choices = _branch_choices()
        self.fields["zone"].choices = _zone_choices()
        if editing:
            del self.fields["is_default"]  # make-default is its own action

    def address_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class CardForm(VersionForm):
    """Brand, last 4, expiry and holder last name: never the card number."""

    brand = forms.ChoiceField(choices=Card.Brand.choices)
    # The service checks presence and shape (one message for form and API).
    last4 = forms.CharField(
        label="Last 4 digits",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}),
        help_text="Only the last 4 digits; a full card number is refused and never stored.",
    )
    exp_month = forms.CharField(
        label="Expiry month",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"size": 4}),
    )
    exp_year = forms.CharField(
        label="Expiry year",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"size": 6}),
    )
    holder_last_name = forms.CharField(label="Holder last name", required=False, max_length=100)

    CARD_FIELDS = ("last4", "exp_month", "exp_year", "holder_last_name")

    def __init__(self, data=None, *args, **kwargs):
        """A possible full card number in any field is dropped from the input here, so no
        error page can ever echo it back; the field says why it is empty."""
        self.card_number_fields: list[str] = []
        if data is not None:
            data = data.copy()
            for key in self.CARD_FIELDS:
                raw = str(data.get(key) or "")
                if looks_like_card_number(raw) or re.search(r"\d{5,}", re.sub(r"[\s-]", "", raw)):
                    data[key] = ""
                    self.card_number_fields.append(key)
        super().__init__(data, *args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        for key in self.card_number_fields:
            self.add_error(key, forms.ValidationError(CARD_FULL_NUMBER_MESSAGE, code="card_number"))
        return cleaned

    def card_data(self) -> dict:
        keys = ("brand", "last4", "exp_month", "exp_year", "holder_last_name")
        return {key: self.cleaned_data.get(key, "") for key in keys}


class PartForm(VersionForm):
    part_type = forms.CharField(label="Part type", max_length=100, help_text="e.g. Blade set")
    serial = forms.CharField(label="Serial number", max_length=60)
    wear_level = forms.IntegerField(label="Wear %", min_value=0, max_value=100, initial=0)
    last_service_on = forms.DateField(
        label="Last service", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        choices=[
            (s.value, s.label)
            for s in (RegisteredPart.Status.ACTIVE, RegisteredPart.Status.RETIRED)
        ],
        required=False,
    )

    def __init__(self, *args, editing: bool = False, in_service: bool = False, **kwargs):
        """`editing` an existing part offers its status; a part in service shows that as its
        current status (its order moves it on; the service refuses a change while an order
        holds it)."""
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["status"]
        elif in_service:
            status = RegisteredPart.Status.IN_SERVICE
            self.fields["status"].choices = [
                (status.value, status.label),
                *self.fields["status"].choices,
            ]

    def part_data(self) -> dict:
        keys = ("part_type", "serial", "wear_level", "last_service_on", "status")
        data = {k: self.cleaned_data.get(k) for k in keys if k in self.fields}
        if not data.get("status"):
            data.pop("status", None)
        return data
