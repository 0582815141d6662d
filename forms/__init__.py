"""Form validators (rasa_sdk FormValidationAction), registered with the action server by `actions`."""
from forms import cancel, fees, filing, payment, status  # noqa: F401
from forms import correction, upload  # noqa: F401
