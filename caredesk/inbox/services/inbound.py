"""Guest replies by email: a raw RFC 822 message posted by the mail gateway is threaded onto
its ticket by the reference in `In-Reply-To`/`References` (the Message-ID of our reply) or in
the subject (`[C-000123]`), from the address the ticket knows.

Files the guest attached are kept by the same rules as uploads on the public forms (accepted by
their bytes: PDF, DOCX, JPEG, PNG, WebP; at most `CAREDESK_UPLOAD_MAX_BYTES` each and
`uploads.MAX_FILES` per message), stored through Django's storage API and only ever
downloaded. Anything else (a web page, a program, a file too large) is not kept, and an
internal note on the ticket says which files were left out and why."""

import re
from email import policy as email_policy
from email.parser import BytesParser
from email.utils import parseaddr

from django.conf import settings
from django.core.files.base import ContentFile

from caredesk.inbox.models import Message, Ticket
from caredesk.inbox.services.tickets import ticket_guest_reply
from caredesk.inbox.uploads import DOCUMENTS, IMAGES, MAX_FILES, Checked, upload_check
from caredesk.lib.errors import Conflict, Invalid

REFERENCE = re.compile(r"\b([CSJI]-\d{6})\b")
_QUOTE_HEAD = re.compile(r"^(On .+ wrote:|-----Original Message-----|Noong .+ ay sumulat:)\s*$")


def _body_part(message):
    return message.get_body(preferencelist=("plain", "html"))


def _text(message) -> str:
    part = _body_part(message)
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_type() == "text/html":
        from django.utils.html import strip_tags

        content = strip_tags(content)
    return content


def _attached_parts(message):
    """The leaf parts that are files rather than the words of the reply: anything with a
    file name or marked as an attachment, and any part that is not text (an inline image);
    the body part and the other text renderings of it are not files."""
    body = _body_part(message)
    for part in message.walk():
        if part.is_multipart() or part is body:
            continue
        named = bool(part.get_filename()) or part.get_content_disposition() == "attachment"
        if named or part.get_content_maintype() != "text":
            yield part


def attachments_check(message) -> tuple[list[Checked], list[str]]:
    """The files of `message` that are kept, and a line for each one that is not."""
    kept: list[Checked] = []
    skipped: list[str] = []
    for part in _attached_parts(message):
        name = (part.get_filename() or "").strip()[:150] or "attachment"
        if len(kept) >= MAX_FILES:
            skipped.append(f"{name}: at most {MAX_FILES} files are kept per message.")
            continue
        data = part.get_payload(decode=True) or b""
        try:
            kept.append(
                upload_check(
                    ContentFile(data, name=name), allowed=DOCUMENTS + IMAGES, field="attachments"
                )
            )
        except Invalid as exc:
            skipped.append(exc.detail if name in exc.detail else f"{name}: {exc.detail}")
    return kept, skipped


def reply_text(body: str) -> str:
    """The new words of a reply: quoted lines and everything after the quote header dropped."""
    kept = []
    for line in body.replace("\r\n", "\n").split("\n"):
        if _QUOTE_HEAD.match(line.strip()):
            break
        if line.startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def _ids(value: str | None) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def _find_ticket(message) -> Ticket | None:
    ids = _ids(message.get("In-Reply-To")) + _ids(message.get("References"))
    if ids:
        found = (
            Message.objects.filter(email_message_id__in=ids)
            .select_related("ticket")
            .order_by("-pk")
            .first()
        )
        if found:
            return found.ticket
    for header in ("In-Reply-To", "References", "Subject"):
        match = REFERENCE.search(str(message.get(header) or ""))
        if match:
            ticket = Ticket.objects.filter(reference=match.group(1)).first()
            if ticket:
                return ticket
    return None


def inbound_email_receive(raw: bytes) -> Message:
    """Thread one emailed reply onto its ticket. The same Message-ID posted twice is stored
    once. Refused: a message that names no ticket (404-like Invalid), or whose sender is not
    the ticket's guest (409 `unknown_sender`)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if not raw or len(raw) > limit:
        raise Invalid(
            f"Send one raw RFC 822 message of at most {limit // (1024 * 1024)} MB.",
            code="invalid_message",
        )
    message = BytesParser(policy=email_policy.default).parsebytes(raw)
    message_id = str(message.get("Message-ID") or "").strip()
    if message_id:
        seen = Message.objects.filter(email_message_id=message_id).first()
        if seen:
            return seen
    ticket = _find_ticket(message)
    if ticket is None:
        raise Invalid("This message names no ticket reference.", code="no_ticket")
    sender = parseaddr(str(message.get("From") or ""))[1].lower()
    known = {
        a.lower()
        for a in [ticket.guest_email, ticket.customer.email if ticket.customer_id else ""]
        if a
    }
    if sender not in known:
        raise Conflict(
            f"{ticket.reference} does not know the sender {sender or '(none)'}.",
            code="unknown_sender",
        )
    files, skipped = attachments_check(message)
    body = reply_text(_text(message)) or ("(files only)" if files else "(empty reply)")
    return ticket_guest_reply(
        ticket=ticket,
        body=body,
        via="email",
        files=files,
        skipped=skipped,
        email_message_id=message_id,
    )
