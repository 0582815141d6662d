"""Deployment: starting the whole stack (backend, action server, Rasa) on one machine.

`python -m deploy run [--profile production]` and `python -m deploy shell` (the Makefile's `run`,
`run-prod` and `shell`); deploy/stack.py is the embedded profile, also used by the end-to-end
tests, deploy/profiles.py the production one (PostgreSQL, Redis, RabbitMQ, nginx from
deploy/nginx/). Nothing in the bot imports this package.
"""
