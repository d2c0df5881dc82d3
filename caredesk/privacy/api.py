"""Data-safety endpoints (SPEC §11 style): a customer's data export (queued, produced by the
worker, downloaded as JSON or PDF) and the erasure of a customer's personal data."""

from django.http import FileResponse
from django.urls import reverse
from ninja import Status

from caredesk.customers.services import customer_get
from caredesk.lib.endpoints import ApiRouter
from caredesk.lib.policy import actions_out
from caredesk.lib.schemas import ShortText, StrictIn
from caredesk.privacy import policy
from caredesk.privacy.models import CustomerExport
from caredesk.privacy.services import erasure, exports

ERRORS = (400, 403, 404, 409)
router = ApiRouter(tags=["privacy"], errors=ERRORS)


class ErasureIn(StrictIn):
    reason: ShortText


def export_json(request, export: CustomerExport) -> dict:
    out = {
        "id": export.pk,
        "status": export.status,
        "member_id": export.customer.member_id,
        "requested_at": export.requested_at,
        "finished_at": export.finished_at,
    }
    if export.status == CustomerExport.Status.DONE:
        out["json_url"] = reverse(
            "api-1.0.0:caredesk_privacy_api_export_file", args=[export.pk, "json"]
        )
        out["pdf_url"] = reverse(
            "api-1.0.0:caredesk_privacy_api_export_file", args=[export.pk, "pdf"]
        )
    if export.status == CustomerExport.Status.FAILED:
        out["error"] = "The export could not be produced; request it again."
    out["actions"] = actions_out({"download": policy.download_decision(request.user, export)})
    return out


@router.post(
    "/customers/{member_id}/exports",
    dict,
    "export_customer_data",
    "Queue an export of everything held about the customer (JSON and PDF)",
    status=202,
)
def export_create(request, member_id: str):
    customer = customer_get(member_id)
    export = exports.export_request(actor=request.user, customer=customer)
    return Status(202, {"id": export.pk, "status": export.status})


@router.get(
    "/exports/{export_id}",
    dict,
    "export_customer_data",
    "An export's status and, when done, its json_url and pdf_url",
)
def export_detail(request, export_id: int):
    return export_json(request, exports.export_get(export_id))


@router.get(
    "/exports/{export_id}/{kind}",
    None,
    "export_customer_data",
    "Download the export as `json` or `pdf` (audited)",
    url_name="caredesk_privacy_api_export_file",
)
def export_file(request, export_id: int, kind: str):
    export = exports.export_get(export_id)
    handle = exports.export_open(actor=request.user, export=export, kind=kind)
    filename = f"{export.customer.member_id}-personal-data.{kind}"
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=exports.KINDS[kind]
    )


@router.post(
    "/customers/{member_id}/erasure",
    dict,
    "erase_customer",
    "Erase (anonymise) the customer's personal data; irreversible (manager)",
)
def customer_erasure(request, member_id: str, payload: ErasureIn):
    from caredesk.customers.api import customer_json

    customer = customer_get(member_id)
    erased = erasure.customer_erase(actor=request.user, customer=customer, reason=payload.reason)
    return customer_json(erased, full=False)
