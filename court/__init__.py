"""Court backend: the electronic-filing service behind the assistant.

Imports nothing from rasa or rasa_sdk; `court.rules` holds pure, stdlib-only rules that the
action server may also import.
"""
