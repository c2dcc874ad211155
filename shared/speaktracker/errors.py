"""Domain errors and their one mapping to HTTP.

Services raise these; the HTTP layer (``speaktracker.http``) turns them into
``{"error": CODE, "message": text, "requestId": id}`` with the status below. Nothing else maps errors.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    default_code = "INVALID_REQUEST"

    def __init__(self, message: str, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.details = details

    def body(self, request_id: str) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code, "message": self.message, "requestId": request_id}
        if self.details is not None:
            body["details"] = self.details
        return body


class Invalid(DomainError):
    status, default_code = 400, "INVALID_REQUEST"


class Unauthorized(DomainError):
    status, default_code = 401, "UNAUTHORIZED"


class Forbidden(DomainError):
    status, default_code = 403, "FORBIDDEN"


class NotFound(DomainError):
    status, default_code = 404, "NOT_FOUND"


class Conflict(DomainError):
    status, default_code = 409, "CONFLICT"


class Gone(DomainError):
    status, default_code = 410, "GONE"


class PayloadTooLarge(DomainError):
    status, default_code = 413, "PAYLOAD_TOO_LARGE"


class UnsupportedMediaType(DomainError):
    status, default_code = 415, "UNSUPPORTED_MEDIA_TYPE"


class Unprocessable(DomainError):
    status, default_code = 422, "UNPROCESSABLE"


class TooManyRequests(DomainError):
    status, default_code = 429, "TOO_MANY_REQUESTS"


class Unavailable(DomainError):
    """A dependency (AI, speech, AWS) failed after its retries; the caller may try again."""

    status, default_code = 503, "SERVICE_UNAVAILABLE"
