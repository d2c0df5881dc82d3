from django import forms

from caredesk.lib.errors import DomainError


def apply_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a refused service call on the form: on its field when the error names one that
    the form has, otherwise as a form-wide error."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.detail)
