"""Pages for the parts of a customer record edited one row at a time (additional emails and
phones, addresses, cards, registered parts, blocked members): a compact form page to add or
change one, a confirmation page to remove one, and the POST buttons of the member snapshot
(make primary, make default, block, unblock). Views parse input and call the services;
refusals come back onto the form (or as a message on the snapshot), never as a server
error."""

from functools import partial

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

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
from caredesk.lib.errors import DomainError, NotFound, StaleVersion
from caredesk.lib.forms import apply_domain_error
from caredesk.lib.permissions import capability_required

EDIT = "edit_customer"
CONTACT_FORM = "customers/contacts/contact_form.html"
ADDRESS_FORM = "customers/contacts/address_form.html"
PART_FORM = "customers/contacts/part_form.html"


def _customer_or_404(member_id: str) -> Customer:
    try:
        return services.customer_get(member_id)
    except NotFound:
        raise Http404("No such customer.") from None


def _contact_or_404(customer: Customer, contact_id: int) -> ContactPoint:
    contact = customer.contacts.filter(pk=contact_id).first()
    if contact is None:
        raise Http404("No such email or phone.")
    return contact


def _address_or_404(customer: Customer, address_id: int) -> Address:
    address = customer.addresses.select_related("branch", "zone").filter(pk=address_id).first()
    if address is None:
        raise Http404("No such address.")
    return address


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


def _row_form(request, customer: Customer, *, form_class, form_kwargs, save, done, page):
    """The add/change page of one row: GET shows the form; a valid POST runs `save(form)`
    (the service call) and goes back to the snapshot with `done(saved)`; a refusal comes back
    onto the form (a row removed meanwhile: as a message on the snapshot). `page(form, status)`
    renders the form."""
    form = form_class(request.POST or None, **form_kwargs)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = save(form)
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


def _page(request, template: str, customer: Customer, **context):
    def render_page(form, status):
        return render(
            request, template, {"form": form, "customer": customer, **context}, status=status
        )

    return render_page


def _remove_page(request, customer: Customer, *, what: str, thing: str, action, anchor: str):
    """GET: ask. POST: remove through `action(expected_version=...)`."""
    form = VersionForm(request.POST or None, initial={"version": customer.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                action(expected_version=form.cleaned_data["version"])
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


def _snapshot_button(request, customer: Customer, action, done: str):
    """A POST button of the snapshot (make primary, make default, block, unblock): run
    `action(customer=..., expected_version=...)` and say how it went on the snapshot."""
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Reload the page and try again.")
        return _to_snapshot(customer)
    try:
        action(customer=customer, expected_version=form.cleaned_data["version"])
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, done)
    return _to_snapshot(customer)


# --- Emails and phones -------------------------------------------------------------------------


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def contact_add(request, member_id: str):
    customer = _customer_or_404(member_id)
    kind = request.GET.get("kind")
    initial = {
        "version": customer.version,
        "kind": kind if kind in ContactPoint.Kind.values else ContactPoint.Kind.PHONE,
    }

    def save(form):
        cd = form.cleaned_data
        return services.contact_add(
            actor=request.user,
            customer=customer,
            kind=cd["kind"],
            value=cd["value"],
            label=cd["label"],
            expected_version=cd["version"],
        )

    return _row_form(
        request,
        customer,
        form_class=ContactForm,
        form_kwargs={"initial": initial},
        save=save,
        done=lambda contact: f"Added {contact_text(contact)}.",
        page=_page(request, CONTACT_FORM, customer, contact=None, labels=LABEL_SUGGESTIONS),
    )


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def contact_edit(request, member_id: str, contact_id: int):
    customer = _customer_or_404(member_id)
    contact = _contact_or_404(customer, contact_id)
    value = phone_local(contact.value) if contact.kind == ContactPoint.Kind.PHONE else contact.value
    initial = {"version": customer.version, "value": value, "label": contact.label}
    kwargs = {"initial": initial, "editing": contact.kind}

    def save(form):
        cd = form.cleaned_data
        return services.contact_change(
            actor=request.user,
            customer=customer,
            contact_id=contact.pk,
            value=cd["value"],
            label=cd["label"],
            expected_version=cd["version"],
        )

    return _row_form(
        request,
        customer,
        form_class=ContactForm,
        form_kwargs=kwargs,
        save=save,
        done=lambda changed: f"Saved {contact_text(changed)}.",
        page=_page(request, CONTACT_FORM, customer, contact=contact, labels=LABEL_SUGGESTIONS),
    )


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def contact_remove(request, member_id: str, contact_id: int):
    customer = _customer_or_404(member_id)
    contact = _contact_or_404(customer, contact_id)

    remove = partial(
        services.contact_remove, actor=request.user, customer=customer, contact_id=contact.pk
    )

    return _remove_page(
        request,
        customer,
        what=contact.get_kind_display().lower(),
        thing=contact_text(contact),
        action=remove,
        anchor="contact",
    )


@capability_required(EDIT)
@require_POST
def contact_make_primary(request, member_id: str, contact_id: int):
    customer = _customer_or_404(member_id)
    contact = _contact_or_404(customer, contact_id)

    make_primary = partial(services.contact_make_primary, actor=request.user, contact_id=contact.pk)

    what = contact.get_kind_display().lower()
    done = f"{contact_text(contact)} is now the primary {what}."
    return _snapshot_button(request, customer, make_primary, done)


# --- Addresses ---------------------------------------------------------------------------------


def _address_initial(customer: Customer, address: Address) -> dict:
    return {
        "version": customer.version,
        "kind": address.kind,
        "line1": address.line1,
        "line2": address.line2,
        "barangay": address.barangay,
        "city": address.city,
        "province": address.province,
        "postal_code": address.postal_code,
        "branch": address.branch.code if address.branch_id else "",
        "zone": address.zone.code if address.zone_id else "",
        "latitude": "" if address.latitude is None else address.latitude,
        "longitude": "" if address.longitude is None else address.longitude,
    }


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def address_add(request, member_id: str):
    customer = _customer_or_404(member_id)
    initial = {
        "version": customer.version,
        "kind": Address.Kind.HOME,
        "branch": customer.branch.code if customer.branch_id else "",
    }

    def save(form):
        return services.address_add(
            actor=request.user,
            customer=customer,
            data=form.address_data(),
            expected_version=form.cleaned_data["version"],
        )

    return _row_form(
        request,
        customer,
        form_class=AddressForm,
        form_kwargs={"initial": initial},
        save=save,
        done=lambda _: "Address added.",
        page=_page(request, ADDRESS_FORM, customer, address=None),
    )


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def address_edit(request, member_id: str, address_id: int):
    customer = _customer_or_404(member_id)
    address = _address_or_404(customer, address_id)
    kwargs = {"initial": _address_initial(customer, address), "editing": True}

    def save(form):
        return services.address_change(
            actor=request.user,
            customer=customer,
            address_id=address.pk,
            changes=form.address_data(),
            expected_version=form.cleaned_data["version"],
        )

    return _row_form(
        request,
        customer,
        form_class=AddressForm,
        form_kwargs=kwargs,
        save=save,
        done=lambda _: "Address saved.",
        page=_page(request, ADDRESS_FORM, customer, address=address),
    )


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def address_remove(request, member_id: str, address_id: int):
    customer = _customer_or_404(member_id)
    address = _address_or_404(customer, address_id)

    remove = partial(
        services.address_remove, actor=request.user, customer=customer, address_id=address.pk
    )

    return _remove_page(
        request,
        customer,
        what="address",
        thing=str(address),
        action=remove,
        anchor="addresses",
    )


@capability_required(EDIT)
@require_POST
def address_make_default(request, member_id: str, address_id: int):
    customer = _customer_or_404(member_id)
    address = _address_or_404(customer, address_id)

    make_default = partial(services.address_make_default, actor=request.user, address_id=address.pk)

    return _snapshot_button(
        request, customer, make_default, f"{address} is now the default address."
    )


# --- Cards -------------------------------------------------------------------------------------


def _card_form_field(exc: DomainError) -> DomainError:
    """The service names card fields `card.last4`; the form calls them `last4`."""
    if exc.field and exc.field.startswith("card."):
        exc.field = exc.field.split(".", 1)[1]
    return exc


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def card_add(request, member_id: str):
    customer = _customer_or_404(member_id)
    initial = {"version": customer.version, "holder_last_name": customer.last_name}

    def save(form):
        try:
            return services.card_add(
                actor=request.user,
                customer=customer,
                data=form.card_data(),
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            raise _card_form_field(exc) from None

    return _row_form(
        request,
        customer,
        form_class=CardForm,
        form_kwargs={"initial": initial},
        save=save,
        done=lambda card: f"Card •••• {card.last4} added.",
        page=_page(request, "customers/contacts/card_form.html", customer),
    )


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def card_remove(request, member_id: str, card_id: int):
    customer = _customer_or_404(member_id)
    card = customer.cards.filter(pk=card_id).first()
    if card is None:
        raise Http404("No such card.")

    remove = partial(services.card_remove, actor=request.user, customer=customer, card_id=card.pk)

    return _remove_page(
        request, customer, what="card", thing=str(card), action=remove, anchor="cards"
    )


# --- Registered parts --------------------------------------------------------------------------


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def part_add(request, member_id: str):
    customer = _customer_or_404(member_id)
    initial = {"version": customer.version, "wear_level": 0}

    def save(form):
        return services.part_register(
            actor=request.user,
            customer=customer,
            data=form.part_data(),
            expected_version=form.cleaned_data["version"],
        )

    return _row_form(
        request,
        customer,
        form_class=PartForm,
        form_kwargs={"initial": initial},
        save=save,
        done=lambda part: f"Registered {part}.",
        page=_page(request, PART_FORM, customer, part=None),
    )


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def part_edit(request, member_id: str, part_id: int):
    customer = _customer_or_404(member_id)
    part = customer.parts.filter(pk=part_id).first()
    if part is None:
        raise Http404("No such part.")
    initial = {
        "version": customer.version,
        "part_type": part.part_type,
        "serial": part.serial,
        "wear_level": part.wear_level,
        "last_service_on": part.last_service_on,
        "status": part.status,
    }
    kwargs = {
        "initial": initial,
        "editing": True,
        "in_service": policy.part_follows_order(part),
    }

    def save(form):
        changes = form.part_data()
        if changes.get("status") == part.status:
            del changes["status"]
        return services.part_change(
            actor=request.user,
            customer=customer,
            part_id=part.pk,
            changes=changes,
            expected_version=form.cleaned_data["version"],
        )

    return _row_form(
        request,
        customer,
        form_class=PartForm,
        form_kwargs=kwargs,
        save=save,
        done=lambda changed: f"Saved {changed}.",
        page=_page(
            request, PART_FORM, customer, part=part, follows_order=policy.part_follows_order(part)
        ),
    )


# --- Blocked members ---------------------------------------------------------------------------


@capability_required(EDIT)
@require_POST
def member_block(request, member_id: str):
    other = member_id_normalise(request.POST.get("member_id", ""))

    block = partial(services.member_block, actor=request.user, member_id=other)

    done = f"{other} is blocked for this customer."
    return _snapshot_button(request, _customer_or_404(member_id), block, done)


@capability_required(EDIT)
@require_POST
def member_unblock(request, member_id: str, blocked_id: str):
    unblock = partial(services.member_unblock, actor=request.user, member_id=blocked_id)

    done = f"{blocked_id.upper()} is no longer blocked."
    return _snapshot_button(request, _customer_or_404(member_id), unblock, done)
