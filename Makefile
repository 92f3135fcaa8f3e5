# The two commands of the quick start, and a few more for development.
.PHONY: run test golden benchmark release

run:
	scripts/run.sh

test:
	scripts/test.sh

# Regenerates Tests/Fixtures/golden/host.prom from the fixture tree; review the diff.
golden:
	swift build --build-tests
	NIMBUS_UPDATE_GOLDEN=1 swift test --skip-build --filter GoldenOutputTests

release:
	swift build -c release --static-swift-stdlib --product nimbus_exporter

# Side-by-side figures against node_exporter on this machine.
benchmark:
	scripts/benchmark.sh
