"""The one shape of a rule's refusal: a stable `code` and a polite Chinese `message`."""
from __future__ import annotations


class RuleError(ValueError):
    """Input a rule cannot accept. ``code`` is machine-readable and stable; ``message`` (also
    ``message_zh``) is the sentence to show the litigant."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def message_zh(self) -> str:
        return self.message
