"""The workspace menu, built from what the signed-in user may open.

Each entry names a URL and the capability its view checks. An entry whose URL does not exist
(its module is not installed) is skipped, so the menu never offers a page that is not there.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.urls import NoReverseMatch, get_script_prefix, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str
    section: str


MENU: list[NavItem] = [
    NavItem("Dashboard", "workspace:dashboard", "view_dashboard", "Work"),
    NavItem("Customers", "customers:search", "search_customers", "Work"),
    NavItem("New customer", "customers:new", "create_customer", "Work"),
    NavItem("Orders", "orders:list", "view_orders", "Work"),
    NavItem("Pending orders", "orders:pending", "view_orders", "Work"),
    NavItem("Pickup windows", "orders:windows", "view_orders", "Work"),
    NavItem("New order", "orders:new", "create_order", "Work"),
    NavItem("Payment manager", "billing:payments", "view_payment_manager", "Money"),
    NavItem("Returns", "billing:returns", "view_orders", "Money"),
    NavItem("Inbox", "inbox:index", "work_inbox", "Inboxes"),
    NavItem("Careers", "inbox:careers", "work_careers", "Inboxes"),
    NavItem("My runs today", "delivery:my_runs", "record_delivery_event", "Delivery"),
    NavItem("Day schedule", "delivery:schedule", "view_delivery", "Delivery"),
    NavItem("Map schedule", "delivery:map", "view_delivery", "Delivery"),
    NavItem("Schedule exceptions", "delivery:exceptions", "view_delivery", "Delivery"),
    NavItem("Blocklist", "customers:blocklist", "view_blocklist", "Safety"),
    NavItem("Floor and showroom", "people:floor", "view_presence", "Staff workspace"),
    NavItem("Attendance", "people:attendance", "attendance", "Staff workspace"),
    NavItem("Team approvals", "people:team", "approve_overtime", "Staff workspace"),
    NavItem("Payslips", "people:payslips", "view_own_payslips", "Staff workspace"),
    NavItem("Referral links", "people:referrals", "view_referrals", "Staff workspace"),
    NavItem("Outbox", "comms:outbox", "view_outbox", "Communications"),
    NavItem("Email templates", "comms:templates", "manage_email_templates", "Communications"),
    NavItem("Activity codes", "comms:codes", "manage_activity_codes", "Communications"),
    NavItem("Catalog", "orders:catalog", "manage_catalog", "Administration"),
    NavItem("Staff", "staff:list", "manage_staff", "Administration"),
    NavItem("Branches", "branches:list", "manage_staff", "Administration"),
    NavItem("Escalation contacts", "people:escalations", "manage_staff", "Administration"),
    NavItem("Settings", "staff:settings", "manage_staff", "Administration"),
    NavItem("Inbox settings", "inbox:settings", "manage_staff", "Administration"),
    NavItem("Audit log", "audit:log", "view_audit_log", "Administration"),
    NavItem("Backups", "privacy:backups", "manage_backups", "Administration"),
    NavItem("Erasure review", "privacy:retention", "erase_customer", "Administration"),
    NavItem("API docs", "api-1.0.0:openapi-view", "use_api", "Administration"),
]


@lru_cache(maxsize=len(MENU) * 4)
def _url(url_name: str, script_prefix: str) -> str | None:
    """The entry's URL (None when its module is not installed). The URL patterns are fixed
    for the life of the process, so each is reversed once per script prefix."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def menu_for(user) -> list[dict]:
    """Sections with their links, only those the user may open and that exist."""
    if not user.is_authenticated:
        return []
    perms = user.get_all_permissions()
    sections: dict[str, list[dict]] = {}
    for item in MENU:
        if f"staff.{item.capability}" not in perms:
            continue
        url = _url(item.url_name, get_script_prefix())
        if url is None:
            continue
        sections.setdefault(item.section, []).append(
            {"label": item.label, "url": url, "name": item.url_name}
        )
    return [{"title": title, "items": items} for title, items in sections.items()]


def navigation(request) -> dict:
    """Template context processor: the menu, computed once per request when first used."""
    from django.utils.functional import SimpleLazyObject

    return {"nav_sections": SimpleLazyObject(lambda: menu_for(request.user))}
