"""Access rules of the money pages and endpoints (merged into the access matrix)."""

HTML_ACCESS = {
    "billing:payments": "view_payment_manager",
    "billing:payments_csv": "view_payment_manager",
    "billing:record_report": "record_payment",
    "billing:invoice": "view_invoices",
    "billing:invoice_pdf": "view_invoices",
    "billing:invoice_email": "send_email",
    "billing:refund": "issue_refund",
    "billing:refund_reverse": "issue_refund",
    "billing:quote_new": "create_order",
    "billing:quote_pdf": "view_orders",
    "billing:quote": "view_orders",
    "billing:quote_convert": "create_order",
    "billing:quote_email": "send_email",
    "billing:returns": "view_orders",
    "billing:return": "view_orders",
    "billing:return_move": "view_orders",
    "billing:return_new": "amend_order",
}

API_ACCESS = {
    "caredesk_billing_api_order_invoices": "view_invoices",
    "caredesk_billing_api_invoice_get": "view_invoices",
    "caredesk_billing_api_refund_create": "issue_refund",
    "caredesk_billing_api_refund_reverse": "issue_refund",
    "caredesk_billing_api_payments": "view_payment_manager",
    "caredesk_billing_api_payments_csv": "view_payment_manager",
    "caredesk_billing_api_quote_create": "create_order",
    "caredesk_billing_api_quote_get": "view_orders",
    "caredesk_billing_api_quote_convert": "create_order",
    "caredesk_billing_api_return_create": "amend_order",
    "caredesk_billing_api_returns_list": "view_orders",
    "caredesk_billing_api_return_get": "view_orders",
    "caredesk_billing_api_return_transition": "view_orders",
}

SAMPLE_KWARGS = {
    "invoice": lambda: "MNL-INV-000001",
    "refund_id": lambda: 1,
    "quote": lambda: "MNL-Q-000001",
    "ret": lambda: "MNL-RMA-000001",
}
