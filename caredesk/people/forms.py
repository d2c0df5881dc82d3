from django import forms
from django.contrib.auth import get_user_model

from caredesk.lib.display import parse_money
from caredesk.lib.errors import Invalid


class OvertimeForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(min_value=0.25, max_value=12, decimal_places=2, max_digits=4)
    reason = forms.CharField(max_length=500)


class DecisionForm(forms.Form):
    note = forms.CharField(max_length=500, required=False)


class ShiftCloseForm(forms.Form):
    clock_out_at = forms.DateTimeField(
        label="Left at", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    note = forms.CharField(max_length=500)


class VisitForm(forms.Form):
    note = forms.CharField(
        max_length=200, required=False, label="Visitor note", help_text="e.g. couple, sofa sets"
    )


class MoneyField(forms.CharField):
    """A typed amount ("25,000.50") parsed with the one money parser."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "maxlength": "20"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        try:
            return parse_money(value)
        except Invalid as exc:
            raise forms.ValidationError(exc.detail) from None


class PayslipForm(forms.Form):
    employee = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
        empty_label="Choose a staff member",
    )
    period_start = forms.ChoiceField(label="Pay period")
    gross = MoneyField()
    deductions = MoneyField(required=False, initial="0.00")
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_start"].choices = [(p.key, p.label) for p in periods]
        self.fields["employee"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.username})"
        )


class ReferralForm(forms.Form):
    label = forms.CharField(max_length=120, help_text="Where the link is shared.")
    code = forms.CharField(
        max_length=24, required=False, help_text="Leave empty for a generated code."
    )


class EscalationForm(forms.Form):
    issue = forms.CharField(max_length=120)
    contact = forms.CharField(max_length=200, label="Team or person")
    person = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        to_field_name="username",
        label="Staff member (optional)",
        empty_label="No one in particular",
    )
    position = forms.IntegerField(
        min_value=0, max_value=999, initial=0, required=False, help_text="Lower shows first."
    )

    def clean_position(self):
        return self.cleaned_data.get("position") or 0
