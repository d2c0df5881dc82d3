from django import forms


class ErasureForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Reason (the customer's request)",
        help_text="For example: written request by email, 2 Dec. Do not repeat personal data here.",
        widget=forms.Textarea(attrs={"rows": 2, "aria-describedby": "reason-help"}),
    )
    confirm = forms.BooleanField(
        label="I understand this cannot be undone: the customer's personal data will be "
        "destroyed for good.",
        error_messages={"required": "Tick the box to confirm that you understand this is final."},
    )
