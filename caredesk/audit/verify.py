"""Checks the event chain: every event's hash over its content and its predecessor's hash,
gapless sequence numbers, and the head row pointing at the last event."""

from dataclasses import dataclass

from caredesk.audit.models import ChainHead, Event
from caredesk.audit.services import GENESIS, event_digest, hashed_fields


@dataclass
class Problem:
    seq: int | None
    message: str

    def __str__(self) -> str:
        where = f"event #{self.seq}" if self.seq is not None else "chain"
        return f"{where}: {self.message}"


def chain_verify(*, chunk_size: int = 2000) -> tuple[int, list[Problem]]:
    """Return (events checked, problems). No problems means the log is intact."""
    problems: list[Problem] = []
    expected_seq = 1
    prev_hash = GENESIS
    checked = 0
    for event in Event.objects.order_by("seq").iterator(chunk_size=chunk_size):
        checked += 1
        if event.seq != expected_seq:
            if event.seq > expected_seq:
                problems.append(
                    Problem(
                        event.seq, f"events #{expected_seq}..#{event.seq - 1} are missing (deleted)"
                    )
                )
            else:
                problems.append(Problem(event.seq, "sequence number out of order"))
        if event.prev_hash != prev_hash:
            problems.append(
                Problem(
                    event.seq,
                    "does not link to the previous event (inserted, deleted or reordered)",
                )
            )
        recomputed = event_digest(prev_hash=event.prev_hash, fields=hashed_fields(event))
        if recomputed != event.hash:
            problems.append(Problem(event.seq, "content does not match its hash (edited)"))
        prev_hash = event.hash
        expected_seq = event.seq + 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        problems.append(
            Problem(
                None,
                f"head points at #{head.seq} but the last event is #{expected_seq - 1} "
                "(events removed from the end, or the head was edited)",
            )
        )
    if head is None and checked:
        problems.append(Problem(None, "head row is missing"))
    return checked, problems
