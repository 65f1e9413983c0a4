# make run  : set up .venv (when missing or out of date), check that the system has the
#             libraries Qt's window needs (Linux: names the Debian packages), start the application
# make test : same set-up, then the whole test suite headless
# make bundle : build the one-folder application into dist/ and smoke-test the built programs
# make wheel-check : build the wheel, install it into a fresh venv and run it
# make installer : the Windows installer (NSIS) from the bundle; installer-check compiles it anywhere
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench bundle wheel-check installer installer-check lint clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,postgres]'
	@touch $(STAMP)

run: $(STAMP)
	@$(PY) -m cchc_desktop.qt_check
	$(PY) -m cchc_desktop $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) bench/bench_tasks.py

bundle: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[bundle]'
	$(PY) build/build.py --smoke

wheel-check: $(STAMP)
	$(PY) build/check_wheel.py

installer: bundle
	$(PY) build/installer.py

installer-check: $(STAMP)
	$(PY) build/installer.py --check

lint: $(STAMP)
	$(PY) -m pip install --quiet ruff
	$(VENV)/bin/ruff check cchc_desktop tests bench

clean:
	rm -rf $(VENV) dist build/work .pytest_cache
