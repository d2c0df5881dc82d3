"""Access rules of the privacy app's routes, merged into the project's access matrix."""


def _sample_export_id() -> int:
    from caredesk.customers.models import Customer
    from caredesk.privacy.models import CustomerExport

    customer, _ = Customer.objects.get_or_create(
        member_id="M0999997", defaults={"first_name": "Export", "last_name": "Sample"}
    )
    export, _ = CustomerExport.objects.get_or_create(customer=customer)
    return export.pk


HTML_ACCESS = {
    "privacy:backups": "manage_backups",
    "privacy:retention": "erase_customer",
    "privacy:customer": "export_customer_data",
    "privacy:export_create": "export_customer_data",
    "privacy:erase": "erase_customer",
}

API_ACCESS = {
    "caredesk_privacy_api_export_create": "export_customer_data",
    "caredesk_privacy_api_export_detail": "export_customer_data",
    "caredesk_privacy_api_export_file": "export_customer_data",
    "caredesk_privacy_api_customer_erasure": "erase_customer",
}

SAMPLE_KWARGS = {
    "export_id": _sample_export_id,
    "kind": lambda: "json",
}
