from collections.abc import Callable
from typing import TypeVar

from django import forms

from caredesk.lib.errors import DomainError

T = TypeVar("T")


def apply_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a refused service call on the form: on its field when the error names one that
    the form has, otherwise as a form-wide error."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.detail)


def form_submit(form: forms.Form, action: Callable[[dict], T]) -> T | None:
    """`action(form.cleaned_data)`, the service call a posted form asks for, when the form is
    valid. None when it is not or when the service refused; the refusal is then on the form
    (`apply_domain_error`). For services that always answer with the record they wrote."""
    return form_outcome(form, action)[0]


def form_outcome(form: forms.Form, action: Callable[[dict], T]) -> tuple[T | None, int]:
    """`form_submit` with the page's status: (the answer, 200) when it went through, else
    (None, 400) for an invalid form or (None, the refusal's own status)."""
    if not form.is_valid():
        return None, 400
    try:
        return action(form.cleaned_data), 200
    except DomainError as exc:
        apply_domain_error(form, exc)
        return None, exc.status
