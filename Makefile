# Tiaojie — the two commands that matter: `make run` and `make test`.
GO        ?= go
BIN       := bin/tiaojie
# An execution count, not a duration: with a duration Go 1.26's fuzz
# coordinator can report "context deadline exceeded" at the deadline on a
# busy machine (go.dev/issue/75804, fixed in Go 1.27) — a false failure.
FUZZTIME  ?= 20000x
# Packages with fuzz targets (make fuzz runs each target for FUZZTIME).
FUZZ_PKGS := ./...

.PHONY: run build test test-race test-embedded load test-faults services unit lint fmt generate bench fuzz clean web web-check web-test

## run: build and start the server on the embedded default (SQLite + in-process Redis, demo data) on :8080
run: build
	./$(BIN) serve

build:
	$(GO) build -o $(BIN) ./cmd/tiaojie

## test: start MariaDB and Redis if needed, then every test (unit, integration, race), the end-to-end suites again
## on the embedded default (SQLite + in-process Redis), and a short fuzz pass. The three passes run side by side
## (each test mostly waits on MariaDB, Redis, timers or the browser: one pass alone keeps the two cores ~40% busy);
## each pass's output is printed whole when it ends (-Otarget), and any failure fails the target.
test: services web-test
	$(MAKE) --no-print-directory -j3 -Otarget test-race test-embedded fuzz

## test-race: every package's tests under the race detector, on MariaDB and Redis (the browser journeys run in test-embedded)
test-race:
	$(GO) test -race -count=1 -timeout 20m -skip '$(BROWSER_TESTS)' ./...

## test-embedded: the end-to-end suites of cmd/tiaojie on the embedded default instead of MariaDB and Redis
## (TIAOJIE_TEST_BACKEND=embedded; every exchange is checked against openapi.yaml on both), and the browser
## journeys (Chromium against a server on the embedded default). Without -race: the same server code ran under
## the race detector in the pass before, and the embedded parts (infra/redis, the SQLite store) have their own
## -race tests there; the detector would double this pass for no new finding.
test-embedded:
	TIAOJIE_TEST_BACKEND=embedded $(GO) test -count=1 -timeout 20m -skip 'Fault' ./cmd/tiaojie

# The browser tests: they run once, in test-embedded (their servers are on the embedded default either way).
BROWSER_TESTS := Journey|TestBrowsersSeeEachOther

# The staff console (web/): Node is needed only to rebuild it; its built files
# are committed and embedded, so `make run` needs Go alone. In CI (CI=true)
# a missing npm is a failure, elsewhere the web steps are skipped.
NPM_GUARD = if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$CI" = true ]; then echo "npm is required in CI" >&2; exit 1; fi; \
	  echo "npm not found: web steps skipped" >&2; exit 0; fi

## web: rebuild the staff console and the H5 app (web/h5, into web/h5/dist): npm ci, API types from openapi.yaml (generated, not committed: types leave no
## trace in the built files, so a contract change fails the type check here rather than a stale-file check), vue-tsc,
## vite build into web/console/dist (committed)
web:
	@$(NPM_GUARD); set -e; cd web; \
	  npm ci --no-audit --no-fund; \
	  npm run --silent generate -w @tiaojie/shared; \
	  npx vue-tsc --noEmit -p console/tsconfig.json; \
	  npm run --silent build -w @tiaojie/console; \
	  npx vue-tsc --noEmit -p h5/tsconfig.json; \
	  npm run --silent build -w @tiaojie/h5

## web-check: make web, then fail if the committed build differs from what the sources make
web-check: web
	@changed=$$(git status --porcelain -- web/console/dist web/console/src/components.d.ts web/h5/dist web/h5/src/components.d.ts); \
	if [ -n "$$changed" ]; then echo "The committed console or H5 build is stale; run make web and commit:"; echo "$$changed"; exit 1; fi

## web-test: the console's and the H5 app's Vitest suites (stores and components); the journeys run in go test ./cmd/tiaojie
web-test:
	@$(NPM_GUARD); set -e; cd web; \
	  [ -d node_modules ] || npm ci --no-audit --no-fund; \
	  npm run --silent generate -w @tiaojie/shared; \
	  npm run --silent test -w @tiaojie/console; \
	  npm run --silent test -w @tiaojie/h5

## load: the load mix against the real server on MariaDB and Redis (LOAD_RATE filings/s, LOAD_SECONDS); prints a Markdown table
load: services
	$(GO) test -run '^$$' -bench BenchmarkLoadMix -benchtime 1x -count=1 -v ./cmd/tiaojie

## test-faults: the fault tests alone (the real binary killed, Redis restarted; make test runs them too)
test-faults: services
	$(GO) test -count=1 -run 'Fault' -v ./cmd/tiaojie

## services: install (apt-get) and start MariaDB and Redis when they are absent; idempotent
services:
	./scripts/services.sh

## unit: the tests that need no MariaDB or Redis
unit:
	$(GO) test -short -count=1 ./...

## lint: gofmt, go vet, and the generated client compiles
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

## generate: regenerate the Go client from openapi.yaml
generate:
	$(GO) generate ./...

## bench: benchmarks against the real MariaDB and Redis; figures go to docs/PERFORMANCE.md
bench: services
	$(GO) test -run '^$$' -bench . -benchmem -count=1 -timeout 30m ./...

## fuzz: run every fuzz target for FUZZTIME
fuzz:
	@set -e; for pkg in $$($(GO) list $(FUZZ_PKGS)); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$target"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg >/tmp/tiaojie-fuzz.log 2>&1 || { cat /tmp/tiaojie-fuzz.log; exit 1; }; \
	  done; \
	done

clean:
	rm -rf bin data
