# entrench: build, run, test.
# `make run` builds the binary and runs the built-in baseline into out/.
# `make test` runs every test (reduced statistical counts; FULL=1 for full).

GO       ?= go
BIN      := bin/entrench
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
PKGS     := ./...
FUZZTIME ?= 30s
RUNS     ?=

.PHONY: all build run test test-full test-slurm bench fuzz lint fmt vet clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/entrench

run: build
	./$(BIN) run baseline $(if $(RUNS),--runs $(RUNS),)

test:
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 20m $(PKGS)

# Full statistical counts (five times the replicates; about a minute on 2 cores).
test-full:
	ENTRENCH_FULL=1 $(GO) test -count=1 -timeout 120m $(PKGS)

# The Slurm integration test alone, starting a local single-node Slurm.
test-slurm:
	bash .ci/slurm-up.sh
	$(GO) test -count=1 -run 'TestSlurmShardMerge|TestSlurmCalibrationChain' -v ./cmd/entrench

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./sim/ ./agents/

# Every fuzz target, each for FUZZTIME (go test -fuzz takes one target at a
# time).
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./scenarios/
	$(GO) test -run '^$$' -fuzz '^FuzzOverride$$' -fuzztime $(FUZZTIME) ./scenarios/
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./sweep/
	$(GO) test -run '^$$' -fuzz '^FuzzJournal$$' -fuzztime $(FUZZTIME) ./sweep/
	$(GO) test -run '^$$' -fuzz '^FuzzSettings$$' -fuzztime $(FUZZTIME) ./lab/
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./calibrate/

lint: vet
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin out
