# BranchScope developer commands. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SCALE ?= 1
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt requirements-geo.txt requirements-docs.txt | sha1sum | cut -c1-12)
export PYTHONPATH := $(CURDIR)

.PHONY: run test demo bench lint venv system-deps

$(STAMP): requirements.txt requirements-dev.txt requirements-geo.txt requirements-docs.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

# Chromium for the browser tests and both CJK fonts the README names (the bulletin PDF tests
# run once per font) (Debian packages; needs root, as on CI).
system-deps:
	@command -v chromium >/dev/null && fc-list | grep -qi wqy && fc-list | grep -qi "noto.*cjk" || \
	  { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq chromium fonts-wqy-microhei fonts-noto-cjk >/dev/null; \
	    else echo "Tests need: sudo apt-get install chromium fonts-wqy-microhei fonts-noto-cjk"; fi; }

run: venv
	$(PY) -m data.setup_db
	$(PY) -m streamlit run app.py --server.port 8501 --server.headless true

# The tests' temporary files in this checkout (not the machine-wide /tmp/pytest-of-$USER, whose
# old folders another pytest run on the machine may delete while this run still uses them).
test: venv system-deps
	mkdir -p var
	$(PY) -m pytest -n 2 --dist loadfile --basetemp=$(CURDIR)/var/pytest

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
