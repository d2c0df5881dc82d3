"""Access rules of the delivery pages and API operations (merged into the access matrix)."""

HTML_ACCESS: dict[str, str] = {}

API_ACCESS: dict[str, str] = {
    "caredesk_delivery_api_run_create": "create_run",
    "caredesk_delivery_api_runs": "view_delivery",
    "caredesk_delivery_api_run_get": "view_delivery",
    "caredesk_delivery_api_stop_add": "amend_order",
    "caredesk_delivery_api_stop_remove": "amend_order",
    "caredesk_delivery_api_run_sequence": "amend_order",
    "caredesk_delivery_api_route_suggestion": "amend_order",
    "caredesk_delivery_api_run_dispatch": "create_run",
    "caredesk_delivery_api_run_complete": "create_run",
    "caredesk_delivery_api_stop_event": "view_delivery",
    "caredesk_delivery_api_schedule_exceptions": "view_delivery",
}

SAMPLE_KWARGS: dict[str, object] = {
    "run_id": lambda: 999999,
    "stop_id": lambda: 999999,
}

HTML_ACCESS.update(
    {
        "delivery:schedule": "view_delivery",
        "delivery:run_new": "create_run",
        "delivery:run": "view_delivery",
        "delivery:run_suggest": "amend_order",
        "delivery:run_sequence": "amend_order",
        "delivery:stop_add": "amend_order",
        "delivery:order_add": "amend_order",
        "delivery:run_status": "create_run",
        "delivery:stop_remove": "amend_order",
        "delivery:stop_event": "view_delivery",
        "delivery:map": "view_delivery",
        "delivery:exceptions": "view_delivery",
        "delivery:set_date": "amend_order",
        "delivery:my_runs": "view_delivery",
        "delivery:route_sheet": "view_delivery",
        "delivery:route_sheet_pdf": "view_delivery",
    }
)
