"""Form validators (rasa_sdk FormValidationAction): one per journey, each answer checked and explained.

Registered with the action server by bot/action_server.py, together with `actions`; validators never
import `actions` (docs/architecture.md).
"""
