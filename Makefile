# Build, check, serve and test the site. Everything a fresh Debian 12 machine
# (Python 3.11, make, apt) lacks is installed here, each step only when needed,
# so that CI (`.ci/run`, CI=true, no stdin) and developers share one path.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Extra arguments for build.py, e.g. `make serve ARGS="--port 8001"`.
ARGS ?=
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k search"`.
PYTEST_ARGS ?=
# The suite runs in one process a core (pytest-xdist), each test file whole in
# one of them, so a module's built site is still built once: on two cores the
# suite takes about 6 minutes instead of 9. `make test WORKERS=0` runs it in
# this process alone (a debugger, or one test's output in order).
WORKERS ?= auto

# CI runs as root with no sudo installed; a developer may not be root.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# The lock timeout waits out a concurrent apt (e.g. unattended-upgrades)
# instead of failing on it.
APT_GET := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export npm_config_update_notifier := false
export npm_config_fund := false
export npm_config_audit := false

RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
NODE_STAMP := node_modules/.installed
CMS_STAMP := node_modules/decap-cms/dist/decap-cms.js

.PHONY: build check serve bench test lint format messages system-deps clean distclean

# An archive whose site.yaml switches on the editors' interface (`cms:`) needs
# Decap CMS from npm, copied into public/admin/ by the build.
CMS_ON := $(shell grep -qs '^cms:' content/site.yaml && echo yes)

build: $(RUNTIME_STAMP) $(if $(CMS_ON),$(CMS_STAMP))
	$(PY) build.py build $(ARGS)

check: $(RUNTIME_STAMP)
	$(PY) build.py check $(ARGS)

serve: $(RUNTIME_STAMP) $(if $(CMS_ON),$(CMS_STAMP))
	$(PY) build.py serve $(ARGS)

bench: $(DEV_STAMP)
	$(PY) -m bench $(if $(N),--claims $(N))
	$(PY) -m bench.crowded

# After changing the interface's words in templates or site_builder/: refresh
# the catalogue template and merge it into every translation (new words come
# in untranslated; tests/test_i18n.py then names what still needs translating).
messages: $(RUNTIME_STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -c Translators: --no-location --sort-output \
	  --project "site_builder" -o site_builder/locales/messages.pot .
	$(VENV)/bin/pybabel update -i site_builder/locales/messages.pot -d site_builder/locales --no-fuzzy-matching --ignore-obsolete

test: lint $(DEV_STAMP) system-deps $(NODE_STAMP)
	$(PY) -m pytest $(if $(filter 0,$(WORKERS)),,-n $(WORKERS) --dist loadfile) $(PYTEST_ARGS)

# pyproject.toml says how the code is laid out and checked; `make format` lays it out so.
lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(DEV_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Debian's own python3 has no ensurepip until python3-venv is installed; a
# failed attempt leaves a half-made venv behind, hence the rm before retrying.
$(PY):
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV) || { \
	  rm -rf $(VENV); \
	  echo "python3 -m venv failed; installing python3-venv"; \
	  $(APT_GET) update && $(APT_GET) install -y python3-venv; \
	  $(PYTHON) -m venv $(VENV); \
	}

# The stamps live inside .venv so that recreating the venv reinstalls.
# Pillow's wheel shapes Arabic-script text (share images of Dari, Pashto and
# Arabic claims) only if the system's FriBiDi library is there to load.
$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -c "from PIL import features; raise SystemExit(not features.check('fribidi'))" 2>/dev/null || { \
	  echo "Installing libfribidi0 for right-to-left text in share images"; \
	  $(APT_GET) update && $(APT_GET) install -y libfribidi0; \
	}
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

# Chromium comes from Debian because `playwright install` downloads from a host
# this machine cannot reach. The checks make this a no-op when all is present.
system-deps:
	@pkgs=(); \
	[ -x /usr/bin/chromium ] || pkgs+=(chromium); \
	command -v java >/dev/null || pkgs+=(default-jre-headless); \
	command -v npm >/dev/null || pkgs+=(nodejs npm); \
	if [ $${#pkgs[@]} -gt 0 ]; then \
	  echo "Installing system test tools: $${pkgs[*]}"; \
	  $(APT_GET) update; \
	  $(APT_GET) install -y "$${pkgs[@]}"; \
	fi

# --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime
# from a host we cannot reach; we run vnu.jar with the system java instead.
$(NODE_STAMP): package.json package-lock.json | system-deps
	npm ci --ignore-scripts
	touch $@

# Only the CMS (package.json's dependencies), not the test tools, for `make build`.
$(CMS_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Installing npm for the editors' interface (site.yaml has cms)"; \
	  $(APT_GET) update && $(APT_GET) install -y nodejs npm; }
	npm ci --ignore-scripts --omit=dev
	rm -f $(NODE_STAMP)  # the test tools went with --omit=dev: `make test` puts them back
	touch $@

clean:
	rm -rf public .preview .pytest_cache .hypothesis
	find . \( -path ./.venv -o -path ./node_modules -o -path ./.git \) -prune \
	  -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules bench/corpus
