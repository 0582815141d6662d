# Two commands on a fresh machine: `make run` (the whole stack) and `make test` (the whole suite).
# Every target installs what it needs and is quick the second time.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
PY310 ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.10.13/bin/python3.10) $(shell command -v python3.10))
PY311 ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.11.7/bin/python3.11) $(shell command -v python3.11) $(PY310))

RASA_VENV := .venv
COURT_VENV := .venv-court
RASA := $(RASA_VENV)/bin/rasa
MODEL := models/assistant.tar.gz
MODEL_INPUTS := config.yml domain.yml bot/readers/values.py bot/readers/phone.py bot/readers/text.py $(shell find data bot/nlu -type f \( -name '*.yml' -o -name '*.txt' -o -name '*.py' \) 2>/dev/null)
export PYTHONPATH := $(CURDIR)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: eval eval-cv bench-train bench-turns help run shell test test-court test-bot test-rasa test-e2e test-browser test-security validate train install clean web chromium pdf-font
.PHONY: nginx run-prod test-prod

help:
	@echo "make run   - 启动全部服务（后台 8080、动作服务器 5055、Rasa 5005）"
	@echo "make test  - 运行全部测试"
	@echo "make shell - 在终端里与助手对话"

$(RASA_VENV)/.installed: requirements.txt
	test -x "$(PY310)" || { echo "需要 Python 3.10（pyenv 3.10.13）"; exit 1; }
	test -d $(RASA_VENV) || $(PY310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install -q -r requirements.txt
	touch $@

$(COURT_VENV)/.installed: court/requirements.txt
	test -d $(COURT_VENV) || $(PY311) -m venv $(COURT_VENV)
	$(COURT_VENV)/bin/pip install -q -r court/requirements.txt
	touch $@

install: $(RASA_VENV)/.installed $(COURT_VENV)/.installed

# The litigant page's socket.io client, served from our own origin (no CDN): `npm ci` from the
# lock file, then the browser bundle copied next to the page.
WEB_VENDOR := court/static/site/vendor/socket.io.min.js
$(WEB_VENDOR): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $@)
	cp node_modules/socket.io-client/dist/socket.io.min.js $@

web: $(WEB_VENDOR)

# Browser tests drive Debian's Chromium (Playwright's own browser download fails on these machines).
chromium:
	command -v chromium >/dev/null || { apt-get update && apt-get install -y chromium fonts-noto-cjk; }

# The generated complaint (court/services/complaint.py) embeds a CJK font with TrueType outlines: AR PL UMing
# (a Ming/宋体 face) from Debian, installed once. Elsewhere set COURT_PDF_FONT to a .ttf/.ttc path.
PDF_FONT := /usr/share/fonts/truetype/arphic/uming.ttc
pdf-font:
	test -f $(PDF_FONT) || { apt-get update && apt-get install -y fonts-arphic-uming; }

# Retrain only when data, config or the NLU components change. --force because Rasa's own
# fingerprint does not see the jieba dictionary files in data/dict.
$(MODEL): $(RASA_VENV)/.installed $(MODEL_INPUTS)
	$(RASA) train --force --domain domain.yml --fixed-model-name assistant --out models --quiet
	touch $@

train: $(MODEL)

run: install web pdf-font $(MODEL)
	$(RASA_VENV)/bin/python -m deploy run

# The production load balancer: Debian's nginx, run by deploy/profiles.py as a child process with
# deploy/nginx/rasa-replicas.conf (never as a system service: RUNLEVEL=1 keeps the package from starting it).
nginx:
	test -x /usr/sbin/nginx || { apt-get update && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx; }

# The production profile: backend on PostgreSQL, REPLICAS Rasa replicas sharing the PostgreSQL
# tracker store, the Redis lock store and the RabbitMQ event broker, nginx in front on 5005.
REPLICAS ?= 2
run-prod: install web nginx pdf-font $(MODEL)
	$(RASA_VENV)/bin/python -m deploy run --profile production --replicas $(REPLICAS)

shell: install $(MODEL)
	$(RASA_VENV)/bin/python -m deploy shell

validate: $(RASA_VENV)/.installed
	$(RASA) data validate --domain domain.yml --fail-on-warnings --quiet

test-court: $(COURT_VENV)/.installed web pdf-font
	$(COURT_VENV)/bin/python -m pytest tests/court -q

test-bot: $(RASA_VENV)/.installed
	$(RASA_VENV)/bin/python -m pytest tests/bot tests/actions tests/forms tests/channels -q

# One test per attack of issue 9 (tests/security). The channel side runs Rasa's own server with the
# channels of credentials.yml, the fake WeChat server, Redis on 127.0.0.1 and nginx; no model needed.
test-security: $(RASA_VENV)/.installed $(COURT_VENV)/.installed nginx
	$(RASA_VENV)/bin/python -m pytest tests/security/channels -q
	$(COURT_VENV)/bin/python -m pytest tests/security/backend -q

test-rasa: install $(MODEL)
	$(RASA) test core --stories tests/stories --model $(MODEL) --fail-on-prediction-errors --out results/core

test-e2e: install pdf-font $(MODEL)
	$(RASA_VENV)/bin/python -m pytest tests/e2e -q

test-browser: install web chromium pdf-font $(MODEL)
	$(RASA_VENV)/bin/python -m pytest tests/browser -q

# The production profile against the real PostgreSQL, Redis and RabbitMQ (two replicas, nginx).
test-prod: install nginx pdf-font $(MODEL)
	$(RASA_VENV)/bin/python -m pytest tests/production -q

test: install web validate test-court test-bot test-security test-rasa test-e2e test-browser test-prod

# NLU quality on the held-out split (tests/nlu, never trained on): accuracy, macro F1, entity F1,
# and the confusion matrix and confidence histogram as PNG files under results/nlu/; then the second
# held-out set in another voice (tests/nlu-voice2: older people, dialect, rambling, typos) on the same model.
eval: $(RASA_VENV)/.installed
	$(RASA) train nlu --fixed-model-name nlu --out results/eval-model --quiet
	$(RASA) test nlu --nlu tests/nlu --model results/eval-model/nlu.tar.gz --out results/nlu
	$(RASA) test nlu --nlu tests/nlu-voice2 --model results/eval-model/nlu.tar.gz --out results/nlu-voice2
	@echo "== tests/nlu (held-out split)"
	@$(RASA_VENV)/bin/python scripts/nlu_report.py results/nlu
	@echo "== tests/nlu-voice2 (another voice; intents only, its entities are not annotated)"
	@$(RASA_VENV)/bin/python scripts/nlu_report.py results/nlu-voice2

# Generated litigants (tests/simulated, issue 14) through filing, fees, status, withdrawal and handoff
# against the real stack; prints the failures and the success rate. `make simulate LITIGANTS=50 SEED=2`.
LITIGANTS ?= 20
SEED ?= 1
.PHONY: simulate
simulate: install pdf-font $(MODEL)
	$(RASA_VENV)/bin/python -m tests.simulated.run --litigants $(LITIGANTS) --seed $(SEED)

# FOLDS-fold cross-validation on the training data (FOLDS NLU trainings: slow on two cores;
# `make eval-cv FOLDS=3` while iterating, the published figure is 5 folds).
FOLDS ?= 5
eval-cv: $(RASA_VENV)/.installed
	$(RASA) test nlu --nlu data/nlu --cross-validation --folds $(FOLDS) --out results/cv
	@$(RASA_VENV)/bin/python scripts/nlu_report.py results/cv

# Training and start-up figures (issue 11): full-training seconds (NLU and Core, per component),
# model MB and its largest members, `rasa run` start-to-ready seconds and RSS after a few parses.
bench-train: $(RASA_VENV)/.installed
	$(RASA_VENV)/bin/python -m bench.rasa_train

# Turns of our assistant against the stock `rasa init` bot (trained once under var/stock-bot), over REST,
# one conversation at a time and 20 at once, with where a turn's time goes (bench/TURNS.md).
bench-turns: install pdf-font $(MODEL)
	$(RASA_VENV)/bin/python -m bench.turns $(BENCH_ARGS)

clean:
	rm -rf models results var
