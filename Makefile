# BranchScope developer commands. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SCALE ?= 1
# Two install levels, each remembered by a stamp named after the hash of its requirement files:
# `make run` installs what the app needs (requirements.txt); `make test`, `lint`, `bench` and
# `demo` install everything (requirements-dev.txt: tests, real district outlines, docs tooling).
RUN_STAMP := $(VENV)/.run-$(shell cat requirements.txt | sha1sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt requirements-geo.txt requirements-docs.txt | sha1sum | cut -c1-12)
export PYTHONPATH := $(CURDIR)

.PHONY: run test demo bench lint venv system-deps

$(RUN_STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.run-* && touch $(RUN_STAMP)

$(STAMP): requirements.txt requirements-dev.txt requirements-geo.txt requirements-docs.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* $(VENV)/.run-* && touch $(STAMP) $(RUN_STAMP)

venv: $(STAMP)

# Chromium for the browser tests and both CJK fonts the README names (the bulletin PDF tests
# run once per font) (Debian packages; needs root, as on CI).
system-deps:
	@command -v chromium >/dev/null && fc-list | grep -qi wqy && fc-list | grep -qi "noto.*cjk" || \
	  { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq chromium fonts-wqy-microhei fonts-noto-cjk >/dev/null; \
	    else echo "Tests need: sudo apt-get install chromium fonts-wqy-microhei fonts-noto-cjk"; fi; }

run: $(RUN_STAMP)
	$(PY) -m data.setup_db
	$(PY) -m streamlit run app.py --server.port 8501 --server.headless true

# The tests' temporary files in this checkout (not the machine-wide /tmp/pytest-of-$USER, whose
# old folders another pytest run on the machine may delete while this run still uses them).
test: venv system-deps
	mkdir -p var
	$(PY) -m pytest -n 2 --dist loadfile --durations=30 --basetemp=$(CURDIR)/var/pytest

demo: venv
	$(PY) -m data.demo --scale $(SCALE)

bench: venv
	$(PY) -m bench.all

# The documentation site is built strictly (a broken link or a bad docstring fails), into var/site.
lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --quiet --site-dir var/site
