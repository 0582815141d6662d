# Two commands on a fresh machine: `make run` (the whole stack) and `make test` (the whole suite).
# Every target installs what it needs and is quick the second time.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
PY310 ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.10.13/bin/python3.10) $(shell command -v python3.10))
PY311 ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.11.7/bin/python3.11) $(shell command -v python3.11) $(PY310))

RASA_VENV := .venv
COURT_VENV := .venv-court
FUZZ_VENV := .venv-fuzz
K8S_VENV := .venv-k8s
RASA := $(RASA_VENV)/bin/rasa
MODEL := models/assistant.tar.gz
MODEL_INPUTS := config.yml domain.yml bot/readers/values.py bot/readers/phone.py bot/readers/text.py $(shell find data bot/nlu -type f \( -name '*.yml' -o -name '*.txt' -o -name '*.py' \) 2>/dev/null)
export PYTHONPATH := $(CURDIR)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: eval eval-cv bench-train bench-turns help run shell test test-court test-bot test-rasa test-e2e test-browser test-security validate train install clean web chromium pdf-font nginx run-prod test-prod nlu-inbox-export bench-dashboard bench-load bench-pdf bench-filings fuzz test-manifests

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

# schemathesis for `make fuzz`, in a virtualenv of its own (it brings its own hypothesis range).
$(FUZZ_VENV)/.installed: court/requirements-fuzz.txt
	test -d $(FUZZ_VENV) || $(PY311) -m venv $(FUZZ_VENV)
	$(FUZZ_VENV)/bin/pip install -q -r court/requirements-fuzz.txt
	touch $@

# The schema checkers of the container deployment (deploy/manifests_check.py): kubernetes-validate
# and check-jsonschema need a newer jsonschema than Rasa pins, so they have a virtualenv of their own.
$(K8S_VENV)/.installed: deploy/requirements-manifests.txt
	test -d $(K8S_VENV) || $(PY311) -m venv $(K8S_VENV)
	$(K8S_VENV)/bin/pip install -q -r deploy/requirements-manifests.txt
	touch $@

# The production profile as containers and on Kubernetes (deploy/containers, deploy/k8s), checked offline
# against the compose-spec and Kubernetes schemas, env var names against the code (also run by test-bot).
test-manifests: $(RASA_VENV)/.installed $(K8S_VENV)/.installed
	$(RASA_VENV)/bin/python -m pytest tests/deploy/test_manifests.py -q

# The litigant page's socket.io client, served from our own origin (no CDN): `npm ci` from the
# lock file, then the browser bundle copied next to the page.
WEB_VENDOR := court/static/site/vendor/socket.io.min.js
$(WEB_VENDOR): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $@)
	cp node_modules/socket.io-client/dist/socket.io.min.js $@

# The staff console's charts (court/static/staff/dashboard.js): ECharts, likewise from the lock file.
CHARTS_VENDOR := court/static/staff/vendor/echarts.min.js
$(CHARTS_VENDOR): package.json package-lock.json
	test -f node_modules/echarts/dist/echarts.min.js || npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $@)
	cp node_modules/echarts/dist/echarts.min.js $@

web: $(WEB_VENDOR) $(CHARTS_VENDOR)

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
# The backend runs with COURT_DEV_MODE=0; SMS, identity and WeChat Pay go to loopback fakes
# (tests/fakes) unless COURT_SMS_PROVIDER / COURT_IDENTITY_PROVIDER / COURT_PAYMENT_PROVIDER name real ones.
REPLICAS ?= 2
run-prod: install web nginx pdf-font $(MODEL)
	$(RASA_VENV)/bin/python -m deploy run --profile production --replicas $(REPLICAS)

shell: install $(MODEL)
	$(RASA_VENV)/bin/python -m deploy shell

validate: $(RASA_VENV)/.installed
	$(RASA) data validate --domain domain.yml --fail-on-warnings --quiet

test-court: $(COURT_VENV)/.installed web pdf-font
	$(COURT_VENV)/bin/python -m pytest tests/court -q

test-bot: $(RASA_VENV)/.installed $(K8S_VENV)/.installed
	$(RASA_VENV)/bin/python -m pytest tests/bot tests/actions tests/forms tests/channels tests/deploy -q

# One test per attack of issue 9 (tests/security). The channel side runs Rasa's own server with the
# channels of credentials.yml, the fake WeChat server, Redis on 127.0.0.1 and nginx; no model needed.
test-security: $(RASA_VENV)/.installed $(COURT_VENV)/.installed $(FUZZ_VENV)/.installed nginx
	$(RASA_VENV)/bin/python -m pytest tests/security/channels -q
	$(COURT_VENV)/bin/python -m pytest tests/security/backend -q
	$(FUZZ_VENV)/bin/python -m deploy.fuzz --quick

# schemathesis against a running backend's /api/v1/openapi.json as a litigant and as staff
# (deploy/fuzz.py): FUZZ_MAX_EXAMPLES per operation (default 100: over 10,000 cases in all);
# fails on any server error or response the document does not describe. Output in results/fuzz/.
fuzz: $(COURT_VENV)/.installed $(FUZZ_VENV)/.installed
	$(FUZZ_VENV)/bin/python -m deploy.fuzz --min-cases 10000

test-rasa: install $(MODEL)
	$(RASA) test core --stories tests/stories --model $(MODEL) --fail-on-prediction-errors --out results/core

test-e2e: install pdf-font $(MODEL)
	$(RASA_VENV)/bin/python -m pytest tests/e2e -q

test-browser: install web chromium pdf-font $(MODEL)
	$(RASA_VENV)/bin/python -m pytest tests/browser -q

# The production profile against the real PostgreSQL, Redis and RabbitMQ (two replicas, nginx),
# the backend in production mode with its providers' fakes (codes from the fake Aliyun, fees paid
# through the fake WeChat Pay).
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

# The clerks' labels from the staff console's NLU inbox → data/nlu/inbox.yml (the backend's database,
# COURT_DATABASE_URL; tests/nlu and tests/nlu-voice2 are never written to). Then `make validate train`.
nlu-inbox-export: $(COURT_VENV)/.installed
	$(COURT_VENV)/bin/python scripts/nlu_inbox_export.py

# The dashboard's queries on a generated year on PostgreSQL (database court_bench_dashboard, made anew):
# milliseconds per query, printed (figures in the README). BENCH_ARGS="--per-day 40" for more.
bench-dashboard: $(COURT_VENV)/.installed
	$(COURT_VENV)/bin/python -m bench.dashboard $(BENCH_ARGS)
# Whole conversations under load (issue 11): 1, 10 and 50 at once against the embedded profile and the
# production profile with 1, 2 and 3 replicas; p50/p95/p99, turns/s, errors, lost turns and transcript
# events. BENCH_ARGS="--levels 1,10,50,200 --soak 600" adds 200 and a 10-minute soak of 100 conversations
# on production:2 with the memory of Rasa, the backend and the action server sampled (bench/load.py).
bench-load: install nginx pdf-font $(MODEL)
	$(RASA_VENV)/bin/python -m bench.load $(BENCH_ARGS)
# CPU ms per complaint PDF (issue 11: ≤ 50 ms): first render (parses the font) and the median after it.
bench-pdf: $(COURT_VENV)/.installed pdf-font
	PYTHONPATH=. $(COURT_VENV)/bin/python bench/complaint_pdf.py

# Backend CPU ms per filing and filings/s on PostgreSQL with 1 and 2 worker processes (bench/README.md).
bench-filings: $(COURT_VENV)/.installed pdf-font
	COURT_BENCH_PG_DB=$${COURT_BENCH_PG_DB:-court_bench_filings} bench/run.sh --backends postgresql --filings-only --workers 1,2 $(BENCH_ARGS)

clean:
	rm -rf models results var
