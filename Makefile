# KnowledgeTree. `make dev` runs the whole product; `make test` installs what the
# tests need and runs every test. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
BUN := node_modules/.bin/bun
# Bun's fetch holds back responses past 256 in flight; every streamed answer is one (server/platform/fetchLimit.ts).
FETCH_LIMIT := BUN_CONFIG_MAX_HTTP_REQUESTS=8192
NPM_STAMP := node_modules/.install-stamp

.PHONY: help install build dev start worker workers migrate schema test test-deps db-start db-stop typecheck format lint bench clean stripe-sync admin release deploy rollout rollback deploy-unlock backup-now restore-drill test-deploy drills load

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# flock: two make targets started at once must not run npm ci over each other.
# --loglevel=error: Node only runs npm and tsc here (Bun runs the product), so
# the `engines` warnings of packages written for Node 22/24 do not apply.
# npm ci runs the postinstall script: patch-package applies patches/ (fixes of
# our dependencies awaiting an upstream release; patches/README.md).
NPM_CI := npm ci --no-audit --no-fund --loglevel=error
$(NPM_STAMP): package.json package-lock.json $(wildcard patches/*.patch)
	@if command -v flock >/dev/null; then flock /tmp/knowledgetree-npm.lock $(NPM_CI); else $(NPM_CI); fi
	@touch $@

install: $(NPM_STAMP) ## Install dependencies (npm ci; Bun comes from the `bun` npm package)

# The web app is rebuilt only when what goes into it changed: its sources, its
# config, the installed packages, and the server files it imports at run time
# (type-only imports leave nothing in the bundle; scripts/webSources.test.ts
# fails when a runtime import from outside client/ is missing here).
WEB_BUILD := client/.output/server/entry-server.js
WEB_SOURCES := $(shell find client/src client/public -type f 2>/dev/null) client/vite.config.ts client/tsconfig.json \
  server/platform/sameSitePath.ts server/platform/scrub.ts
WATCHING := $(filter 1 true yes,$(WATCH))

$(WEB_BUILD): $(NPM_STAMP) $(WEB_SOURCES)
	cd client && ../$(BUN) --bun ../node_modules/.bin/vite build --logLevel warn
	@touch $@

build: $(WEB_BUILD) ## Build the web app into client/.output (only when its sources changed)

dev: $(NPM_STAMP) $(if $(WATCHING),,$(WEB_BUILD)) ## Run api + worker + web app; WATCH=1: Vite dev server with live reload instead of a build
	@KT_DEV_WATCH=$(WATCHING) $(BUN) scripts/dev.ts

start: build ## Run the api only (production-style; serves the web app)
	$(FETCH_LIMIT) $(BUN) server/main.ts

worker: $(NPM_STAMP) ## Run a worker process
	$(FETCH_LIMIT) $(BUN) jobs/main.ts

workers: $(NPM_STAMP) ## Run the worker supervisor (WORKERS_MIN..WORKERS_MAX workers scaled by queue depth)
	$(FETCH_LIMIT) $(BUN) jobs/supervisor.ts

migrate: $(NPM_STAMP) ## Apply pending migrations
	$(BUN) scripts/migrate.ts

stripe-sync: $(NPM_STAMP) ## Create/update the plans' Stripe Products and Prices (STRIPE_SECRET_KEY; idempotent)
	$(BUN) scripts/stripeSync.ts

admin: $(NPM_STAMP) ## Billing administration: make admin ARGS="show you@example.com" (see scripts/admin.ts)
	$(BUN) scripts/admin.ts $(ARGS)

test-deps: ## Install PostgreSQL 15 + pgvector, Chromium and nginx (idempotent)
	bash scripts/install-test-deps.sh

db-start: ## Start the project-local test cluster under .data/pg
	@bash scripts/pg-local.sh start

db-stop: ## Stop the project-local test cluster
	@bash scripts/pg-local.sh stop

schema: $(NPM_STAMP) db-start ## Regenerate sql/schema.sql from the migrations
	TEST_DATABASE_URL=$$(bash scripts/pg-local.sh url) $(BUN) scripts/dumpSchema.ts

typecheck: $(NPM_STAMP) ## Type-check the server, jobs, tests, benchmarks and the web app
	node_modules/.bin/tsc --noEmit -p .
	node_modules/.bin/tsc --noEmit -p client

format: $(NPM_STAMP) ## Format the code in place (Biome, configured in biome.json)
	node_modules/.bin/biome format --write .

lint: $(NPM_STAMP) ## Check formatting and lint rules (Biome) and find unused exports (knip)
	node_modules/.bin/biome check .
	node_modules/.bin/knip

test: $(NPM_STAMP) test-deps db-start build typecheck lint ## Install test dependencies, type-check, lint and run every test
	@export TEST_DATABASE_URL=$$(bash scripts/pg-local.sh url) && \
	  $(BUN) testing/buildTemplate.ts && \
	  set -o pipefail && $(BUN) test --timeout 60000 2>&1 | tee .data/test-output.log; status=$$?; \
	  pass=$$(grep -E '^ *[0-9]+ pass$$' .data/test-output.log | tail -1 | tr -dc 0-9); \
	  fail=$$(grep -E '^ *[0-9]+ fail$$' .data/test-output.log | tail -1 | tr -dc 0-9); \
	  echo "tests: $${pass:-0} passed, $${fail:-0} failed"; exit $$status

bench: $(NPM_STAMP) test-deps db-start ## Run every benchmark (~20 min on 2 cores) and update benchmarks/RESULTS.md
	@export TEST_DATABASE_URL=$$(bash scripts/pg-local.sh url) && \
	  $(BUN) testing/buildTemplate.ts && \
	  $(BUN) run benchmarks/api/httpLoad.ts && \
	  $(BUN) run benchmarks/observability/tracingOverhead.ts && \
	  $(BUN) run benchmarks/chat-sse/concurrentStreams.ts && \
	  $(BUN) run benchmarks/chat-sse/openLoop.ts && \
	  $(BUN) run benchmarks/chat-sse/openLoop.ts --rates=25 --answer-seconds=40 --warmup=45 && \
	  $(BUN) run benchmarks/chat-sse/profileQuestion.ts && \
	  $(BUN) run benchmarks/chat-sse/roundTripCost.ts && \
	  $(BUN) run benchmarks/chat-sse/streamMemory.ts && \
	  $(BUN) run benchmarks/chat-sse/streamMemory.ts --streams=1000 --long-answer=60 && \
	  $(BUN) run benchmarks/retrieval/vectorSearch.ts && \
	  $(BUN) run benchmarks/ingest/ingestPipeline.ts && \
	  $(BUN) run benchmarks/quality/qmsumPostgres.ts && \
	  $(BUN) run benchmarks/quality/momentWeight.ts && \
	  $(BUN) run benchmarks/quality/extractiveAnswers.ts && \
	  $(BUN) run benchmarks/quota/quotaCost.ts

drills: $(NPM_STAMP) test-deps db-start ## Fault drills on real processes (Postgres restart, worker SIGKILL, Claude overloaded mid-stream, api SIGKILL mid-stream, supervisor scaling on a 500-job backlog; ~12 min); outcomes to benchmarks/RESULTS.md
	@export TEST_DATABASE_URL=$$(bash scripts/pg-local.sh url) && \
	  $(BUN) testing/buildTemplate.ts && \
	  $(BUN) run benchmarks/drills/run.ts $(ARGS)

load: $(NPM_STAMP) test-deps db-start ## 1,000-user load test through nginx, 2 api instances, the supervisor; direct and PgBouncer (needs apt pgbouncer); to RESULTS.md
	@export TEST_DATABASE_URL=$$(bash scripts/pg-local.sh url) && \
	  $(BUN) testing/buildTemplate.ts && \
	  $(BUN) run benchmarks/load/loadTest.ts $(ARGS)

release: $(NPM_STAMP) ## Build a release tarball from the committed tree (.data/releases/)
	@bash scripts/deploy/release.sh

deploy: ## Provision + rolling deploy: make deploy INVENTORY=… [LIMIT=…] [RELEASE=tarball] [SERIAL=n]
	@bash scripts/deploy/run.sh deploy

rollout: ## Roll a release out without provisioning (faster; make deploy when settings or roles changed): make rollout INVENTORY=… [RELEASE=tarball]
	@bash scripts/deploy/run.sh rollout

rollback: ## Roll every app host back to its previous release: make rollback INVENTORY=… [RELEASE_ID=…]
	@bash scripts/deploy/run.sh rollback

deploy-unlock: ## Clear a stale deploy lock: make deploy-unlock INVENTORY=…
	@bash scripts/deploy/run.sh unlock

backup-now: ## Take a full database backup now: make backup-now INVENTORY=…
	@bash scripts/deploy/run.sh backup-now

restore-drill: ## Restore the latest backup into a scratch cluster and check it: make restore-drill INVENTORY=… [TARGET="YYYY-MM-DD HH:MM:SS+00"] [REPO=2]
	@bash scripts/deploy/run.sh restore-drill

test-deploy: $(NPM_STAMP) ## Deploy to throwaway hosts (root; systemd-nspawn) and test it all; .ci/run runs it after make test (~20 min on 2 cores, bounded: KT_DEPLOY_TIMEOUT_MIN)
	@bash testing/deploy/run.sh

clean: db-stop ## Remove build output and local data
	rm -rf client/.output .data
