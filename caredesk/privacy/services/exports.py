"""A customer's data export: requested by a permitted member of staff, produced in the
background by the worker (one JSON document and a readable PDF, from every app's privacy
hook), downloaded by permitted roles. Request, production and every download are audited."""

import json
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from caredesk.audit.services import event_record
from caredesk.lib.errors import NotFound
from caredesk.lib.policy import enforce
from caredesk.privacy import policy
from caredesk.privacy.events import PrivacyEvent
from caredesk.privacy.hooks import export_sections
from caredesk.privacy.models import CustomerExport
from caredesk.privacy.pdf import export_pdf

FORMAT = "caredesk.customer-export/1"
KINDS = {"json": "application/json", "pdf": "application/pdf"}


def export_request(*, actor, customer) -> CustomerExport:
    """Queue an export of `customer`'s data; the worker produces it (`export_build`)."""
    enforce(policy.export_decision(actor, customer))
    with transaction.atomic():
        export = CustomerExport.objects.create(customer=customer, requested_by=actor)
        event_record(
            actor=actor,
            action=PrivacyEvent.EXPORT_REQUESTED,
            target=customer,
            data={"export": export.pk},
        )
        transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int) -> None:
    from caredesk.privacy.tasks import export_build

    export_build.enqueue(export_id)


def export_document(customer) -> dict:
    """Everything Caredesk holds about `customer`, section by section (JSON-safe)."""
    document = {
        "format": FORMAT,
        "generated_at": timezone.now(),
        "business": settings.CAREDESK_BUSINESS_NAME,
        "customer": customer.member_id,
        "sections": export_sections(customer),
    }
    return json.loads(json.dumps(document, cls=DjangoJSONEncoder))


def export_build(export_id: int) -> CustomerExport:
    """Produce the files of one queued export (run by the worker; safe to run twice)."""
    export = CustomerExport.objects.select_related("customer").get(pk=export_id)
    if export.status == CustomerExport.Status.DONE:
        return export
    CustomerExport.objects.filter(pk=export.pk).update(status=CustomerExport.Status.RUNNING)
    try:
        document = export_document(export.customer)
        document_pdf = {**document, "generated_at": timezone.now()}
        stem = f"exports/{export.customer.member_id}/{export.pk}-{secrets.token_hex(8)}"
        body = json.dumps(document, indent=2, ensure_ascii=False).encode()
        json_name = default_storage.save(f"{stem}.json", ContentFile(body))
        pdf_name = default_storage.save(f"{stem}.pdf", ContentFile(export_pdf(document_pdf)))
    except Exception as exc:
        CustomerExport.objects.filter(pk=export.pk).update(
            status=CustomerExport.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        export.status = CustomerExport.Status.DONE
        export.json_file, export.pdf_file = json_name, pdf_name
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "json_file", "pdf_file", "finished_at"])
        event_record(
            actor=None,
            action=PrivacyEvent.EXPORT_READY,
            target=export.customer,
            data={"export": export.pk, "sections": len(document["sections"])},
        )
    return export


def export_get(export_id) -> CustomerExport:
    export = CustomerExport.objects.select_related("customer").filter(pk=export_id).first()
    if export is None:
        raise NotFound("No such export.")
    return export


def export_open(*, actor, export: CustomerExport, kind: str):
    """The export's file of `kind` ("json" or "pdf"), opened for download; audited."""
    if kind not in KINDS:
        raise NotFound("No such export file.")
    enforce(policy.download_decision(actor, export))
    name = export.json_file if kind == "json" else export.pdf_file
    with transaction.atomic():
        event_record(
            actor=actor,
            action=PrivacyEvent.EXPORT_DOWNLOADED,
            target=export.customer,
            data={"export": export.pk, "file": kind},
        )
    return default_storage.open(name, "rb")


def exports_remove(customer) -> int:
    """Delete the rows of every export of `customer` (erasure), and their files once the
    caller's transaction commits (a rolled-back erasure keeps them)."""
    exports = list(CustomerExport.objects.filter(customer=customer))
    names = [n for e in exports for n in (e.json_file, e.pdf_file) if n]
    CustomerExport.objects.filter(customer=customer).delete()
    transaction.on_commit(lambda: _files_delete(names))
    return len(exports)


def _files_delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
