from django import forms

from caredesk.customers.models import AccountType

from .criteria import LABELS


class AdvancedSearchForm(forms.Form):
    """The advanced criteria as a form; the rules themselves live in criteria_clean."""

    first_name = forms.CharField(label=LABELS["first_name"], required=False)
    last_name = forms.CharField(label=LABELS["last_name"], required=False, help_text="Anders%")
    email = forms.CharField(label=LABELS["email"], required=False, help_text="any part")
    phone = forms.CharField(label=LABELS["phone"], required=False, help_text="any format")
    member_id = forms.CharField(
        label=LABELS["member_id"], required=False, help_text="M0001234 + related"
    )
    group = forms.CharField(label=LABELS["group"], required=False)
    company = forms.CharField(
        label=LABELS["company"], required=False, help_text="+ an account type"
    )
    address = forms.CharField(label=LABELS["address"], required=False, help_text="%street%")
    card_last4 = forms.CharField(
        label=LABELS["card_last4"], required=False, max_length=30, help_text="4 digits"
    )
    card_last_name = forms.CharField(
        label="Holder last name", required=False, help_text="case-sensitive"
    )
    account_types = forms.MultipleChoiceField(
        label="Account types",
        required=False,
        choices=AccountType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    exclude_closed = forms.BooleanField(label="Exclude closed accounts", required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[("name", "Name"), ("-activity", "Last activity")],
        widget=forms.HiddenInput,
    )
