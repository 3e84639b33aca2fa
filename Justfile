# Grindstone: `just` lists the recipes.
set shell := ["bash", "-euo", "pipefail", "-c"]

py := justfile_directory() / ".venv/bin/python"

# list the recipes
default:
    @just --list

# install everything the project needs (idempotent): Python env, Debian's nginx and chromium, web/dist
setup:
    #!/usr/bin/env bash
    set -euo pipefail
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    # uv as a module of the python3 that installed it (its script may not be on PATH), trusting
    # the system's certificates as pip does
    python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install -q uv
    UV_NATIVE_TLS=1 UV_PYTHON_DOWNLOADS=never python3 -m uv sync --frozen --quiet
    missing=()
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    if [ ${#missing[@]} -gt 0 ]; then
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    if [ -f web/package-lock.json ]; then
        command -v npm >/dev/null || { echo "the site needs Node 20 and npm" >&2; exit 1; }
        # npm ci writes node_modules/.package-lock.json: older than the lock means stale
        if [ ! -f web/node_modules/.package-lock.json ] \
            || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
            npm ci --prefix web --no-audit --no-fund --loglevel=error
        fi
        npm --prefix web run build --silent >/dev/null
    fi

# run the whole system on http://127.0.0.1:${GRINDSTONE_PORT:-8000} until Ctrl+C
up: setup
    {{py}} -m grindstone_cli up

# production configuration on http://127.0.0.1:${GRINDSTONE_PORT:-8080}: REPLICAS of each HTTP service, 2 graders, 3 NATS nodes; data in ${GRINDSTONE_DATA:-.grindstone/prod}
prod replicas="2": setup
    GRINDSTONE_DATA="${GRINDSTONE_DATA:-.grindstone/prod}" {{py}} -m grindstone_cli up --prod --replicas {{replicas}}

# screenshots of the student's pages at desktop and phone widths, and the staff pages (PNG files in OUT)
screenshots out="docs/screenshots": setup
    {{py}} -m scripts.screenshots --out {{out}}

# run the grindstone command line, e.g. `just grindstone token --role operator`
grindstone *ARGS: setup
    {{py}} -m grindstone_cli {{ARGS}}

# the whole test suite: unit, integration, end-to-end and browser, then the site's unit tests
test: setup
    {{py}} -m pytest
    npm --prefix web test
    npm --prefix web run check --silent

# regenerate web/src/lib/api-types.ts from the APIs' OpenAPI documents
api-types: setup
    {{py}} -m tools.api_types

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

# k6 load tests on the dev and prod configurations beside same-run baselines: PERFORMANCE.md and plots (--quick: a trial)
bench *ARGS: setup
    {{py}} -m bench.perf {{ARGS}}

# end-to-end load in Python: submit -> push latency and graded submissions per second
bench-e2e students="50" per_student="10": setup
    {{py}} -m bench.e2e --students {{students}} --per-student {{per_student}}

# an ungraded run's latency through the page (click Run -> output shown, stdin and call runs) beside the same runs by HTTP and a GET round trip
bench-run-latency runs="30": setup
    {{py}} -m bench.run_latency --runs {{runs}}

# `grindstone audit verify` events/s on a stream it builds, against just reading the stream
bench-audit events="100000": setup
    {{py}} -m bench.audit_verify --events {{events}}

# `grindstone replay` events/s on a stream it builds, against reading it and the live projector
bench-replay events="100000": setup
    {{py}} -m bench.replay --events {{events}}

# the /ops/ page's reads (summary figures, live feed) on a read model it fills, against a count(*)
bench-ops submissions="100000": setup
    {{py}} -m bench.ops_summary --submissions {{submissions}}

# events tail, status and the HTTP metrics' cost per request, each beside a baseline from the same run
bench-operators events="100000": setup
    {{py}} -m bench.operators --events {{events}}

# a student's submission latency (p50/p99) idle and while a re-grade of 10 000 runs
bench-regrade regrades="10000" students="30": setup
    {{py}} -m bench.regrade_priority --regrades {{regrades}} --students {{students}}

# the sandbox's cost per job against a fresh interpreter and the fork floor, the boundary's costs, HumanEval through it
bench-sandbox jobs="300": setup
    {{py}} -m bench.sandbox --jobs {{jobs}}
    {{py}} -m bench.boundary
