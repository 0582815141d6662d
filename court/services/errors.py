"""Domain errors: what went wrong, in words a litigant or clerk can act on, without HTTP.

Services, jobs and handlers raise these; the one error middleware (court/infra/errors.py) answers each
with its status and the JSON shape ``{"error": code, "message": 中文, "field": ...}``, and the staff
CLI prints the message. ``code`` is stable for clients; ``message`` is polite Chinese (您);
``field`` names the input at fault, if any.
"""
from __future__ import annotations

from typing import Any, Collection, Mapping, Optional


class DomainError(Exception):
    """A refusal the caller can act on."""

    def __init__(self, code: str, message: str, field: Optional[str] = None) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field

    def to_json(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, "field": self.field}


class InvalidRequest(DomainError):
    """The request as a whole cannot be read: malformed JSON, an unknown field, a bad query."""


class InvalidField(DomainError):
    """One field is missing, of the wrong type or breaks a rule (its name is in ``field``)."""


class Unauthenticated(DomainError):
    """No valid token, or a wrong password."""


class Forbidden(DomainError):
    """Authenticated, but not allowed to do this (role, court, owner)."""


class NotFound(DomainError):
    """The thing asked for does not exist, or is not the caller's to see."""


class Conflict(DomainError):
    """The request clashes with the current state (already decided, already paid, taken)."""


class Gone(DomainError):
    """It existed but has expired (a code, a link)."""


class TooLarge(DomainError):
    """The body or a file is larger than allowed."""


class UnsupportedMediaType(DomainError):
    """The body or a file is of a type not accepted."""


class TooManyAttempts(DomainError):
    """Rate limited: too many codes or tries in a short time; ``retry_after`` seconds, when known
    (also in the body, so that the bot can say when to come back without reading headers)."""

    def __init__(self, code: str, message: str, field: Optional[str] = None, *,
                 retry_after: Optional[int] = None) -> None:
        super().__init__(code, message, field)
        self.retry_after = retry_after

    def to_json(self) -> dict[str, Any]:
        body = super().to_json()
        if self.retry_after is not None:
            body["retry_after"] = self.retry_after
        return body


class RequestTimeout(DomainError):
    """The body did not arrive in time (a stalled or crawling client); the connection is closed."""


class Unavailable(DomainError):
    """A service the court relies on (the SMS gateway) failed just now; trying later may work."""


class ServerFault(DomainError):
    """Something the court keeps is missing or broken (a stored file); not the caller's fault."""


UNKNOWN_FIELD = "无法识别的字段：{name}。"


def reject_unknown_fields(body: Mapping[str, Any], allowed: Collection[str], *, where: str = "",
                          message: str = UNKNOWN_FIELD) -> None:
    """Refuse a body naming a field outside `allowed` (the first, in sorted order), so that a typo
    is reported rather than silently ignored. `where` prefixes the field path (``parties[0].``)."""
    extra = sorted(set(body) - set(allowed))
    if extra:
        raise InvalidRequest("unknown_field", message.format(name=extra[0]), f"{where}{extra[0]}")
