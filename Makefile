# iomreport: see README.md.  `make run ARGS="--year 2001"` and `make test`
# are the two commands a new user needs; both install missing Debian
# packages first (make deps).

PREFIX  ?= /usr/local
BUILD   ?= build
CC      ?= cc
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wwrite-strings -Wvla
# Warnings stop the project's own test builds (make check, sanitize, test,
# fuzz-replay), not a user's make or make install with another compiler.
WERROR  ?=
CFLAGS  ?= -O2 -g
# hb-subset.h lives under harfbuzz/; evaluated once deps are installed.
HB_CFLAGS  := $(shell pkg-config --cflags harfbuzz-subset 2>/dev/null || \
                echo -I/usr/include/harfbuzz)
# No path is compiled in: the binary finds its data folder from its own
# path, so one build installs to any PREFIX.
ALLCPPFLAGS = -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
              $(HB_CFLAGS) $(TEST_POINTS) $(CPPFLAGS)
ALLCFLAGS   = -std=c11 $(WARN) $(WERROR) $(SAN) $(CFLAGS)
# Link flags from pkg-config where the package ships a .pc file; libhpdf
# and libcsv ship none.  The fallback serves a machine before make deps.
PC_LIBS  = xlsxwriter harfbuzz-subset harfbuzz libcurl jansson nettle
LDLIBS   = $(shell pkg-config --libs $(PC_LIBS) 2>/dev/null || \
             echo -lxlsxwriter -lz -lharfbuzz-subset -lharfbuzz -lcurl \
             -ljansson -lnettle) -lhpdf -lcsv -lm -pthread
CMOCKA   = $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

DEB_PACKAGES = build-essential pkg-config libhpdf-dev libxlsxwriter-dev \
               libcsv-dev libcmocka-dev poppler-utils qpdf python3-openpyxl \
               fonts-dejavu-core libharfbuzz-dev libcurl4-openssl-dev \
               libjansson-dev nettle-dev
# The workbook's second, independent reader in the tests (about 200 MB),
# and the static analysers make test runs.
# man-db and groff-base check the manual page.
DEB_TEST_PACKAGES = libreoffice-calc-nogui cppcheck clang-tidy python3-aiosmtpd \
                    man-db groff-base openssl
DEB_COVERAGE_PACKAGES = gcovr

SRC  = $(wildcard src/*/*.c)
OBJ  = $(patsubst %.c,$(BUILD)/%.o,$(SRC))
LIBOBJ = $(filter-out $(BUILD)/src/app/main.o,$(OBJ))
TSRC = $(wildcard tests/test_*.c)
TBIN = $(patsubst %.c,$(BUILD)/%,$(TSRC))
# Helpers shared by the unit tests: every other tests/*.c.
TSUPPORT = $(patsubst %.c,$(BUILD)/%.o,$(filter-out $(TSRC),$(wildcard tests/*.c)))

SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
           -fno-omit-frame-pointer
# The sanitized build, for make sanitize, make test and make oom-check.
SAN_VARS = BUILD=build-san SAN='$(SANFLAGS)' CFLAGS='-O1 -g'

# make test runs its steps side by side, one per core, unless the user
# gave a -j of their own (seen in MAKEFLAGS only when a recipe runs).
NPROC    := $(shell nproc 2>/dev/null || echo 1)
TEST_JOBS = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC))

all: $(BUILD)/iomreport

# The flags the build folder was made with: objects are made again when
# they change (make check after make, a new CFLAGS).
BUILD_FLAGS = $(CC) $(WARN) $(WERROR) $(SAN) $(CFLAGS) $(TEST_POINTS) \
              $(CPPFLAGS) $(LDFLAGS)
$(BUILD)/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(BUILD_FLAGS)' | cmp -s - $@ || echo '$(BUILD_FLAGS)' > $@

$(BUILD)/iomreport: $(OBJ) $(BUILD)/.flags
	$(CC) $(LDFLAGS) $(SAN) -o $@ $(OBJ) $(LDLIBS)

$(BUILD)/%.o: %.c $(BUILD)/.flags
	@mkdir -p $(@D)
	$(CC) $(ALLCPPFLAGS) $(ALLCFLAGS) -MMD -MP -c -o $@ $<

# Every unit test can fail an allocation of ours (tests/oom/failalloc.h),
# and fsync and syncfs go through tests/failsync.c, where a test can make
# them fail (a disk that loses writes cannot be had on demand); libharu's
# links and saves go through tests/failpdf.c, where a test can make
# libharu fail.
FAILALLOC = $(BUILD)/tests/oom/failalloc.o
SYNC_WRAP = -Wl,--wrap=fsync,--wrap=syncfs
PDF_WRAP  = -Wl,--wrap=HPDF_Page_CreateLinkAnnot,--wrap=HPDF_SaveToFile
# The unit tests are 40 links of every object, twice in make test: gold
# (binutils, where it is there) links them in a third of ld's time.
TEST_LD := $(shell ld.gold --version >/dev/null 2>&1 && echo -fuse-ld=gold)
$(TBIN): $(BUILD)/tests/%: $(BUILD)/tests/%.o $(TSUPPORT) $(FAILALLOC) $(LIBOBJ)
	$(CC) $(LDFLAGS) $(TEST_LD) $(SAN) $(OOM_WRAP) $(SYNC_WRAP) $(PDF_WRAP) \
	    -o $@ $^ \
	    $(LDLIBS) $(CMOCKA)

# The project's own builds: warnings are errors there.
check sanitize fuzz-replay oom: WERROR = -Werror

# The pause points the end-to-end tests stop a run at (src/base/testpoint.c)
# are compiled into the test builds only: the binary of make, make run and
# make install has none (tests/e2e_install.sh checks).  The flags stamp
# above makes a build folder's objects again when it changes hands.
TEST_POINTS =
check sanitize fuzz-replay oom test-plain test-unit test-e2e: \
    TEST_POINTS = -DIOM_TEST_POINTS

# Installs the Debian packages that are missing; does nothing when all are
# there.  Uses sudo when not root.
install_missing = missing=$$(for p in $(1); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "installing:" $$missing; \
	    if [ "$$(id -u)" -eq 0 ]; then s=; else s=sudo; fi; \
	    $$s apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$s apt-get install -y -qq $$missing; \
	fi

deps:
	@$(call install_missing,$(DEB_PACKAGES))

test-deps: deps
	@$(call install_missing,$(DEB_TEST_PACKAGES))

run: deps
	@$(MAKE) --no-print-directory all
	./$(BUILD)/iomreport $(ARGS)

# make test: the steps below, side by side (-j), each one's output kept
# together (-O), every step run even when one fails (-k).  A step is a
# target; a new one is one more line: in TEST_SAN_STEPS when it runs in
# the sanitized build (one make for build-san, so that two never build
# the same objects at once), else in TEST_STEPS.
TEST_SAN_STEPS  = check    # unit tests, e2e scripts, fuzz replay
TEST_SAN_STEPS += oom      # allocation failures: a sample (OOM_EVERY=3)
TEST_STEPS  = test-san     # TEST_SAN_STEPS in the ASan+UBSan build
TEST_STEPS += test-plain   # unit tests, fuzz replay, memory limits: -O2
TEST_STEPS += lint         # layers, cppcheck, clang-tidy

test: test-deps
	@$(MAKE) --no-print-directory $(TEST_JOBS) -k -O test-steps
test-steps: $(TEST_STEPS)
test-san:
	@$(MAKE) --no-print-directory $(SAN_VARS) OOM_EVERY=3 $(TEST_SAN_STEPS)

# The unit tests, the end-to-end scripts and the fuzz replay in $(BUILD).
check: test-e2e test-unit fuzz-replay

# Each unit test is a target of its own, so that make -j runs them side by
# side.
TRUNS = $(TBIN:=.run)
test-unit: $(TRUNS)
$(TRUNS): %.run: %
	@echo "== $<"; $< 2>&1

# The e2e scripts one at a time, or under make -j one per core.
E2E_JOBS = $(if $(filter -j%,$(MAKEFLAGS)),$(NPROC),1)
test-e2e: $(BUILD)/iomreport
	@sh tests/e2e.sh -j $(E2E_JOBS) $(BUILD)/iomreport

# make check without most e2e scripts, which make test runs against the
# sanitized binary.  The -O2 build (warnings as errors) keeps its unit
# tests and fuzz replay: the optimiser finds warnings of its own, and its
# code is the one users run.  It also runs the scripts whose memory checks
# need an address-space limit, which ASan's reservations cannot take: they
# skip those checks against a sanitized binary.
E2E_LIMITS = e2e_reach e2e_hostile e2e_exports
test-plain: WERROR = -Werror
test-plain: test-unit fuzz-replay $(BUILD)/iomreport
	@sh tests/e2e.sh -j $(E2E_JOBS) $(BUILD)/iomreport $(E2E_LIMITS)

# 1,100,000 projects through the summary and the workbook: a few minutes
# and about 2 GB, so not part of make test.
test-large: $(BUILD)/iomreport
	@sh tests/large_portfolio.sh $(BUILD)/iomreport

sanitize:
	@$(MAKE) --no-print-directory $(SAN_VARS) check

# The allocation-failure run: iomreport with our allocator calls wrapped
# (tests/oom/failalloc.c), failing each in turn, under the sanitizers:
# `make oom-check`, two runs side by side (IOM_OOM_JOBS; see
# tests/oom/README.md for a range of points).  make test runs a sample,
# every point up to 300 and every third after, in a third of the time.
OOM_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
$(BUILD)/iomreport-oom: $(OBJ) $(FAILALLOC)
	$(CC) $(LDFLAGS) $(SAN) $(OOM_WRAP) -o $@ $^ $(LDLIBS)

OOM_EVERY = 1
oom: $(BUILD)/iomreport-oom
	@IOM_OOM_EVERY=$(OOM_EVERY) IOM_OOM_JOBS=$${IOM_OOM_JOBS:-2} \
	    sh tests/oom/run.sh $(BUILD)/iomreport-oom

oom-check:
	@$(MAKE) --no-print-directory $(SAN_VARS) oom

oom-sample:
	@$(MAKE) --no-print-directory $(SAN_VARS) OOM_EVERY=3 oom

MANDIR  = $(PREFIX)/share/man/man1
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions

# The binary finds PREFIX/share/iomreport from its own path: nothing in it
# depends on PREFIX, so installing elsewhere needs no new build.
install: $(BUILD)/iomreport
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/iomreport/fonts \
	    $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(BUILD)/iomreport $(DESTDIR)$(PREFIX)/bin/
	install -m 644 fonts/*.ttf fonts/LICENSE* $(DESTDIR)$(PREFIX)/share/iomreport/fonts/
	install -m 644 doc/iomreport.1 $(DESTDIR)$(MANDIR)/
	install -m 644 doc/iomreport.bash-completion \
	    $(DESTDIR)$(BASHCOMPDIR)/iomreport

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/iomreport $(DESTDIR)$(MANDIR)/iomreport.1 \
	    $(DESTDIR)$(BASHCOMPDIR)/iomreport
	rm -rf $(DESTDIR)$(PREFIX)/share/iomreport

# make coverage: the unit tests, the e2e scripts and the fuzz replay in a
# --coverage build of its own, then gcovr's line and branch summary of
# src/.  A forked worker ends with _exit(), which would lose its counts:
# -DIOM_COVERAGE makes iom_exit_now() write them first.  The memory checks
# under tight address-space limits are left to make test (IOM_SANITIZED):
# an -O0 build runs out at other points than the one users get.
COV_BUILD = build-cov
COV_VARS  = BUILD=$(COV_BUILD) SAN=--coverage CFLAGS='-O0 -g' \
            CPPFLAGS=-DIOM_COVERAGE
coverage-deps: test-deps
	@$(call install_missing,$(DEB_COVERAGE_PACKAGES))

coverage: coverage-deps
	@find $(COV_BUILD) -name '*.gcda' -delete 2>/dev/null || :
	@IOM_SANITIZED=1 $(MAKE) --no-print-directory $(TEST_JOBS) -k -O \
	    $(COV_VARS) check
	@gcovr --root . --filter src/ --object-directory $(COV_BUILD) \
	    --exclude-unreachable-branches -j $(NPROC) \
	    --txt $(COV_BUILD)/coverage.txt --print-summary $(COV_BUILD)
	@echo "per file: $(COV_BUILD)/coverage.txt"

clean:
	rm -rf build build-san build-fuzz $(COV_BUILD)

# The static analysers: cppcheck on all cores, clang-tidy one file a job.
TIDY_RUNS = $(SRC:%=tidy-%)
lint: lint-layers lint-cppcheck $(TIDY_RUNS)
lint-layers:
	@sh tests/check_layers.sh
lint-cppcheck:
	@cppcheck -j $(NPROC) --quiet --error-exitcode=1 \
	    --enable=warning,performance,portability --inline-suppr -Iinclude src
# clang-tidy reads the pause points' code too.
$(TIDY_RUNS): TEST_POINTS = -DIOM_TEST_POINTS
$(TIDY_RUNS): tidy-%:
	@clang-tidy --quiet $* -- $(ALLCPPFLAGS) -std=c11 2>/dev/null

FORCE:
.PHONY: all deps test-deps run test test-steps test-large check test-unit \
        test-e2e test-plain test-san $(TRUNS) sanitize oom oom-check oom-sample coverage \
        coverage-deps install uninstall clean lint lint-layers lint-cppcheck \
        $(TIDY_RUNS) FORCE
-include $(OBJ:.o=.d) $(TBIN:=.d) $(TSUPPORT:.o=.d) $(FAILALLOC:.o=.d)

# make bench, make fuzz and make fuzz-replay: included after all, so that
# none of their rules becomes the default target.
include tests/bench/bench.mk
include tests/fuzz/fuzz.mk

# libFuzzer needs clang and its runtime.
fuzz-deps: deps
	@$(call install_missing,clang libclang-rt-14-dev)
fuzz: fuzz-deps
.PHONY: fuzz-deps
