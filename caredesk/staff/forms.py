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
    email = forms.EmailField(required=False, help_text="The set-password link goes here.")
    password = forms.CharField(
        widget=forms.PasswordInput,
        required=False,
        help_text="Leave empty to email the person a link to set their own (recommended).",
    )

    def clean_password(self):
        return self.cleaned_data.get("password") or None

    roles = forms.MultipleChoiceField(
        choices=list(ROLE_LABELS.items()), widget=forms.CheckboxSelectMultiple
    )


class StaffEditForm(forms.Form):
    roles = forms.MultipleChoiceField(
        choices=list(ROLE_LABELS.items()), widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(required=False, label="May sign in")
