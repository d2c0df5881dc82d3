from django import forms

from caredesk.comms.models import ActivityCode, TemplateCode
from caredesk.comms.regarding import regarding_choices
from caredesk.comms.selectors import active_codes


class ComposeForm(forms.Form):
    include_customer_address = forms.BooleanField(required=False, initial=True)
    to = forms.CharField(
        required=False,
        label="To",
        help_text="Other addresses, separated by commas.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "name@example.com"}),
    )
    cc = forms.CharField(
        required=False, label="Cc", widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    regarding = forms.ChoiceField(required=False, label="Regarding")
    template_code = forms.ChoiceField(
        choices=TemplateCode.choices, initial=TemplateCode.FREE_TEXT, label="Template"
    )
    subject = forms.CharField(max_length=250, required=False)
    body_format = forms.ChoiceField(
        choices=[("text", "Plain text"), ("html", "Formatted")],
        initial="text",
        widget=forms.RadioSelect,
        label="Format",
    )
    body = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 14}), label="Message"
    )

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        items = regarding_choices(customer)
        self.fields["regarding"].choices = [("", "— nothing —")] + [
            (i.number, f"{i.kind.title()} {i.number}" + (f" · {i.label}" if i.label else ""))
            for i in items
        ]
        if customer.email:
            self.fields["include_customer_address"].label = f"Send to {customer.email}"
        else:
            del self.fields["include_customer_address"]


class TemplateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    subject = forms.CharField(max_length=250, required=False)
    text_body = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 14}), label="Text body"
    )
    html_body = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 14}), label="HTML body"
    )


class NoteForm(forms.Form):
    subject = forms.CharField(max_length=200, required=False)
    activity_code = forms.ChoiceField(label="Activity")
    result_code = forms.ChoiceField(label="Result")
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label="Note")
    order_number = forms.CharField(
        required=False,
        max_length=40,
        label="Regarding order",
        help_text="Optional: one of this customer's order numbers.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_code"].choices = [("", "—")] + [
            (c.code, c.label) for c in active_codes(ActivityCode.Kind.ACTIVITY)
        ]
        self.fields["result_code"].choices = [("", "—")] + [
            (c.code, c.label) for c in active_codes(ActivityCode.Kind.RESULT)
        ]


class CodeForm(forms.Form):
    kind = forms.ChoiceField(choices=ActivityCode.Kind.choices)
    code = forms.CharField(
        max_length=30, required=False, help_text="Lowercase letters, digits, underscores."
    )
    label = forms.CharField(max_length=80, required=False)
