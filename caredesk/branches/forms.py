from django import forms

from caredesk.branches.models import Branch
from caredesk.branches.services import PROFILE_FIELDS


class BranchForm(forms.ModelForm):
    class Meta:
        model = Branch
        fields = ["code", *PROFILE_FIELDS]
        help_texts = {
            "code": "2-5 capital letters; it prefixes order numbers and cannot change.",
            "business_hours": "As customers read it, e.g. Mon-Sat 9:00-18:00.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True

    def _post_clean(self):
        """The form only parses; the service validates (one message for page and API)."""


class ZoneForm(forms.Form):
    code = forms.CharField(max_length=12, help_text="e.g. MNL-N")
    name = forms.CharField(max_length=100)
