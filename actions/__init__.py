"""Custom actions of the assistant (rasa_sdk Action): the journeys' questions, answers and submissions.

Registered with the action server by bot/action_server.py, together with the validators in `forms`;
actions never import `forms` (docs/architecture.md).
"""
