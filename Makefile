# GenAI observability deck — the project's commands. Prerequisites: Python 3.11+,
# Terraform 1.7+. Everything else is installed into .venv / .venv-checkov by `make venv`.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

ENV := scripts/env.sh
PY  := .venv/bin/python
ZIP := dist/genai_observability.zip
LAYER := dist/genai_observability_layer.zip

.PHONY: help venv test demo package layer bench lint fmt clean

help: ## List the targets.
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

venv: ## Create/update .venv and .venv-checkov from the pinned requirements.
	@scripts/bootstrap.sh

test: venv ## Run every check (ruff, pytest, terraform fmt/validate/test, emulator apply, checkov).
	@$(ENV) $(PY) scripts/check.py $(if $(STEPS),--only $(STEPS),)

demo: venv ## Build the Lambda zip, apply examples/complete to an embedded AWS emulator and report spend/latency.
	@$(ENV) $(PY) scripts/demo.py

package: venv ## Build the deterministic Lambda zip at dist/genai_observability.zip (genai-obs package; BYTECODE=1 adds the bytecode).
	@$(ENV) $(PY) -m genai_observability.cli package $(ZIP) $(if $(BYTECODE),--bytecode,)

layer: venv ## Build the deterministic Lambda layer at dist/genai_observability_layer.zip (genai-obs package --layer; BYTECODE=1 adds the bytecode).
	@$(ENV) $(PY) -m genai_observability.cli package --layer $(LAYER) $(if $(BYTECODE),--bytecode,)

bench: venv ## Benchmark the emit path, and instrument_all() and the layer's cold start, side by side; then today's spend from the logs vs the metrics, as data grows.
	@$(ENV) $(PY) bench/bench_emit.py
	@$(ENV) $(PY) bench/bench_instrument.py
	@$(ENV) $(PY) bench/bench_spend.py

lint: venv ## ruff check + format check.
	@$(ENV) $(PY) scripts/check.py --only ruff,fmt

fmt: venv ## Format Python (ruff) and Terraform (terraform fmt).
	@.venv/bin/ruff format . && .venv/bin/ruff check --fix . && terraform fmt -recursive

clean: ## Remove venvs, build output and Terraform working files.
	rm -rf .venv .venv-checkov build dist
	find . -name .terraform -type d -prune -exec rm -rf {} + ; find . -name '.terraform.lock.hcl' -delete
