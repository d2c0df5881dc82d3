"""What each role may do: one table of capabilities and one of roles (SPEC §1).

Code checks capabilities (`user.has_perm("staff.<codename>")`), never role names. A role is a
Django group holding a set of these permissions; a user may hold several roles, and a single
capability (e.g. `record_payment` for a trusted CSR) may be granted to one user directly.
"""

CAPABILITIES: dict[str, str] = {
    # Workspace
    "view_dashboard": "Open the workspace dashboard",
    "use_api": "Use the JSON API with a token",
    # Customers
    "search_customers": "Search customers",
    "view_customer": "Open the member snapshot",
    "create_customer": "Open customer accounts",
    "edit_customer": "Edit customer profiles",
    "close_customer": "Close and reopen customer accounts",
    "view_as_customer": "View the account as the customer sees it",
    "fraud_stop": "Use FRAUD-STOP on a customer",
    "view_blocklist": "See the FRAUD-STOP blocklist",
    "manage_blocklist": "Add to and remove from the blocklist",
    # Orders
    "view_orders": "See orders",
    "create_order": "Create draft orders and use assisted checkout",
    "amend_order": "Amend open orders",
    "cancel_order": "Cancel orders that are not yet confirmed",
    "cancel_confirmed_order": "Cancel confirmed orders",
    "mark_delivered": "Mark orders delivered",
    "suspend_order": "Suspend and resume orders",
    "clear_alerts": "Clear system alerts on orders",
    "take_over_lock": "Take over another agent's edit lock",
    "manage_catalog": "Manage the product catalog",
    # Money
    "record_payment": "Record payments",
    "reverse_payment": "Reverse recorded payments",
    "issue_refund": "Issue refunds",
    "view_invoices": "See invoices",
    "correct_invoice": "Correct invoices",
    "view_payment_manager": "Open the payment manager",
    "view_commission_ledger": "Open the commission ledger",
    "view_partner_payouts": "Open partner payouts",
    # Communications
    "send_email": "Email customers",
    "manage_email_templates": "Edit email templates",
    "add_activity_note": "Add activity notes",
    "manage_activity_codes": "Manage activity and result codes",
    "view_outbox": "See the email outbox",
    # Delivery
    "view_delivery": "See runs and schedules",
    "create_run": "Create delivery runs",
    "record_delivery_event": "Record delivery events on own runs",
    "manage_pickup_windows": "Manage pickup windows",
    # Inboxes
    "work_inbox": "Work the complaints and service inboxes",
    "work_careers": "Work the careers inbox",
    # Staff workspace
    "view_presence": "See who is on the floor",
    "host_visitor": "Host showroom visitors",
    "attendance": "Clock in and out, request overtime",
    "approve_overtime": "Approve overtime",
    "view_own_payslips": "See own payslips",
    "manage_payslips": "Manage payslips",
    "view_referrals": "See referral links",
    "manage_referrals": "Manage referral links",
    # Administration
    "command_center": "Open the command center",
    "legacy_migration": "Run legacy migration",
    "view_audit_log": "Read the audit log",
    "manage_staff": "Manage staff accounts and roles",
    # Data safety
    "manage_backups": "See backups and their sizes",
    "export_customer_data": "Export a customer's personal data",
    "erase_customer": "Approve erasure of a customer's personal data",
}

_SELF_SERVICE = ["view_dashboard", "view_presence", "attendance", "view_own_payslips"]

_CSR = [
    *_SELF_SERVICE,
    "use_api",
    "search_customers",
    "view_customer",
    "create_customer",
    "edit_customer",
    "close_customer",
    "view_as_customer",
    "fraud_stop",
    "view_blocklist",
    "manage_blocklist",
    "view_orders",
    "create_order",
    "amend_order",
    "cancel_order",
    "suspend_order",
    "clear_alerts",
    "take_over_lock",
    "view_invoices",
    "send_email",
    "add_activity_note",
    "view_outbox",
    "view_delivery",
    "work_inbox",
    "host_visitor",
    "view_referrals",
]

ROLES: dict[str, list[str]] = {
    "csr": _CSR,
    "sales": [
        *_SELF_SERVICE,
        "use_api",
        "search_customers",
        "view_customer",
        "create_customer",
        "view_orders",
        "create_order",
        "send_email",
        "add_activity_note",
        "host_visitor",
        "view_referrals",
        "manage_referrals",
    ],
    "finance": [
        *_SELF_SERVICE,
        "use_api",
        "search_customers",
        "view_customer",
        "view_orders",
        "record_payment",
        "reverse_payment",
        "issue_refund",
        "view_invoices",
        "correct_invoice",
        "view_payment_manager",
        "view_commission_ledger",
        "view_partner_payouts",
        "view_blocklist",
        "send_email",
        "add_activity_note",
        "view_audit_log",
    ],
    "manager": [
        *_CSR,
        "work_careers",
        "cancel_confirmed_order",
        "mark_delivered",
        "manage_catalog",
        "create_run",
        "manage_pickup_windows",
        "approve_overtime",
        "command_center",
        "view_commission_ledger",
        "view_payment_manager",
        "manage_email_templates",
        "manage_activity_codes",
        "view_audit_log",
        "export_customer_data",
        "erase_customer",
    ],
    "installer": [*_SELF_SERVICE, "use_api", "view_delivery", "record_delivery_event"],
    "hr": [*_SELF_SERVICE, "use_api", "work_careers", "approve_overtime", "manage_payslips"],
    "admin": list(CAPABILITIES),
}

ROLE_LABELS = {
    "csr": "Customer service",
    "sales": "Sales",
    "finance": "Finance",
    "manager": "Store manager",
    "installer": "Installer",
    "hr": "HR",
    "admin": "Administrator",
}


def role_capabilities(role: str) -> set[str]:
    return set(ROLES[role])
