#!/usr/bin/env bash
# Runs the whole test suite: unit tests, fixture and golden tests, the live-host tests, and the
# end-to-end tests against real promtool, node_exporter and Prometheus.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
swift build --build-tests
# Swift Testing runs suites in parallel; the end-to-end suites start servers on free ports.
swift test --skip-build "$@"
