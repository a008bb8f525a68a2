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
              $(HB_CFLAGS) $(CPPFLAGS)
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

SRC  = $(wildcard src/*/*.c)
OBJ  = $(patsubst %.c,$(BUILD)/%.o,$(SRC))
LIBOBJ = $(filter-out $(BUILD)/src/app/main.o,$(OBJ))
TSRC = $(wildcard tests/test_*.c)
TBIN = $(patsubst %.c,$(BUILD)/%,$(TSRC))
# Helpers shared by the unit tests: every other tests/*.c.
TSUPPORT = $(patsubst %.c,$(BUILD)/%.o,$(filter-out $(TSRC),$(wildcard tests/*.c)))

SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
           -fno-omit-frame-pointer

all: $(BUILD)/iomreport

# The flags the build folder was made with: objects are made again when
# they change (make check after make, a new CFLAGS).
BUILD_FLAGS = $(CC) $(WARN) $(WERROR) $(SAN) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS)
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
# them fail (a disk that loses writes cannot be had on demand).
FAILALLOC = $(BUILD)/tests/oom/failalloc.o
SYNC_WRAP = -Wl,--wrap=fsync,--wrap=syncfs
$(TBIN): $(BUILD)/tests/%: $(BUILD)/tests/%.o $(TSUPPORT) $(FAILALLOC) $(LIBOBJ)
	$(CC) $(LDFLAGS) $(SAN) $(OOM_WRAP) $(SYNC_WRAP) -o $@ $^ $(LDLIBS) $(CMOCKA)

# The project's own builds: warnings are errors there.
check sanitize fuzz-replay oom: WERROR = -Werror

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

# Unit tests, then end-to-end tests, each in a normal and in an
# ASan+UBSan build; the allocation-failure run on the latter's objects;
# then the static analysers.
test: test-deps
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory sanitize
	@$(MAKE) --no-print-directory oom-sample
	@$(MAKE) --no-print-directory lint

check: $(TBIN) $(BUILD)/iomreport
	@set -e; for t in $(TBIN); do echo "== $$t"; $$t 2>&1; done
	@sh tests/e2e.sh $(BUILD)/iomreport
	@$(MAKE) --no-print-directory fuzz-replay

# 1,100,000 projects through the summary and the workbook: a few minutes
# and about 2 GB, so not part of make test.
test-large: $(BUILD)/iomreport
	@sh tests/large_portfolio.sh $(BUILD)/iomreport

sanitize:
	@$(MAKE) --no-print-directory BUILD=build-san SAN='$(SANFLAGS)' \
	    CFLAGS='-O1 -g' check

# The allocation-failure run: iomreport with our allocator calls wrapped
# (tests/oom/failalloc.c), failing each in turn, under the sanitizers:
# `make oom-check`, two runs side by side (IOM_OOM_JOBS; see
# tests/oom/README.md for a range of points).  make test runs a sample,
# every point up to 300 and every third after, in a third of the time.
OOM_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
$(BUILD)/iomreport-oom: $(OBJ) $(FAILALLOC)
	$(CC) $(LDFLAGS) $(SAN) $(OOM_WRAP) -o $@ $^ $(LDLIBS)

oom: $(BUILD)/iomreport-oom
	@IOM_OOM_JOBS=$${IOM_OOM_JOBS:-2} sh tests/oom/run.sh $(BUILD)/iomreport-oom

oom-check:
	@$(MAKE) --no-print-directory BUILD=build-san SAN='$(SANFLAGS)' \
	    CFLAGS='-O1 -g' oom

oom-sample:
	@IOM_OOM_EVERY=3 $(MAKE) --no-print-directory oom-check

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

clean:
	rm -rf build build-san build-fuzz

lint:
	sh tests/check_layers.sh
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	    --inline-suppr -Iinclude src
	clang-tidy --quiet $(SRC) -- $(ALLCPPFLAGS) -std=c11 2>/dev/null

FORCE:
.PHONY: all deps test-deps run test test-large check sanitize oom oom-check oom-sample install uninstall clean lint FORCE
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
