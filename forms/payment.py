"""The payment journey's form: only 实名认证 (the fee notice and amount come from the backend)."""
from __future__ import annotations

from typing import Text

from forms.identity import IdentityFormValidation


class ValidatePaymentForm(IdentityFormValidation):
    def name(self) -> Text:
        return "validate_payment_form"
