# giftwatch: `make demo` sets up and runs the main job; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= giftwatch.db
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup demo test bench bench-quotes lock clean

$(BIN)/giftwatch: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

setup: $(BIN)/giftwatch  ## create the venv with the pinned dependencies

demo: setup  ## ingest the bundled sample articles into SQLite and show what was found
	$(BIN)/giftwatch ingest samples/ --db $(DB)
	@echo; echo "== Gifts =="; $(BIN)/giftwatch gifts --db $(DB)
	@echo; echo "== Donors =="; $(BIN)/giftwatch donors --db $(DB) --limit 10
	@echo; echo "== A donor's profile =="; $(BIN)/giftwatch donor "Harold Brandt" --db $(DB)
	@echo; echo "== Quotes =="; $(BIN)/giftwatch quotes --db $(DB) --limit 12
	@echo; echo "== Web UI: http://127.0.0.1:8000 (Ctrl-C to stop) =="; $(BIN)/giftwatch serve --db $(DB)

test: setup  ## run the whole test suite
	$(BIN)/python -m pytest -q

bench: setup  ## articles/second and peak memory on ../shared/corpus
	$(BIN)/python bench/bench.py

bench-quotes: setup  ## giftwatch's quotes side by side with textacy 0.13 and sayswho 0.1.4 on ../shared/gold
	$(BIN)/pip install --quiet --require-hashes -r requirements-bench.lock
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-bench-nodeps.txt
	$(BIN)/python bench/quotes_compare.py

lock:  ## re-pin requirements.lock from requirements.in
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras -o requirements.lock requirements.in

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
