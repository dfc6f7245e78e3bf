#!/usr/bin/env bash
# make bench: apply / plan / no-op apply / destroy of 1, 10 and 50 quickstart-shaped stacks
# against the bundled emulator; prints the table and writes bench-results/<timestamp>.json.
# `bash scripts/bench.sh compare [OLD.json NEW.json]` compares two runs (default: the two newest).
# The provider is built by the bench itself into .build/bench/mirror (its own CLI config).
# Knobs (see BENCHMARKS.md): BENCH_SIZES=1,10,50 BENCH_REPEAT=1 BENCH_PARALLELISM=10
# BENCH_CREATE_DELAY=20 BENCH_OUT=bench-results BENCH_STRICT=1.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS=-buildvcs=false
exec go run ./internal/bench "$@"
