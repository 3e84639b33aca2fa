# Grindstone: `just` lists the recipes.
set shell := ["bash", "-euo", "pipefail", "-c"]

py := justfile_directory() / ".venv/bin/python"

# list the recipes
default:
    @just --list

# install everything the project needs (idempotent): Python env from uv.lock, nginx
setup:
    #!/usr/bin/env bash
    set -euo pipefail
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    command -v uv >/dev/null || python3 -m pip install -q uv
    UV_PYTHON_DOWNLOADS=never uv sync --frozen --quiet
    if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx >/dev/null
    fi

# run the whole system on http://127.0.0.1:${GRINDSTONE_PORT:-8000} until Ctrl+C
up: setup
    {{py}} -m grindstone_cli up

# run the grindstone command line, e.g. `just grindstone token --role operator`
grindstone *ARGS: setup
    {{py}} -m grindstone_cli {{ARGS}}

# the whole test suite: unit, integration and end-to-end, then the pages' scripts
test: setup
    {{py}} -m pytest
    node --test tests/web/

test-unit: setup
    {{py}} -m pytest tests/unit

# format and lint
fmt:
    .venv/bin/ruff format .
    .venv/bin/ruff check --fix .

lint:
    .venv/bin/ruff format --check .
    .venv/bin/ruff check .
    .venv/bin/mypy

# regenerate events/schemas and events/samples (a review point: additive diffs only, or a bump)
events-schema:
    {{py}} -m scripts.events_schema

# HumanEval through the whole system (164 right, 164 wrong, 164 forging): path to humaneval.jsonl
humaneval dataset="tests/data/humaneval.jsonl": setup
    {{py}} -m scripts.humaneval_run {{dataset}}

# end-to-end load: submit -> push latency and graded submissions per second
bench students="50" per_student="10": setup
    {{py}} -m bench.e2e --students {{students}} --per-student {{per_student}}

# the sandbox's cost per job against a fresh interpreter per job, and HumanEval through it
bench-sandbox jobs="300": setup
    {{py}} -m bench.sandbox --jobs {{jobs}}
