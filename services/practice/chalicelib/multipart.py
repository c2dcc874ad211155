"""multipart/form-data bodies parsed with the standard library's email parser (the cgi module is gone)."""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.parser import BytesParser

from speaktracker.errors import Invalid


@dataclass(frozen=True)
class FormPart:
    data: bytes
    filename: str | None = None
    content_type: str | None = None

    def text(self) -> str:
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Invalid("Form fields must be UTF-8 text.", "INVALID_MULTIPART") from exc


def parse_form(body: bytes, content_type: str) -> dict[str, FormPart]:
    """The form's parts by field name (the first part wins if a name repeats)."""
    if "boundary=" not in content_type:
        raise Invalid("A multipart body needs a boundary in its Content-Type.", "INVALID_MULTIPART")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart() or message.defects:
        raise Invalid("The multipart body could not be read.", "INVALID_MULTIPART")
    parts: dict[str, FormPart] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name or name in parts:
            continue
        payload = part.get_payload(decode=True) or b""
        declared = part.get("content-type")
        parts[str(name)] = FormPart(payload, part.get_filename(), part.get_content_type() if declared else None)
    return parts
