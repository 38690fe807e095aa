# Every target installs what it needs first: `make demo` and `make test` work on a fresh machine.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SAMPLE := samples/000_1aa1127573d74705.txt

.PHONY: install demo test test-corpus lint bench bench-large eval geography train

install: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[dev,serve,dask,build-data]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/entityx extract $(SAMPLE)

test: $(STAMP)
	$(PY) -m pytest -m "not corpus"

# Tests that need ../shared (WiNER-fr, the reference scorer).
test-corpus: $(STAMP)
	$(PY) -m pytest -m corpus

lint: $(STAMP)
	$(VENV)/bin/ruff check entityx tests bench tools training

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) bench/run.py
	$(PY) bench/dates_vs_dateparser.py
	$(PY) bench/serve.py
	$(PY) bench/cluster.py
	$(PY) bench/model.py
	$(PY) bench/explore.py

# Peak RSS and time of `entityx extract` on one 5, 20 and 50 MB file (long: minutes per size).
bench-large: $(STAMP)
	$(PY) bench/large_file.py --sizes 5,20,50

# The cross-validated figures of the shipped model (entityx/models/cv.json, from make train).
eval: $(STAMP)
	$(PY) training/report.py

# Rebuild entityx/data/geography.json from CLDR, ISO 3166 and GeoNames (offline, installed packages).
geography: $(STAMP)
	$(PY) tools/build_geography.py

# Rebuild entityx's NER (entityx/models/ner), its confidence calibration and its
# cross-validated figures (entityx/models/cv.json) from training/corpus, tests/devset and
# ../shared/eval/winer-fr-2016.jsonl: fixed seed, two trainings at a time, about 17 minutes.
train: $(STAMP)
	$(PY) training/train.py
