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
# SIMD is GOEXPERIMENT=simd where the toolchain builds the vectorized
# officials kernel (Go 1.26+ with the simd experiment), else empty: `make
# build` and `make run` then build the scalar twin, which gives the same
# bits. `entrench version` says which kernel runs (avx512, avx2 or scalar).
SIMD     ?= $(shell GOEXPERIMENT=simd $(GO) build -o /dev/null ./agents >/dev/null 2>&1 && echo GOEXPERIMENT=simd)

.PHONY: all build run test test-simd test-full test-slurm bench fuzz lint fmt vet clean docs man example-r mutants

all: build

build:
	$(SIMD) $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/entrench
	@./$(BIN) version

run: build
	./$(BIN) run baseline $(if $(RUNS),--runs $(RUNS),)

test:
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 20m $(PKGS)

# The vectorized build's tests: the kernel's bit identity with the scalar
# twin at every width the machine has (AVX-512, AVX2), and the golden runs
# (written by the scalar build) reproduced byte for byte.
test-simd:
	GOEXPERIMENT=simd $(GO) vet ./agents ./sim
	GOEXPERIMENT=simd $(GO) test -count=1 -run 'Kernel|Builds|Golden' ./agents ./sim ./philox ./cmd/entrench

# Full statistical counts (five times the replicates; about a minute on 2 cores).
test-full:
	ENTRENCH_FULL=1 $(GO) test -count=1 -timeout 120m $(PKGS)

# The Slurm integration test alone, starting a local single-node Slurm.
test-slurm:
	bash .ci/slurm-up.sh
	$(GO) test -count=1 -run 'TestSlurmShardMerge|TestSlurmCalibrationChain' -v ./cmd/entrench

# BenchmarkKernels reports the tick per official with the kernel of the
# fast build, its scalar twin and the reference arithmetic, and their
# ratios, in one run.
bench:
	$(SIMD) $(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./sim/ ./agents/ ./philox/

# Mutation testing (slow: not part of `make test`). gremlins mutates every
# rule in agents/ and reports efficacy = killed/(killed+lived); then the
# engine's rule files in sim/ (step.go, levers.go, probe.go), leaving out
# the rest of the package. gremlins matches --exclude-files against paths
# relative to the folder it mutates (sim/step.go is "step.go"), hence the
# anchored bare names. GOFLAGS=-count=1 keeps go test from answering
# gremlins' coverage run from its cache: gremlins times every mutant's
# tests against that run (times --timeout-coefficient), and a cached run of
# half a second turned slow but correct tests into "timed out".
GREMLINS ?= $(GO) run github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
MUTANT_WORKERS ?= 1
mutants:
	GOFLAGS=-count=1 $(GREMLINS) unleash --workers $(MUTANT_WORKERS) --timeout-coefficient 10 ./agents
	GOFLAGS=-count=1 $(GREMLINS) unleash --workers $(MUTANT_WORKERS) --timeout-coefficient 10 \
		--exclude-files '^(aggregate|batch|compare|doc|ensemble|measures|model|result|summary|world)\.go$$' ./sim

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

# Regenerate every generated document: the CLI reference (docs/reference/cli),
# the man pages (docs/man), the scenario and experiment references and the
# parameter section of docs/ODD.md. TestDocsUpToDate (in make test) fails
# when a committed file differs from what this writes.
docs:
	$(GO) run ./cmd/entrench gendocs .

# The man pages are regenerated with the rest; read one with
# man ./docs/man/entrench-run.1
man: docs

# The R example: a fresh run of tiny, then docs/examples/fan_chart.R draws
# its cooperation fan chart (needs Rscript, e.g. apt-get install r-base-core).
EXAMPLE_OUT ?= out/example-r
example-r: build
	./$(BIN) run tiny --runs 20 --no-figures --quiet --out $(EXAMPLE_OUT)
	Rscript docs/examples/fan_chart.R $(EXAMPLE_OUT) $(EXAMPLE_OUT)/cooperation_fan_r.png

clean:
	rm -rf bin out
