# syntax=docker/dockerfile:1
# The Rasa server of the production profile: Rasa 3.6 with the custom components of bot/ (NLU,
# channels, lock store, event broker) and the trained model baked in (`make train` first; or mount
# another model over /app/models/assistant.tar.gz). Several replicas share PostgreSQL, Redis and
# RabbitMQ through endpoints.production.yml, whose ${VAR}s come from the environment.
#   docker build -f deploy/containers/rasa.Dockerfile -t court/rasa .
FROM python:3.10.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app HOME=/tmp/rasa
WORKDIR /app

# The pinned Rasa-side requirements without the test tools (pytest, the browser driver).
COPY requirements.txt /tmp/requirements.txt
RUN grep -vE '^(pytest|pytest-asyncio|playwright)==' /tmp/requirements.txt > /tmp/runtime.txt \
    && pip install -r /tmp/runtime.txt && rm /tmp/requirements.txt /tmp/runtime.txt

# What the server imports: bot/ (and the pure rules it reads), deploy/rasa_main.py (Rasa with the
# cached action-answer validator and no silent in-memory fallback), the jieba dictionary, the configs.
COPY bot/ bot/
COPY court/__init__.py court/shapes.py court/
COPY court/rules/ court/rules/
COPY court/data/ court/data/
COPY deploy/__init__.py deploy/rasa_main.py deploy/
COPY data/dict/ data/dict/
COPY config.yml domain.yml credentials.yml endpoints.production.yml logging.yml ./
COPY models/assistant.tar.gz models/assistant.tar.gz

RUN useradd --uid 1001 --no-create-home --shell /usr/sbin/nologin rasa
USER 1001
EXPOSE 5005
# COURT_RASA_JWT_SECRET: the backend's admin JWTs (Authorization header) for Rasa's HTTP API;
# COURT_PUBLIC_BASE_URL: the court page, the one origin the widget's socket.io comes from.
CMD ["sh", "-c", "exec python -m deploy.rasa_main run --enable-api -i 0.0.0.0 --port 5005 --model models/assistant.tar.gz --endpoints endpoints.production.yml --credentials credentials.yml --logging-config-file logging.yml --cors \"${COURT_PUBLIC_BASE_URL}\" --jwt-secret \"${COURT_RASA_JWT_SECRET:?COURT_RASA_JWT_SECRET is not set}\" --jwt-method HS256"]
