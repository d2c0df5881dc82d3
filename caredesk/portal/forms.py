"""Public forms. `website` is the honeypot: hidden from people, filled by robots."""

from django import forms

from caredesk.inbox.models import Position


class _Guarded(forms.Form):
    website = forms.CharField(required=False, label="Leave this field empty")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(PhotosField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ComplaintForm(_Guarded):
    name = forms.CharField(max_length=150, label="Your name")
    email = forms.CharField(max_length=254, required=False, label="Email")
    phone = forms.CharField(
        max_length=40, required=False, label="Mobile number", help_text="e.g. 0917 123 4567"
    )
    order = forms.CharField(max_length=20, required=False, label="Order number (optional)")
    message = forms.CharField(
        max_length=20000, widget=forms.Textarea(attrs={"rows": 6}), label="What happened?"
    )
    photos = PhotosField(required=False, label="Photos (optional, up to 5)")


class CareerForm(_Guarded):
    position = forms.ModelChoiceField(
        queryset=Position.objects.filter(active=True), empty_label="Choose a position"
    )
    name = forms.CharField(max_length=150, label="Your name")
    email = forms.CharField(max_length=254, required=False, label="Email")
    phone = forms.CharField(max_length=40, required=False, label="Mobile number")
    cv = forms.FileField(
        label="CV (PDF or Word)", widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"})
    )
    message = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Anything to add (optional)",
    )


class ServiceForm(_Guarded):
    message = forms.CharField(
        max_length=20000, widget=forms.Textarea(attrs={"rows": 5}), label="What is wrong?"
    )
    photos = PhotosField(required=False, label="Photos (optional, up to 5)")


class PhoneForm(forms.Form):
    phone = forms.CharField(
        max_length=40, label="Mobile number on your order", help_text="e.g. 0917 123 4567"
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=12,
        label="6-digit code",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ReplyFilesField(PhotosField):
    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"})


class GuestReplyForm(forms.Form):
    body = forms.CharField(
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Your reply",
    )
    files = ReplyFilesField(required=False, label="Photos or PDF (optional, up to 5)")

    def __init__(self, *args, upload_limit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if upload_limit:
            self.fields["files"].help_text = f"JPEG, PNG, WebP or PDF, at most {upload_limit} each"
