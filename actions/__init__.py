"""Custom actions of the assistant. The action server loads this package (`rasa run actions`);
importing `forms` here registers the form validators with it too."""
import forms  # noqa: F401  (registers the FormValidationAction classes)
