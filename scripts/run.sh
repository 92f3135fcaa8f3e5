#!/usr/bin/env bash
# Builds a release binary and runs the exporter with its defaults (listening on :10049).
# Extra arguments are passed to the exporter, e.g. scripts/run.sh --web.listen-address=127.0.0.1:10049
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
swift build -c release --static-swift-stdlib --product nimbus_exporter >&2
exec .build/release/nimbus_exporter "$@"
