#!/usr/bin/env bash
# Side-by-side benchmark against Debian's node_exporter, measured in one run on this machine:
# coverage, single-client latency, 4-client throughput and resident memory.
#   scripts/benchmark.sh [extra exporter flags]
# Prints the figures and ratios; targets: latency <= 1/4 of node_exporter's (ratio >= 4),
# throughput >= 4x, resident memory <= 1/2 (ratio >= 2).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
swift build -c release --static-swift-stdlib --product nimbus_exporter >&2
tool=${VS_NODE_EXPORTER:-../shared/tools/vs-node-exporter}
[ -x "$tool" ] || { echo "vs-node-exporter not found at $tool (set VS_NODE_EXPORTER)" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
.build/release/nimbus_exporter --web.listen-address=127.0.0.1:$port --log.level=warn "$@" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/-/healthy" >/dev/null && break; sleep 0.1; done
echo "nimbus_exporter $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, kernel $(uname -r)"
"$tool" "http://127.0.0.1:$port/metrics" --pid "$pid" ${BENCH_JSON:+--json "$BENCH_JSON"}
