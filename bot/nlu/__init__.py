"""Custom Rasa NLU components for Chinese (registered by dotted path in config.yml)."""
