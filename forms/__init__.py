"""Form validators (rasa_sdk FormValidationAction), registered with the action server by `actions`."""
from forms import fees, filing, payment, status  # noqa: F401
