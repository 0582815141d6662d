# syntax=docker/dockerfile:1
# The court backend: its own requirements (aiohttp, SQLAlchemy 2, asyncpg; no Rasa, no TensorFlow),
# the CJK font the 起诉状 embeds, and the web page's vendored scripts built from package-lock.json
# as `make web` does. The same image runs the one-shot migrations: `python -m court migrate`.
#   docker build -f deploy/containers/backend.Dockerfile -t court/backend .
FROM node:20.18.1-bookworm-slim AS web
WORKDIR /web
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11.7-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app COURT_UPLOAD_DIR=/var/lib/court/uploads
WORKDIR /app

# AR PL UMing (TrueType outlines), embedded in every generated complaint (court/services/complaint.py).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-arphic-uming \
    && rm -rf /var/lib/apt/lists/*

# court/requirements.txt up to its test tools.
COPY court/requirements.txt /tmp/requirements.txt
RUN sed '/^# tests/,$d' /tmp/requirements.txt > /tmp/runtime.txt \
    && pip install -r /tmp/runtime.txt && rm /tmp/requirements.txt /tmp/runtime.txt

COPY court/ court/
# the staff console's NLU inbox labels with the assistant's intents (court/services/nlu_inbox.py)
COPY domain.yml ./
COPY data/nlu/ data/nlu/
COPY --from=web /web/node_modules/socket.io-client/dist/socket.io.min.js court/static/site/vendor/
COPY --from=web /web/node_modules/echarts/dist/echarts.min.js court/static/staff/vendor/

RUN useradd --uid 1001 --no-create-home --shell /usr/sbin/nologin court \
    && mkdir -p /var/lib/court/uploads && chown 1001 /var/lib/court/uploads
USER 1001
VOLUME /var/lib/court/uploads
EXPOSE 8080
# COURT_WORKERS processes share the port (one per core); migrations ran before (the migrate job), so
# the upgrade `serve` does at start finds nothing to do.
CMD ["python", "-m", "court", "serve", "--host", "0.0.0.0", "--port", "8080"]
