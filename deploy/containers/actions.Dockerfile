# syntax=docker/dockerfile:1
# The action server: rasa-sdk (with Rasa's pins) running actions/ and forms/ on the bot/ floor and
# the pure rules of court/rules. It talks to the court backend only (COURT_API_URL, COURT_BOT_KEY).
#   docker build -f deploy/containers/actions.Dockerfile -t court/actions .
FROM python:3.10.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app HOME=/tmp/actions
WORKDIR /app

COPY requirements.txt /tmp/requirements.txt
RUN grep -vE '^(pytest|pytest-asyncio|playwright)==' /tmp/requirements.txt > /tmp/runtime.txt \
    && pip install -r /tmp/runtime.txt && rm /tmp/requirements.txt /tmp/runtime.txt

COPY bot/ bot/
COPY actions/ actions/
COPY forms/ forms/
COPY court/__init__.py court/shapes.py court/
COPY court/rules/ court/rules/
COPY court/data/ court/data/
# near misses of 案由 and court names are read from the NLU lookup tables (bot/readers/fuzzy.py)
COPY data/nlu/lookups/ data/nlu/lookups/
COPY logging.yml ./

RUN useradd --uid 1001 --no-create-home --shell /usr/sbin/nologin actions
USER 1001
EXPOSE 5055
CMD ["rasa", "run", "actions", "--port", "5055", "--actions", "bot.action_server", "--logging-config-file", "logging.yml"]
