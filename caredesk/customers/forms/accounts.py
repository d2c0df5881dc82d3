"""HTML forms for customers. They only collect input; every rule lives in the services, whose
errors come back onto these forms through `apply_domain_error` (field names are mapped by
`service_field`)."""

from django import forms

from caredesk.branches.models import Branch, Zone
from caredesk.customers.models import AccountType, Address, BlockedValue, Card, Locale, Plan


def _branch_choices():
    return [("", "—")] + [(b.code, f"{b.code} {b.name}") for b in Branch.objects.order_by("code")]


def _zone_choices():
    return [("", "—")] + [(z.code, f"{z.code} {z.name}") for z in Zone.objects.order_by("code")]


class ProfileFields(forms.Form):
    account_type = forms.ChoiceField(choices=AccountType.choices)
    first_name = forms.CharField(required=False, max_length=100)
    last_name = forms.CharField(required=False, max_length=100)
    nickname = forms.CharField(required=False, max_length=100)
    company = forms.CharField(
        label="Company / business name",
        required=False,
        max_length=200,
        help_text="Required for business, reseller and call shop accounts.",
    )
    contact_name = forms.CharField(label="Business contact", required=False, max_length=200)
    email = forms.CharField(required=False, max_length=254, widget=forms.EmailInput)
    phone = forms.CharField(
        required=False, max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    locale = forms.ChoiceField(label="Language", choices=Locale.choices)
    group = forms.CharField(
        label="Group (household, company, network)", required=False, max_length=150
    )


class AddressFields(forms.Form):
    address_line1 = forms.CharField(label="Street address", required=False, max_length=200)
    address_barangay = forms.CharField(label="Barangay", required=False, max_length=100)
    address_city = forms.CharField(label="City", required=False, max_length=100)
    address_branch = forms.ChoiceField(label="Branch", required=False)
    address_zone = forms.ChoiceField(label="Zone", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address_branch"].choices = _branch_choices()
        self.fields["address_zone"].choices = _zone_choices()

    def address_data(self) -> dict | None:
        data = {
            "line1": self.cleaned_data.get("address_line1", ""),
            "barangay": self.cleaned_data.get("address_barangay", ""),
            "city": self.cleaned_data.get("address_city", ""),
            "branch": self.cleaned_data.get("address_branch", ""),
            "zone": self.cleaned_data.get("address_zone", ""),
            "kind": Address.Kind.HOME,
        }
        return data if any(v for k, v in data.items() if k != "kind") else None


class CustomerCreateForm(ProfileFields, AddressFields):
    card_brand = forms.ChoiceField(
        label="Card brand", required=False, choices=[("", "—"), *Card.Brand.choices]
    )
    card_last4 = forms.CharField(
        label="Last 4 digits",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    card_exp_month = forms.CharField(label="Exp. month", required=False, max_length=10)
    card_exp_year = forms.CharField(label="Exp. year", required=False, max_length=10)
    card_holder_last_name = forms.CharField(
        label="Holder last name", required=False, max_length=100
    )

    def service_data(self) -> dict:
        cd = self.cleaned_data
        data = {k: cd.get(k, "") for k in ProfileFields.base_fields}
        if address := self.address_data():
            data["address"] = address
        card = {
            "brand": cd.get("card_brand", ""),
            "last4": cd.get("card_last4", ""),
            "exp_month": cd.get("card_exp_month", ""),
            "exp_year": cd.get("card_exp_year", ""),
            "holder_last_name": cd.get("card_holder_last_name", ""),
        }
        if any(card.values()):
            data["cards"] = [card]
        return data


class CustomerEditForm(ProfileFields, AddressFields):
    version = forms.IntegerField(widget=forms.HiddenInput)
    call_forwarding_to = forms.CharField(label="Forward calls to", required=False, max_length=30)
    plan = forms.ChoiceField(choices=Plan.choices)
    plan_renews_on = forms.DateField(
        label="Plan renews on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    marketing_email = forms.BooleanField(label="Marketing emails", required=False)
    marketing_sms = forms.BooleanField(label="Marketing SMS", required=False)
    share_with_partners = forms.BooleanField(label="Share with partners", required=False)

    CHANGEABLE = (
        *ProfileFields.base_fields,
        "call_forwarding_to",
        "plan",
        "plan_renews_on",
        "marketing_email",
        "marketing_sms",
        "share_with_partners",
    )

    def service_changes(self) -> dict:
        cd = self.cleaned_data
        changes = {k: cd.get(k) for k in self.CHANGEABLE}
        if address := self.address_data():
            changes["address"] = address
        return changes


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"required": True}))


class BlocklistAddForm(forms.Form):
    kind = forms.ChoiceField(choices=BlockedValue.Kind.choices)
    value = forms.CharField(
        max_length=254,
        help_text="IP or CIDR range, email, phone, or card as: visa 4242 03/2029 Dela Cruz",
    )
    reason = forms.CharField(required=False, max_length=500)


class BlocklistFilterForm(forms.Form):
    kind = forms.ChoiceField(
        required=False, choices=[("", "All kinds"), *BlockedValue.Kind.choices]
    )
    active = forms.ChoiceField(
        required=False,
        choices=[("yes", "Active"), ("no", "Removed"), ("", "All")],
    )


def service_field(field: str | None) -> str | None:
    """Map a service error's field (`address.line1`, `cards.0.last4`) to a form field."""
    if not field:
        return None
    if field.startswith("address.") or field.startswith("addresses."):
        return "address_" + field.rsplit(".", 1)[1]
    if field.startswith("cards."):
        return "card_" + field.rsplit(".", 1)[1]
    return field
