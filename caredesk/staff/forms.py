from django import forms

from caredesk.staff.capabilities import ROLE_LABELS


class LoginForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class StaffCreateForm(forms.Form):
    username = forms.CharField(max_length=150)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput, help_text="At least 10 characters.")
    roles = forms.MultipleChoiceField(
        choices=list(ROLE_LABELS.items()), widget=forms.CheckboxSelectMultiple
    )


class StaffEditForm(forms.Form):
    roles = forms.MultipleChoiceField(
        choices=list(ROLE_LABELS.items()), widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(required=False, label="May sign in")
