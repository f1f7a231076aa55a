# Vigie: the README's two commands, 'make demo' and 'make test', work from a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The domain model is tested in an environment with no Qt, no MQTT and no SQL library installed.
DOMAIN_VENV ?= .venv-domain

.PHONY: demo test test-domain lint soak bench translations screenshots clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $@

# The domain runs on the standard library and one pure-computation library, astral (the sun's
# times: tests/domain/test_domain_is_plain.py's ALLOWED), and nothing else of the project's. Its
# tests also use hypothesis (generated tables for k-anonymity), a test tool like pytest.
$(DOMAIN_VENV)/.installed-stamp: Makefile
	$(PYTHON) -m venv $(DOMAIN_VENV)
	$(DOMAIN_VENV)/bin/python -m pip install --quiet pytest 'hypothesis>=6.100' 'astral>=3.2,<4'
	touch $@

venv: $(STAMP)

# The system libraries Qt loads are checked first: it names every missing one and its package.
demo: $(STAMP)
	$(BIN)/python -m console.tools.system_libraries
	$(BIN)/vigie demo

# pdftotext (Debian's poppler-utils, which .ci/run installs): the daily report's tests read its PDF.
test: $(STAMP) test-domain
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m console.tools.system_libraries
	@command -v pdftotext >/dev/null || { echo "make test: pdftotext is missing: apt-get install poppler-utils" >&2; exit 1; }
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m 'not soak'

test-domain: $(DOMAIN_VENV)/.installed-stamp
	PYTHONPATH=. $(DOMAIN_VENV)/bin/python -m pytest -p no:cacheprovider \
		--confcutdir=tests/domain -o addopts='' \
		-W ignore::pytest.PytestConfigWarning tests/domain

soak: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m soak

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Extract every translatable string into the .ts catalogues, then translate them with
# pyside6-linguist (or by hand). Vigie compiles them itself on first use (console/text/i18n.py).
TS_FILES := resources/translations/vigie_fr.ts
translations: $(STAMP)
	$(BIN)/pyside6-lupdate -locations none -no-obsolete $$(find console widgets -name '*.py' | sort) -ts $(TS_FILES)

# Render the console offscreen on a simulated Dijon into docs/screenshots (for the README).
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m console.tools.screenshots docs/screenshots

clean:
	rm -rf $(VENV) $(DOMAIN_VENV) build *.egg-info
