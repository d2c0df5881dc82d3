"""Pages for the parts of a customer record edited one row at a time (additional emails and
phones, addresses, cards, registered parts, blocked members): a compact form page to add or
change one, a confirmation page to remove one, and the POST buttons of the member snapshot
(make primary, make default, block, unblock). Views parse input and call the services;
refusals come back onto the form (or as a message on the snapshot), never as a server
error."""

from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caredesk.customers import policy, services
from caredesk.customers.forms.rows import (
    LABEL_SUGGESTIONS,
    AddressForm,
    CardForm,
    ContactForm,
    PartForm,
    VersionForm,
)
from caredesk.customers.ids import member_id_normalise
from caredesk.customers.models import Address, ContactPoint, Customer
from caredesk.customers.values import phone_local
from caredesk.customers.views import customer_or_404
from caredesk.lib.errors import DomainError, NotFound, StaleVersion
from caredesk.lib.forms import apply_domain_error
from caredesk.lib.permissions import capability_required

EDIT = "edit_customer"
# Each row's form page and the snapshot section it comes back to.
CONTACT_FORM = ("customers/contacts/contact_form.html", "contact")
ADDRESS_FORM = ("customers/contacts/address_form.html", "addresses")
CARD_FORM = ("customers/contacts/card_form.html", "cards")
PART_FORM = ("customers/contacts/part_form.html", "parts")


def _row_or_404(rows, row_id: int, what: str):
    """The customer's row `row_id` among `rows` (one of its related managers), else 404."""
    row = rows.filter(pk=row_id).first()
    if row is None:
        raise Http404(f"No such {what}.")
    return row


def _address_or_404(customer: Customer, address_id: int) -> Address:
    return _row_or_404(customer.addresses.select_related("branch", "zone"), address_id, "address")


def _edits_rows(*methods: str):
    """View decorator: `edit_customer` only, `methods` only; the view gets the customer (404
    for an unknown member ID) in place of the member ID."""

    def decorator(view):
        @capability_required(EDIT)
        @require_http_methods(list(methods))
        @wraps(view)
        def wrapper(request, member_id: str, **kwargs):
            return view(request, customer_or_404(member_id), **kwargs)

        return wrapper

    return decorator


def _to_snapshot(customer: Customer) -> HttpResponseRedirect:
    """Back to the snapshot's top, where the message shows next to the contact section."""
    return HttpResponseRedirect(reverse("customers:snapshot", args=[customer.member_id]))


def contact_text(contact: ContactPoint) -> str:
    value = phone_local(contact.value) if contact.kind == ContactPoint.Kind.PHONE else contact.value
    return f"{value} ({contact.label})" if contact.label else value


def _refused(request, form_class, form, exc: DomainError, customer: Customer, **form_kwargs):
    """The form again with the service's refusal. After a stale save the form carries the
    current version, so saving again applies what the agent typed over the newer values."""
    if isinstance(exc, StaleVersion):
        customer.refresh_from_db()
        data = request.POST.copy()
        data["version"] = str(customer.version)
        form = form_class(data, **form_kwargs)
        form.is_valid()
        form.add_error(None, f"{exc.detail} Saving again applies your input.")
        return form
    apply_domain_error(form, exc)
    return form


def _act(request, customer: Customer, action, form, **arguments):
    """The service `action` on `customer` as the request's user, under the form's version."""
    version = form.cleaned_data["version"]
    return action(actor=request.user, customer=customer, expected_version=version, **arguments)


def _row_form(request, customer: Customer, form_class, form_kwargs, action, arguments, done, page):
    """The add/change page of one row: GET shows the form; a valid POST runs the service
    `action` with `arguments(form)` under the form's version and goes back to the snapshot with
    `done(saved)`; a refusal comes back onto the form (a row removed meanwhile: as a message on
    the snapshot). `page(form, status)` renders the form."""
    form = form_class(request.POST or None, **form_kwargs)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = _act(request, customer, action, form, **arguments(form))
            except NotFound as exc:
                messages.error(request, exc.detail)
                return _to_snapshot(customer)
            except DomainError as exc:
                status = exc.status
                form = _refused(request, form_class, form, exc, customer, **form_kwargs)
            else:
                messages.success(request, done(saved))
                return _to_snapshot(customer)
    return page(form, status)


def _page(request, page: tuple[str, str], customer: Customer, **context):
    template, anchor = page

    def render_page(form, status):
        page_context = {"form": form, "customer": customer, "anchor": anchor, **context}
        return render(request, template, page_context, status=status)

    return render_page


def _remove_page(request, customer: Customer, action, *, what: str, thing: str, anchor: str, **row):
    """GET: ask. POST: remove through the service `action` (with `row`, the row's id)."""
    form = VersionForm(request.POST or None, initial={"version": customer.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                _act(request, customer, action, form, **row)
            except DomainError as exc:
                status = exc.status
                form = _refused(request, VersionForm, form, exc, customer)
            else:
                messages.success(request, f"Removed {thing}.")
                return _to_snapshot(customer)
    return render(
        request,
        "customers/contacts/remove.html",
        {"form": form, "customer": customer, "what": what, "thing": thing, "anchor": anchor},
        status=status,
    )


def _snapshot_button(request, customer: Customer, action, done: str, **arguments):
    """A POST button of the snapshot (make primary, make default, block, unblock): run the
    service `action` with `arguments` and say how it went on the snapshot."""
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Reload the page and try again.")
        return _to_snapshot(customer)
    try:
        _act(request, customer, action, form, **arguments)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, done)
    return _to_snapshot(customer)


# --- Emails and phones -------------------------------------------------------------------------


def _contact_page(request, customer: Customer, contact: ContactPoint | None):
    return _page(request, CONTACT_FORM, customer, contact=contact, labels=LABEL_SUGGESTIONS)


@_edits_rows("GET", "POST")
def contact_add(request, customer: Customer):
    kind = request.GET.get("kind")
    initial = {
        "version": customer.version,
        "kind": kind if kind in ContactPoint.Kind.values else ContactPoint.Kind.PHONE,
    }
    return _row_form(
        request,
        customer,
        ContactForm,
        {"initial": initial},
        services.contact_add,
        lambda form: {k: form.cleaned_data[k] for k in ("kind", "value", "label")},
        lambda contact: f"Added {contact_text(contact)}.",
        _contact_page(request, customer, None),
    )


@_edits_rows("GET", "POST")
def contact_edit(request, customer: Customer, contact_id: int):
    contact = _row_or_404(customer.contacts, contact_id, "email or phone")
    value = phone_local(contact.value) if contact.kind == ContactPoint.Kind.PHONE else contact.value
    initial = {"version": customer.version, "value": value, "label": contact.label}

    def arguments(form):
        cd = form.cleaned_data
        return {"contact_id": contact.pk, "value": cd["value"], "label": cd["label"]}

    return _row_form(
        request,
        customer,
        ContactForm,
        {"initial": initial, "editing": contact.kind},
        services.contact_change,
        arguments,
        lambda changed: f"Saved {contact_text(changed)}.",
        _contact_page(request, customer, contact),
    )


@_edits_rows("GET", "POST")
def contact_remove(request, customer: Customer, contact_id: int):
    contact = _row_or_404(customer.contacts, contact_id, "email or phone")
    what, thing = contact.get_kind_display().lower(), contact_text(contact)
    action = services.contact_remove
    return _remove_page(
        request, customer, action, what=what, thing=thing, anchor="contact", contact_id=contact.pk
    )


@_edits_rows("POST")
def contact_make_primary(request, customer: Customer, contact_id: int):
    contact = _row_or_404(customer.contacts, contact_id, "email or phone")
    what = contact.get_kind_display().lower()
    done = f"{contact_text(contact)} is now the primary {what}."
    action = services.contact_make_primary
    return _snapshot_button(request, customer, action, done, contact_id=contact.pk)


# --- Addresses ---------------------------------------------------------------------------------


def _address_initial(customer: Customer, address: Address) -> dict:
    values = services.address_values(address)
    for key in ("latitude", "longitude"):  # no position: an empty field
        if values[key] is None:
            values[key] = ""
    return {"version": customer.version, **values}


@_edits_rows("GET", "POST")
def address_add(request, customer: Customer):
    initial = {
        "version": customer.version,
        "kind": Address.Kind.HOME,
        "branch": customer.branch.code if customer.branch_id else "",
    }
    return _row_form(
        request,
        customer,
        AddressForm,
        {"initial": initial},
        services.address_add,
        lambda form: {"data": form.address_data()},
        lambda _: "Address added.",
        _page(request, ADDRESS_FORM, customer, address=None),
    )


@_edits_rows("GET", "POST")
def address_edit(request, customer: Customer, address_id: int):
    address = _address_or_404(customer, address_id)
    return _row_form(
        request,
        customer,
        AddressForm,
        {"initial": _address_initial(customer, address), "editing": True},
        services.address_change,
        lambda form: {"address_id": address.pk, "changes": form.address_data()},
        lambda _: "Address saved.",
        _page(request, ADDRESS_FORM, customer, address=address),
    )


@_edits_rows("GET", "POST")
def address_remove(request, customer: Customer, address_id: int):
    address = _address_or_404(customer, address_id)
    action = services.address_remove
    return _remove_page(
        request,
        customer,
        action,
        what="address",
        thing=str(address),
        anchor="addresses",
        address_id=address.pk,
    )


@_edits_rows("POST")
def address_make_default(request, customer: Customer, address_id: int):
    address = _address_or_404(customer, address_id)
    done = f"{address} is now the default address."
    action = services.address_make_default
    return _snapshot_button(request, customer, action, done, address_id=address.pk)


# --- Cards -------------------------------------------------------------------------------------


def _card_add(**arguments):
    """`services.card_add`, its refusals naming the form's fields: the service names card
    fields `card.last4`; the form calls them `last4`."""
    try:
        return services.card_add(**arguments)
    except DomainError as exc:
        if exc.field and exc.field.startswith("card."):
            exc.field = exc.field.split(".", 1)[1]
        raise exc from None


@_edits_rows("GET", "POST")
def card_add(request, customer: Customer):
    initial = {"version": customer.version, "holder_last_name": customer.last_name}
    return _row_form(
        request,
        customer,
        CardForm,
        {"initial": initial},
        _card_add,
        lambda form: {"data": form.card_data()},
        lambda card: f"Card •••• {card.last4} added.",
        _page(request, CARD_FORM, customer),
    )


@_edits_rows("GET", "POST")
def card_remove(request, customer: Customer, card_id: int):
    card = _row_or_404(customer.cards, card_id, "card")
    action = services.card_remove
    return _remove_page(
        request, customer, action, what="card", thing=str(card), anchor="cards", card_id=card.pk
    )


# --- Registered parts --------------------------------------------------------------------------


@_edits_rows("GET", "POST")
def part_add(request, customer: Customer):
    return _row_form(
        request,
        customer,
        PartForm,
        {"initial": {"version": customer.version, "wear_level": 0}},
        services.part_register,
        lambda form: {"data": form.part_data()},
        lambda part: f"Registered {part}.",
        _page(request, PART_FORM, customer, part=None),
    )


@_edits_rows("GET", "POST")
def part_edit(request, customer: Customer, part_id: int):
    part = _row_or_404(customer.parts, part_id, "part")
    initial = {
        "version": customer.version,
        "part_type": part.part_type,
        "serial": part.serial,
        "wear_level": part.wear_level,
        "last_service_on": part.last_service_on,
        "status": part.status,
    }
    follows_order = policy.part_follows_order(part)

    def arguments(form):
        changes = form.part_data()
        if changes.get("status") == part.status:
            del changes["status"]
        return {"part_id": part.pk, "changes": changes}

    return _row_form(
        request,
        customer,
        PartForm,
        {"initial": initial, "editing": True, "in_service": follows_order},
        services.part_change,
        arguments,
        lambda changed: f"Saved {changed}.",
        _page(request, PART_FORM, customer, part=part, follows_order=follows_order),
    )


# --- Blocked members ---------------------------------------------------------------------------


@_edits_rows("POST")
def member_block(request, customer: Customer):
    other = member_id_normalise(request.POST.get("member_id", ""))
    done = f"{other} is blocked for this customer."
    return _snapshot_button(request, customer, services.member_block, done, member_id=other)


@_edits_rows("POST")
def member_unblock(request, customer: Customer, blocked_id: str):
    done = f"{blocked_id.upper()} is no longer blocked."
    return _snapshot_button(request, customer, services.member_unblock, done, member_id=blocked_id)
