"""Customer endpoints (SPEC §11): open, read (snapshot), edit, close/reopen, password reset,
FRAUD-STOP, and the blocklist. Each endpoint parses, calls the service and shapes the answer."""

import json
from datetime import date

from django.http import HttpResponse
from ninja import Field, Query, Schema, Status

from caredesk.customers import policy, selectors, services
from caredesk.customers.models import BlockedValue, Customer
from caredesk.customers.schemas import AddressIn, CardIn
from caredesk.customers.values import phone_local
from caredesk.lib.endpoints import ApiRouter
from caredesk.lib.errors import Invalid
from caredesk.lib.http import if_match_version
from caredesk.lib.policy import actions_out
from caredesk.lib.schemas import MAX_PAGE, Code, ShortText, StrictIn, Text, patch_of

router = ApiRouter(tags=["customers"])
BLOCKLIST_PAGE = 50


class CustomerIn(StrictIn):
    account_type: Code = "individual"
    first_name: ShortText = ""
    last_name: ShortText = ""
    nickname: ShortText = ""
    company: ShortText = ""
    contact_name: ShortText = ""
    email: ShortText = ""
    phone: ShortText = ""
    group: ShortText = ""
    locale: Code = "en"
    plan: Code = "none"
    marketing_email: bool = False
    marketing_sms: bool = False
    share_with_partners: bool = False
    call_forwarding_to: ShortText = ""
    address: AddressIn | None = None
    addresses: list[AddressIn] = Field([], max_length=20)
    cards: list[CardIn] = Field([], max_length=20)
    # A referral link's code: the new customer is credited to it (400 when no such link).
    referral: Code = ""


CustomerPatch = patch_of(
    CustomerIn,
    name="CustomerPatch",
    leave_out=("addresses", "cards", "referral"),
    extra={"plan_renews_on": date | None},
)


class CustomerReasonIn(StrictIn):
    reason: Text


class BlockIn(StrictIn):
    kind: Code
    value: ShortText
    reason: Text = ""


class BlocklistFilter(Schema):
    kind: str | None = None
    active: bool | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)


def _event_json(event) -> dict:
    return {
        "at": event.at,
        "action": event.action,
        "actor": event.actor_label,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "data": event.data,
    }


def customer_json(customer: Customer, *, full: bool = True, actor=None) -> dict:
    """The customer as the API shows it; `full` adds the snapshot sections, `actor` what that
    actor may do to the account now (`actions`, from `customers.policy`)."""
    out = {
        "member_id": customer.member_id,
        "account_type": customer.account_type,
        "status": customer.status,
        "closed_reason": customer.closed_reason,
        "fraud_hold": customer.fraud_hold,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "nickname": customer.nickname,
        "company": customer.company,
        "contact_name": customer.contact_name,
        "display_name": customer.display_name,
        "email": customer.email,
        "phone": customer.phone,
        "phone_local": phone_local(customer.phone),
        "group": customer.group.name if customer.group_id else "",
        "locale": customer.locale,
        "plan": customer.plan,
        "plan_renews_on": customer.plan_renews_on,
        "privacy": {
            "marketing_email": customer.marketing_email,
            "marketing_sms": customer.marketing_sms,
            "share_with_partners": customer.share_with_partners,
        },
        "call_forwarding_to": customer.call_forwarding_to,
        "contacts": [
            {
                "id": c.pk,
                "kind": c.kind,
                "value": c.value,
                "value_local": phone_local(c.value) if c.kind == "phone" else c.value,
                "label": c.label,
            }
            for c in customer.contacts.all()
        ],
        "version": customer.version,
        "created_at": customer.created_at,
        "updated_at": customer.updated_at,
        "addresses": [
            {"id": a.pk, **services.address_values(a), "is_default": a.is_default}
            for a in customer.addresses.all()
        ],
        "cards": [
            {
                "id": c.pk,
                "brand": c.brand,
                "last4": c.last4,
                "exp_month": c.exp_month,
                "exp_year": c.exp_year,
                "holder_last_name": c.holder_last_name,
            }
            for c in customer.cards.all()
        ],
    }
    if actor is not None:
        out["actions"] = actions_out(policy.actions(actor, customer))
    if not full:
        return out
    out.update(
        parts=[
            {
                "id": p.pk,
                "part_type": p.part_type,
                "serial": p.serial,
                "status": p.status,
                "wear_level": p.wear_level,
                "last_service_on": p.last_service_on,
            }
            for p in customer.parts.all()
        ],
        blocked_members=[b.blocked.member_id for b in customer.blocks.all()],
        logins=[{"device": x.device, "ip": x.ip, "at": x.at} for x in customer.recent_logins],
        related=[
            {"member_id": r.member_id, "name": r.display_name, "status": r.status}
            for r in selectors.related_accounts(customer)
        ],
        blocked_values=[
            {"id": b.pk, "kind": b.kind, "value": b.display_value}
            for b in selectors.customer_blocked_values(customer)
        ],
        account_history=[
            _event_json(e) for e in selectors.account_history(customer)[: selectors.HISTORY_SHOWN]
        ],
        audit_history=[
            _event_json(e) for e in selectors.audit_history(customer)[: selectors.HISTORY_SHOWN]
        ],
        safety_history=[
            _event_json(e) for e in selectors.safety_history(customer)[: selectors.HISTORY_SHOWN]
        ],
    )
    return out


def customer_answer(request, member_id: str, response: HttpResponse, **extra) -> dict:
    """The customer as `GET /customers/{member_id}` answers it (plus `extra`), its version in
    `ETag`."""
    customer = selectors.customer_snapshot(member_id)
    response["ETag"] = str(customer.version)
    return {**customer_json(customer, actor=request.user), **extra}


def customer_act(
    request,
    member_id: str,
    response: HttpResponse,
    action,
    /,
    *,
    required: bool = False,
    added: bool = False,
    **arguments,
):
    """Run the customer service `action` on the customer under the request's `If-Match`
    version (`required`: 428 without one) and answer with the customer. `added`: 201 with the
    new row's `created_id`."""
    customer = services.customer_get(member_id)
    row = action(
        actor=request.user,
        customer=customer,
        expected_version=if_match_version(request, required=required),
        **arguments,
    )
    if not added:
        return customer_answer(request, member_id, response)
    return Status(201, customer_answer(request, member_id, response, created_id=row.pk))


def _blocked_json(entry: BlockedValue) -> dict:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "value": entry.display_value,
        "reason": entry.reason,
        "active": entry.is_active,
        "created_by": entry.created_by.get_username() if entry.created_by_id else None,
        "created_at": entry.created_at,
        "removed_by": entry.removed_by.get_username() if entry.removed_by_id else None,
        "removed_at": entry.removed_at,
        "removed_reason": entry.removed_reason,
    }


@router.create("/customers", dict, "create_customer", "Open a customer account")
def customer_create(request, payload: CustomerIn, response: HttpResponse):
    """Validates everything first (nothing stored on error); blocked values get 409 `blocked`."""
    from caredesk.people.referrals import link_for_code
    from caredesk.people.services import referral_attribute

    data = payload.model_dump()
    referral = data.pop("referral")
    if referral:
        link_for_code(referral)
    customer = services.customer_create(actor=request.user, data=data, ip=None)
    if referral:
        referral_attribute(actor=request.user, code=referral, customer=customer)
    return Status(201, customer_answer(request, customer.member_id, response))


@router.get("/customers/{member_id}", dict, "view_customer", "The member snapshot")
def customer_detail(request, member_id: str, response: HttpResponse):
    return customer_answer(request, member_id, response)


@router.patch(
    "/customers/{member_id}",
    dict,
    "edit_customer",
    "Edit the profile (If-Match: <version> guards against lost updates)",
)
def customer_patch(request, member_id: str, payload: CustomerPatch, response: HttpResponse):
    # An explicit null clears the renewal date; for every other field it means "no change"
    # (send "" to clear a text field).
    changes = {
        key: value
        for key, value in payload.model_dump(exclude_unset=True).items()
        if value is not None or key == "plan_renews_on"
    }
    return customer_act(request, member_id, response, services.customer_update, changes=changes)


@router.post(
    "/customers/{member_id}/close", dict, "close_customer", "Close the account with a reason"
)
def customer_close(request, member_id: str, payload: CustomerReasonIn, response: HttpResponse):
    action = services.customer_close
    return customer_act(request, member_id, response, action, reason=payload.reason)


@router.post(
    "/customers/{member_id}/reopen", dict, "close_customer", "Reopen a closed account with a reason"
)
def customer_reopen(request, member_id: str, payload: CustomerReasonIn, response: HttpResponse):
    action = services.customer_reopen
    return customer_act(request, member_id, response, action, reason=payload.reason)


@router.post(
    "/customers/{member_id}/password-reset",
    dict,
    "edit_customer",
    "Email the customer a link to set their password",
)
def customer_password_reset(request, member_id: str):
    customer = services.customer_get(member_id)
    services.customer_password_reset_send(
        actor=request.user, customer=customer, base_url=request.build_absolute_uri("/")
    )
    return {"detail": f"Password reset link sent to {customer.email}.", "sent_to": customer.email}


@router.post(
    "/customers/{member_id}/fraud-stop",
    dict,
    "fraud_stop",
    "FRAUD-STOP: block known IPs and cards, close the account",
)
def customer_fraud_stop(request, member_id: str, payload: CustomerReasonIn, response: HttpResponse):
    customer = services.customer_get(member_id)
    services.customer_fraud_stop(actor=request.user, customer=customer, reason=payload.reason)
    return customer_answer(request, member_id, response)


@router.get("/blocklist", dict, "view_blocklist", "The blocklist")
def blocklist(request, filters: Query[BlocklistFilter]):
    kind = (filters.kind or "").lower() or None
    if kind and kind not in BlockedValue.Kind.values:
        raise Invalid("kind must be one of: ip, card, email, phone.", field="kind")
    qs = selectors.blocklist_entries(kind=kind, active=filters.active)
    page = max(filters.page, 1)
    start = (page - 1) * BLOCKLIST_PAGE
    rows = list(qs[start : start + BLOCKLIST_PAGE + 1])
    return {
        "count": qs.count(),
        "page": page,
        "next": page + 1 if len(rows) > BLOCKLIST_PAGE else None,
        "results": [_blocked_json(e) for e in rows[:BLOCKLIST_PAGE]],
    }


@router.create("/blocklist", dict, "manage_blocklist", "Block an IP/range, card, email or phone")
def blocklist_add(request, payload: BlockIn):
    entry = services.blocklist_add(
        actor=request.user, kind=payload.kind, value=payload.value, reason=payload.reason
    )
    return Status(201, _blocked_json(entry))


@router.delete(
    "/blocklist/{entry_id}",
    dict,
    "manage_blocklist",
    "Remove a blocklist entry (reason in the query or the body)",
)
def blocklist_remove(request, entry_id: int, reason: str = ""):
    if not reason and request.body:
        try:
            body = json.loads(request.body)
        except ValueError:
            raise Invalid('Send JSON like {"reason": "..."}.') from None
        if isinstance(body, dict):
            reason = str(body.get("reason") or "")
    entry = services.blocklist_remove(
        actor=request.user, entry=selectors.blocklist_entry(entry_id), reason=reason
    )
    return _blocked_json(entry)


# Search (GET /customers and its criteria) lives in the search package.
from caredesk.customers.search.api import register as register_search  # noqa: E402

register_search(router)

# A customer's additional emails/phones and addresses.
from caredesk.customers.api_contacts import register as register_contacts  # noqa: E402

register_contacts(router)
