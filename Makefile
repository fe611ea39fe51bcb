# dsaudit: one non-recursive Makefile.
#
#   make            build build/dsaudit (warnings on, not fatal)
#   make check      -Werror build, then every test (unit, rule examples, CLI)
#   make asan       the same under AddressSanitizer (build/asan)
#   make ubsan      the same under UndefinedBehaviorSanitizer (build/ubsan)
#   make demo       scan the bundled demo dataset and print the report
#   make deps       install the Debian packages the build and tests need
#   make fuzz, fuzz-smoke, hostile, hostile-full, valgrind, analyze: hardening (below)
#   make deps-browser, make deps-pre-commit   optional: chromium, pre-commit (report tests)
#   make install    PREFIX=/usr/local DESTDIR= : binary, man page, rules

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
PKG_CONFIG ?= pkg-config

PKGS     := libpcre2-8 libarchive yaml-0.1 yajl libhs libcrypto
OPTFLAGS ?= -O2 -g
WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wcast-qual -Wpointer-arith -Wwrite-strings -Wundef -Wvla \
            -Wno-format-nonliteral
ifeq ($(STRICT),1)
WARN += -Werror
endif
ifneq ($(SAN),)
OPTFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=$(SAN) -fno-sanitize-recover=all
SANLDFLAGS := -fsanitize=$(SAN)
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm
CRIT_LIBS  := $(shell $(PKG_CONFIG) --libs criterion 2>/dev/null || echo -lcriterion)

ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(OPTFLAGS) $(WARN) -Isrc -I$(BUILD)/gen $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := $(SANLDFLAGS) $(LDFLAGS)

LIB_SRC  := $(sort $(filter-out src/cli/%,$(wildcard src/*/*.c)))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
GEN_SRC  := $(BUILD)/gen/builtin_rules.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/builtin_rules.o
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/*.c))
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/obj/%.o)
PATTERNS := $(sort $(wildcard patterns/*.yml))
DEPS     := $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)

DSAUDIT  := $(BUILD)/dsaudit
LIBDS    := $(BUILD)/libdsaudit.a
UNIT     := $(BUILD)/tests/unit
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
REPLAY_BINS := $(FUZZ_NAMES:%=$(BUILD)/tests/replay_%)

.PHONY: all check test unit asan ubsan sanitize check-all demo deps ensure-deps install clean deps-browser deps-pre-commit
.DELETE_ON_ERROR:

all: $(DSAUDIT)

# Rebuild everything when the compiler flags change (check adds -Werror).
$(BUILD)/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@
FORCE:

$(BUILD)/obj/%.o: %.c $(BUILD)/.flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/gen/builtin_rules.o: $(GEN_SRC) $(BUILD)/.flags $(PATTERNS) $(wildcard patterns/lexicons/*)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(GEN_SRC): tools/embed.sh $(PATTERNS) $(wildcard patterns/lexicons/*)
	@mkdir -p $(@D)
	sh tools/embed.sh $@ $(PATTERNS) $(sort $(wildcard patterns/lexicons/*.txt))

$(LIBDS): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(DSAUDIT): $(CLI_OBJ) $(LIBDS)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIBDS) $(PKG_LIBS)

$(UNIT): $(TEST_OBJ) $(LIBDS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(TEST_OBJ) $(LIBDS) $(PKG_LIBS) $(CRIT_LIBS)

# ---- tests -------------------------------------------------------------------
# The short tier: seconds. Each runner prints "N passed, N failed"; the last
# line sums them.
check: ensure-deps
	@$(MAKE) --no-print-directory STRICT=1 $(DSAUDIT) $(UNIT) $(REPLAY_BINS)
	@$(MAKE) --no-print-directory STRICT=1 test

test: $(DSAUDIT) $(UNIT) $(REPLAY_BINS)
	@sh tests/run-all.sh $(BUILD)

unit: $(UNIT)
	$(UNIT)

asan:
	@HOSTILE_RSS_SCALE=4 HOSTILE_TIME_SCALE=10 $(MAKE) --no-print-directory BUILD=build/asan SAN=address check

ubsan:
	@HOSTILE_TIME_SCALE=10 $(MAKE) --no-print-directory BUILD=build/ubsan SAN=undefined check

# Both sanitizers in one build and one run of every tier (what CI runs).
sanitize:
	@HOSTILE_RSS_SCALE=4 HOSTILE_TIME_SCALE=10 $(MAKE) --no-print-directory BUILD=build/san \
	  SAN=address,undefined check

# Everything CI runs, the README's test command: the -Werror build and every
# test tier, the same under ASan+UBSan, then cppcheck and clang-tidy.
check-all:
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory sanitize
	@$(MAKE) --no-print-directory analyze

demo: ensure-deps
	@$(MAKE) --no-print-directory $(DSAUDIT)
	@$(DSAUDIT) scan --format text --no-progress fixtures/demo; rc=$$?; \
	 echo "(dsaudit exit status $$rc: 0 clean, 1 findings at or above --fail-on, 2 incomplete scan)"; \
	 [ $$rc -le 1 ]

# ---- benchmark (docs/benchmarks.md) -------------------------------------------
# make bench: generate the deterministic corpus in $(BUILD)/bench (once) and
# print MB/s, ratios and peak RSS next to cat, rg, zstd -dc and bsdtar -xOf.
# Its tools are not CI dependencies: make deps-bench installs them.
.PHONY: bench deps-bench
bench: ensure-deps
	@$(MAKE) --no-print-directory $(DSAUDIT)
	@sh tools/bench.sh $(BUILD)

BENCH_PKGS := ripgrep hyperfine time zstd libarchive-tools python3 linux-perf valgrind
deps-bench:
	@SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	 DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $(BENCH_PKGS)

# The matcher: the Hyperscan API (pkg-config libhs). On amd64 we install Intel's
# Hyperscan 5.4.0: Debian 12's Vectorscan 5.4.9 misses matches of a literal
# followed by a class when the literal sits past the first 64-byte vector
# ('@[a-z]+' after 60 letters finds nothing; tests/unit/test_hs_cache.c
# checks it). Elsewhere Vectorscan is the only build there is.
HS_PKG := $(if $(filter amd64,$(shell dpkg --print-architecture 2>/dev/null)),libhyperscan-dev libvectorscan-dev- libvectorscan5-,libvectorscan-dev)
DEBIAN_PKGS := build-essential pkg-config libcsv-dev libpcre2-dev libarchive-dev libyaml-dev \
               libyajl-dev $(HS_PKG) libcriterion-dev libssl-dev zstd xz-utils bzip2 lz4 \
               libarchive-tools python3 python3-jsonschema cppcheck clang-tidy
deps:
	@SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	 if [ -z "$$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ] || \
	    [ -n "$$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime +1 2>/dev/null | head -1)" ]; then \
	   $$SUDO apt-get update; fi; \
	 DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $(DEBIAN_PKGS)

# Optional test tools (tests/report/browser.sh and precommit.sh skip, with a message,
# without them): chromium renders the HTML report headless (measured: 122 MB download,
# about 35 s to install on Debian 12); pre-commit runs the hook end to end (1 MB).
deps-browser:
	@SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	 DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends chromium
deps-pre-commit:
	@SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	 DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends pre-commit git

# On a fresh machine the quick-start commands install the packages first.
ensure-deps:
	@if ! $(PKG_CONFIG) --exists $(PKGS) criterion 2>/dev/null || [ ! -f /usr/include/csv.h ] || \
	    ! command -v zstd >/dev/null 2>&1; then \
	   echo "dsaudit: build dependencies missing; running 'make deps'"; $(MAKE) --no-print-directory deps; fi

# ---- hardening: fuzzing, hostile inputs, valgrind, static analysis -----------
# Every tests/fuzz/fuzz_NAME.c is a libFuzzer target (LLVMFuzzerTestOneInput).
#   make fuzz [FUZZ_TIME=600]   build with clang (-fsanitize=fuzzer,address,undefined,
#                               lib in build/fuzz/) and run each target FUZZ_TIME s
#   make fuzz-smoke             the same, a few seconds per target
#   make deps-fuzz              install clang and libFuzzer (Debian)
# make check replays tests/fuzz/regressions/NAME/* through each target built
# with $(CC) and tests/fuzz/replay_main.c (no clang needed).
FUZZ_TIME   ?= 600
FUZZ_SMOKE_TIME ?= 4
FUZZ_BUILD  := build/fuzz
FUZZ_FLAGS  ?= -timeout=20 -rss_limit_mb=2048 -print_final_stats=1
FUZZ_PKGS   := clang libclang-rt-14-dev

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-corpus deps-fuzz valgrind analyze hostile hostile-full

$(BUILD)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c $(wildcard tests/fuzz/*.h) $(LIBDS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -Itests/fuzz -o $@ $< tests/fuzz/replay_main.c $(LIBDS) $(PKG_LIBS)

# (used by the sub-make of fuzz-build, where BUILD=build/fuzz and CC=clang)
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(LIBDS)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer $(ALL_LDFLAGS) -Itests/fuzz -o $@ $< $(LIBDS) $(PKG_LIBS)

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang SAN=fuzzer-no-link,address,undefined \
	  $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)

# Seed corpora (build/fuzz/corpus-NAME) from fixtures/: tests/fuzz/seed.sh.
fuzz-corpus:
	@for n in $(FUZZ_NAMES); do sh tests/fuzz/seed.sh $$n $(FUZZ_BUILD)/corpus-$$n; done

fuzz: fuzz-build fuzz-corpus
	@for n in $(FUZZ_NAMES); do \
	   echo "== fuzz_$$n: $(FUZZ_TIME) s"; mkdir -p $(FUZZ_BUILD)/artifacts-$$n; \
	   $(FUZZ_BUILD)/fuzz_$$n $(FUZZ_FLAGS) -max_total_time=$(FUZZ_TIME) \
	     -artifact_prefix=$(FUZZ_BUILD)/artifacts-$$n/ $(FUZZ_BUILD)/corpus-$$n || exit 1; done

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_TIME=$(FUZZ_SMOKE_TIME)

deps-fuzz:
	@SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	 DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $(FUZZ_PKGS)

# Hostile inputs: tests/hostile/run.sh runs in `make check` (about a minute);
# hostile-full adds the slow cases (a 2.2 GB line, a 1 GiB stream).
hostile: $(DSAUDIT)
	@DSAUDIT=$(DSAUDIT) sh tests/hostile/run.sh

hostile-full: $(DSAUDIT)
	@DSAUDIT=$(DSAUDIT) sh tests/hostile/run.sh --full

# Memcheck over the CLI (every fixture, limits, hostile shapes) and every fuzz
# regression and seed (tests/hostile/valgrind.sh; FULL_CLI=1 adds the golden
# CLI tests, slow). Built -O1 without sanitizers in build/valgrind.
VALGRIND_CMD ?= valgrind -q --error-exitcode=99 --leak-check=full \
                --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect
valgrind:
	@$(MAKE) --no-print-directory BUILD=build/valgrind OPTFLAGS='-O1 -g' STRICT=1 \
	  build/valgrind/dsaudit $(FUZZ_NAMES:%=build/valgrind/tests/replay_%)
	@DSAUDIT=build/valgrind/dsaudit VALGRIND='$(VALGRIND_CMD)' sh tests/hostile/valgrind.sh

# Static analysis: cppcheck (suppressions, each justified, in .cppcheck-suppressions)
# and clang-tidy (.clang-tidy), both must be silent.
ANALYZE_SRC ?= $(LIB_SRC) $(CLI_SRC)
analyze: $(GEN_SRC)
	cppcheck --quiet --std=c11 --enable=warning,portability,performance --inline-suppr \
	  --error-exitcode=1 --suppressions-list=.cppcheck-suppressions -D_GNU_SOURCE -Isrc \
	  --template='{file}:{line}: {severity}: {id}: {message}' $(ANALYZE_SRC)
	printf '%s\n' $(ANALYZE_SRC) | xargs -P 2 -n 4 sh -c 'clang-tidy --quiet "$$@" -- -std=c11 \
	  -D_GNU_SOURCE -Isrc -I$(BUILD)/gen $(PKG_CFLAGS)' clang-tidy

# ---- conformance: detection quality on the labelled sets ----------------------
# The public sets live in ../shared/eval (SHARED=DIR to move it); they are skipped,
# with a message, when that directory is missing. fixtures/eval-fr is in the repo.
.PHONY: conformance
SHARED ?= ../shared
conformance: $(DSAUDIT)
	@if [ -d $(SHARED)/eval/real/croissant ]; then \
	   echo "== metadata: real Croissant files and dataset cards"; \
	   sh tests/checks/meta_conformance.sh $(DSAUDIT) $(SHARED) || exit 1; \
	 else echo "== $(SHARED)/eval/real/croissant not found: metadata conformance skipped"; fi
	@if [ -f $(SHARED)/eval/score_vectors.py ]; then \
	   echo "== presidio vectors: python3 $(SHARED)/eval/score_vectors.py $(DSAUDIT)"; \
	   python3 $(SHARED)/eval/score_vectors.py $(DSAUDIT) || exit 1; \
	 else echo "== $(SHARED)/eval not found: skipping the presidio vectors"; fi
	@if [ -f $(SHARED)/eval/real/presidio-synth/synth_dataset_v2.json ]; then \
	   echo "== presidio-synth"; \
	   python3 tools/score_synth.py $(DSAUDIT) $(SHARED)/eval/real/presidio-synth/synth_dataset_v2.json || exit 1; \
	 else echo "== presidio-synth not found under $(SHARED)/eval/real: skipped"; fi
	@if [ -f $(SHARED)/eval/real/fakename-3000/FakeNameGenerator.com_3000.csv ]; then \
	   echo "== fakename-3000"; \
	   python3 tools/score_fakename.py $(DSAUDIT) $(SHARED)/eval/real/fakename-3000/FakeNameGenerator.com_3000.csv || exit 1; \
	 else echo "== fakename-3000 not found under $(SHARED)/eval/real: skipped"; fi
	@echo "== eval-fr (fixtures/eval-fr/identifiers*.jsonl)"
	@python3 tools/score_evalfr.py $(DSAUDIT) $(sort $(wildcard fixtures/eval-fr/identifiers*.jsonl))

install: $(DSAUDIT)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	           $(DESTDIR)$(PREFIX)/share/dsaudit/patterns
	install -m 755 $(DSAUDIT) $(DESTDIR)$(PREFIX)/bin/dsaudit
	install -m 644 man/dsaudit.1 $(DESTDIR)$(PREFIX)/share/man/man1/dsaudit.1
	install -m 644 $(PATTERNS) $(DESTDIR)$(PREFIX)/share/dsaudit/patterns/

clean:
	rm -rf build

-include $(DEPS)
