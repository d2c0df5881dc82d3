"""Upload checks: a file is accepted by what its bytes are, never by its name or the type the
browser claims, and within the size limit. Accepted files are stored under a random name with
no extension and always downloaded (`Content-Disposition: attachment`, `nosniff`), so nothing
uploaded is ever served from our origin as HTML."""

import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings

from caredesk.lib.errors import Invalid

DOCUMENTS = ("pdf", "docx")
IMAGES = ("jpeg", "png", "webp")
# What a signed-in guest attaches to a reply on their account page: photos and PDF.
GUEST_REPLY_FILES = ("pdf", *IMAGES)
# What staff attach to a reply or an internal note: anything a guest may send us.
STAFF_REPLY_FILES = DOCUMENTS + IMAGES

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}
LABELS = {"pdf": "PDF", "docx": "Word (DOCX)", "jpeg": "JPEG", "png": "PNG", "webp": "WebP"}
MAX_FILES = 5


@dataclass(frozen=True)
class Checked:
    upload: object
    name: str
    kind: str
    content_type: str
    size: int


def sniff(head: bytes, data_for_zip) -> str | None:
    """The kind of file these bytes are, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(data_for_zip()) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
    return None


def _safe_name(name: str, kind: str) -> str:
    stem = re.sub(r"[^\w.\- ]+", "_", (name or "file").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    stem = stem.strip(" .")[:100] or "file"
    ext = {"jpeg": "jpg"}.get(kind, kind)
    if not stem.lower().endswith(f".{ext}"):
        stem = f"{stem.rsplit('.', 1)[0] if '.' in stem else stem}.{ext}"
    return stem


def size_words(limit: int) -> str:
    """5242880 -> "5 MB", 1024 -> "1 KB": the size limit as a person reads it."""
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.1f} MB"
    return f"{max(limit // 1024, 1)} KB"


def upload_check(upload, *, allowed: tuple[str, ...], field: str) -> Checked:
    """Accept `upload` if its content is one of `allowed` and it is within the size limit;
    otherwise Invalid on `field` saying what is accepted."""
    limit = settings.CAREDESK_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None) or 0
    if size > limit:
        raise Invalid(f"{upload.name} is too large: at most {size_words(limit)}.", field=field)
    if size == 0:
        raise Invalid(f"{upload.name or 'The file'} is empty.", field=field)
    upload.seek(0)
    head = upload.read(16)

    def whole():
        upload.seek(0)
        return io.BytesIO(upload.read())

    kind = sniff(head, whole)
    upload.seek(0)
    if kind not in allowed:
        accepted = ", ".join(LABELS[k] for k in allowed)
        raise Invalid(
            f"{upload.name or 'This file'} is not an accepted file: send {accepted}.",
            field=field,
            code="file_type",
        )
    return Checked(
        upload=upload,
        name=_safe_name(upload.name, kind),
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        size=size,
    )


def uploads_check(uploads, *, allowed: tuple[str, ...], field: str) -> list[Checked]:
    uploads = [u for u in uploads or [] if u]
    if len(uploads) > MAX_FILES:
        raise Invalid(f"At most {MAX_FILES} files.", field=field)
    return [upload_check(u, allowed=allowed, field=field) for u in uploads]
