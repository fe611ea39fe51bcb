# dsaudit: one non-recursive Makefile.
#
#   make            build build/dsaudit (warnings on, not fatal)
#   make check      -Werror build, then every test (unit, rule examples, CLI)
#   make asan       the same under AddressSanitizer (build/asan)
#   make ubsan      the same under UndefinedBehaviorSanitizer (build/ubsan)
#   make demo       scan the bundled demo dataset and print the report
#   make deps       install the Debian packages the build and tests need
#   make install    PREFIX=/usr/local DESTDIR= : binary, man page, rules

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
PKG_CONFIG ?= pkg-config

PKGS     := libpcre2-8 libarchive yaml-0.1 yajl libhs
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

.PHONY: all check test unit asan ubsan demo deps ensure-deps install clean
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
	@$(MAKE) --no-print-directory STRICT=1 $(DSAUDIT) $(UNIT)
	@$(MAKE) --no-print-directory STRICT=1 test

test: $(DSAUDIT) $(UNIT)
	@sh tests/run-all.sh $(BUILD)

unit: $(UNIT)
	$(UNIT)

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=address check

ubsan:
	@$(MAKE) --no-print-directory BUILD=build/ubsan SAN=undefined check

demo: ensure-deps
	@$(MAKE) --no-print-directory $(DSAUDIT)
	@$(DSAUDIT) scan --format text --no-progress fixtures/demo; rc=$$?; \
	 echo "(dsaudit exit status $$rc: 0 clean, 1 findings at or above --fail-on, 2 incomplete scan)"; \
	 [ $$rc -le 1 ]

DEBIAN_PKGS := build-essential pkg-config libcsv-dev libpcre2-dev libarchive-dev libyaml-dev \
               libyajl-dev libvectorscan-dev libcriterion-dev zstd xz-utils bzip2 lz4 \
               libarchive-tools python3
deps:
	@SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	 if [ -z "$$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ] || \
	    [ -n "$$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime +1 2>/dev/null | head -1)" ]; then \
	   $$SUDO apt-get update; fi; \
	 DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $(DEBIAN_PKGS)

# On a fresh machine the quick-start commands install the packages first.
ensure-deps:
	@if ! $(PKG_CONFIG) --exists $(PKGS) criterion 2>/dev/null || [ ! -f /usr/include/csv.h ] || \
	    ! command -v zstd >/dev/null 2>&1; then \
	   echo "dsaudit: build dependencies missing; running 'make deps'"; $(MAKE) --no-print-directory deps; fi

install: $(DSAUDIT)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	           $(DESTDIR)$(PREFIX)/share/dsaudit/patterns
	install -m 755 $(DSAUDIT) $(DESTDIR)$(PREFIX)/bin/dsaudit
	install -m 644 man/dsaudit.1 $(DESTDIR)$(PREFIX)/share/man/man1/dsaudit.1
	install -m 644 $(PATTERNS) $(DESTDIR)$(PREFIX)/share/dsaudit/patterns/

clean:
	rm -rf build

-include $(DEPS)
