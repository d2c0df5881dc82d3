"""Guest replies by email: a raw RFC 822 message posted by the mail gateway is threaded onto
its ticket by the reference in `In-Reply-To`/`References` (the Message-ID of our reply) or in
the subject (`[C-000123]`), from the address the ticket knows."""

import re
from email import policy as email_policy
from email.parser import BytesParser
from email.utils import parseaddr

from caredesk.inbox.models import Message, Ticket
from caredesk.inbox.services.tickets import ticket_guest_reply
from caredesk.lib.errors import Conflict, Invalid

REFERENCE = re.compile(r"\b([CSJI]-\d{6})\b")
MAX_BYTES = 2 * 1024 * 1024
_QUOTE_HEAD = re.compile(r"^(On .+ wrote:|-----Original Message-----|Noong .+ ay sumulat:)\s*$")


def _text(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_type() == "text/html":
        from django.utils.html import strip_tags

        content = strip_tags(content)
    return content


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
    if not raw or len(raw) > MAX_BYTES:
        raise Invalid("Send one raw RFC 822 message of at most 2 MB.", code="invalid_message")
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
    body = reply_text(_text(message)) or "(empty reply)"
    return ticket_guest_reply(ticket=ticket, body=body, via="email", email_message_id=message_id)
