.PHONY: setup run test lint docs bench clean
SHELL := /bin/bash

setup:
	@scripts/setup.sh

run: setup
	@scripts/run.sh

test: setup
	@scripts/test.sh

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-logo
	.venv/bin/mypy officeline

docs: setup
	NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --site-dir var/site

bench: setup
	.venv/bin/python -m bench $(BENCH)

clean:
	rm -rf .venv .tools var/*.sqlite3*
