# ivhgen: make help lists the targets.
GO          ?= go
# staticcheck is pinned (v0.8.2) as a tool of the separate module in
# internal/tools, so ivhgen's go.mod stays free of it and go tool caches
# the built binary.
STATICCHECK := $(GO) tool -modfile=internal/tools/go.mod staticcheck
FUZZTIME    ?= 10s

.PHONY: help generate check-generate test test-otel fmt-check vet lint bench bench-micro bench-report bench-jobs fuzz

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

generate: ## rewrite the runtime facades from runtime/internal/core, then generated/ivh from spec/
	$(GO) generate ./runtime/ivhrt
	$(GO) generate ./generated/...

check-generate: ## fail when generated/ is stale
	$(GO) run ./cmd/ivhgen -check

fmt-check: ## fail when gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt wants to rewrite:"; echo "$$out"; exit 1; fi

vet: ## go vet
	$(GO) vet ./...

lint: fmt-check vet ## gofmt, go vet and staticcheck (pinned)
	$(STATICCHECK) ./...

test: lint ## the one test command: lint, race tests, stale-code check
	$(GO) test -race -count=1 $$($(GO) list ./... | grep -v '/runtime')
	$(GO) test -race -count=2 ./runtime/... # TEST-2: the runtime runs twice to shake out order dependence
	$(MAKE) test-otel
	$(MAKE) check-generate

test-otel: ## the nested OpenTelemetry module (runtime/ivhotel): vet and race tests
	cd runtime/ivhotel && $(GO) vet ./... && $(GO) test -race -count=1 ./...

bench: ## micro-benchmarks, then the report table (README "Performance")
	$(MAKE) bench-micro
	$(MAKE) bench-report
	$(MAKE) bench-jobs

bench-micro: ## the go test -bench micro-benchmarks beside the code
	$(GO) test -run '^$$' -bench . -benchmem ./...

bench-report: ## ivhgen vs oapi-codegen v2.8.2 and a hand-written client: one table
	GO=$(GO) $(GO) run ./internal/ivhbench

bench-jobs: ## jobs engine: 200 videos under quota 5 vs ceil(200/5)·T, with the naive and one-at-a-time baselines
	$(GO) run ./internal/jobsbench

fuzz: ## run each fuzz target for FUZZTIME
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done
