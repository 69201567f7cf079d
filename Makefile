# iamguard - build, test and benchmark.
#   make            library + CLI in build/
#   make test       unit tests, case files, corpus; then the same under ASan+UBSan
#   make bench      benchmarks (see docs/performance.md)
# Debian packages that are missing are installed by scripts/deps.sh.

CC      ?= cc
BUILD   ?= build
OPT     ?= -O2
SAN     ?=
CFLAGS_BASE := -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
               -Wmissing-prototypes -Wno-unused-parameter \
               -D_GNU_SOURCE -Iinclude -Isrc -g $(OPT) $(SAN) -fPIC
ifeq ($(SAN),)
CFLAGS_BASE += -D_FORTIFY_SOURCE=3 -fstack-protector-strong
endif
CFLAGS  := $(CFLAGS_BASE) $(CFLAGS)
PKGS    := libfyaml
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDFLAGS_HARDEN := -pie -Wl,-z,relro,-z,now
LIBS    := $(PKG_LIBS) -lm -lpthread

LIB_SRC := $(sort $(shell find src -name '*.c' -not -path 'src/cli/*'))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
EXAMPLE_FILES := $(sort $(shell find examples -type f -not -name '*.md' -not -name '*.sh'))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/examples_data.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HDRS    := $(shell find include src -name '*.h')

.DEFAULT_GOAL := all
.PHONY: all deps test test-fast test-asan unit cases workloads clean bench check

# The main job: check the imaging-viewer deployment of the seed.
check: all
	@$(BUILD)/iamguard check
all: $(BUILD)/.deps $(BUILD)/iamguard $(BUILD)/libiamguard.a $(BUILD)/libiamguard.so

$(BUILD)/.deps: scripts/deps.sh
	@mkdir -p $(BUILD)
	@sh scripts/deps.sh
	@touch $@

$(BUILD)/obj/%.o: %.c $(HDRS) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

# The built-in example travels inside the binary (src/examples/examples.h).
$(BUILD)/tools/embed: tools/embed.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@$(CC) -std=c17 -O1 -o $@ $<

$(BUILD)/gen/examples_data.c: $(BUILD)/tools/embed $(EXAMPLE_FILES)
	@mkdir -p $(dir $@)
	@echo "  EMBED   examples/"
	@$(BUILD)/tools/embed $@ $(foreach f,$(EXAMPLE_FILES),$(patsubst examples/%,%,$(f))=$(f))

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c $(HDRS)
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libiamguard.a: $(LIB_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(BUILD)/libiamguard.so: $(LIB_OBJ)
	@echo "  LD      $@"
	@$(CC) -shared $(SAN) -o $@ $^ $(LIBS)

$(BUILD)/iamguard: $(CLI_OBJ) $(BUILD)/libiamguard.a
	@echo "  LD      $@"
	@$(CC) $(SAN) $(if $(SAN),,$(LDFLAGS_HARDEN)) -o $@ $(CLI_OBJ) $(BUILD)/libiamguard.a $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libiamguard.a $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(BUILD)/libiamguard.a -lcmocka $(LIBS)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

cases: $(BUILD)/iamguard
	@sh tests/run_cases.sh $(BUILD)/iamguard

# Every benchmark workload's expected decisions (issue: engine core).
workloads: $(BUILD)/iamguard
	@sh tests/run_workloads.sh $(BUILD)/iamguard

# The whole suite, once normally and once under AddressSanitizer + UBSan.
test: all
	@$(MAKE) --no-print-directory test-fast
	@$(MAKE) --no-print-directory test-asan

test-fast: all unit cases workloads

test-asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  test-fast

bench: all
	@sh bench/run.sh $(BUILD)/iamguard

clean:
	rm -rf build build-asan
