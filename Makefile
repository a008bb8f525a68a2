# iomreport: see README.md.  `make run ARGS="--year 2001"` and `make test`
# are the two commands a new user needs; both install missing Debian
# packages first (make deps).

PREFIX  ?= /usr/local
BUILD   ?= build
CC      ?= cc
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wwrite-strings -Wvla
WERROR  ?= -Werror
CFLAGS  ?= -O2 -g
# hb-subset.h lives under harfbuzz/; evaluated once deps are installed.
HB_CFLAGS  := $(shell pkg-config --cflags harfbuzz-subset 2>/dev/null || \
                echo -I/usr/include/harfbuzz)
ALLCPPFLAGS = -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
              -DIOM_DATADIR='"$(PREFIX)/share/iomreport"' $(HB_CFLAGS) \
              $(CPPFLAGS)
ALLCFLAGS   = -std=c11 $(WARN) $(WERROR) $(SAN) $(CFLAGS)
LDLIBS   = -lxlsxwriter -lz -lhpdf -lcsv -lharfbuzz-subset -lharfbuzz -lm \
           -lcurl -ljansson -lnettle -pthread
CMOCKA   = -lcmocka

DEB_PACKAGES = build-essential pkg-config libhpdf-dev libxlsxwriter-dev \
               libcsv-dev libcmocka-dev poppler-utils qpdf python3-openpyxl \
               fonts-dejavu-core libharfbuzz-dev libcurl4-openssl-dev \
               libjansson-dev nettle-dev
# The workbook's second, independent reader in the tests (about 200 MB),
# and the static analysers make test runs.
DEB_TEST_PACKAGES = libreoffice-calc-nogui cppcheck clang-tidy python3-aiosmtpd

SRC  = $(wildcard src/*.c)
OBJ  = $(patsubst %.c,$(BUILD)/%.o,$(SRC))
LIBOBJ = $(filter-out $(BUILD)/src/main.o,$(OBJ))
TSRC = $(wildcard tests/test_*.c)
TBIN = $(patsubst %.c,$(BUILD)/%,$(TSRC))
# Helpers shared by the unit tests: every other tests/*.c.
TSUPPORT = $(patsubst %.c,$(BUILD)/%.o,$(filter-out $(TSRC),$(wildcard tests/*.c)))

SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
           -fno-omit-frame-pointer

all: $(BUILD)/iomreport

$(BUILD)/iomreport: $(OBJ)
	$(CC) $(LDFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALLCPPFLAGS) $(ALLCFLAGS) -MMD -MP -c -o $@ $<

$(TBIN): $(BUILD)/tests/%: $(BUILD)/tests/%.o $(TSUPPORT) $(LIBOBJ)
	$(CC) $(LDFLAGS) $(SAN) -o $@ $^ $(LDLIBS) $(CMOCKA)

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
# ASan+UBSan build; then the static analysers.
test: test-deps
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory sanitize
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
# `make oom-check`.  Not yet part of `make test`: some failure points still
# end badly (tests/oom/README.md).
OOM_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
$(BUILD)/iomreport-oom: $(OBJ) $(BUILD)/tests/oom/failalloc.o
	$(CC) $(LDFLAGS) $(SAN) $(OOM_WRAP) -o $@ $^ $(LDLIBS)

oom: $(BUILD)/iomreport-oom
	@sh tests/oom/run.sh $(BUILD)/iomreport-oom

oom-check:
	@$(MAKE) --no-print-directory BUILD=build-san SAN='$(SANFLAGS)' \
	    CFLAGS='-O1 -g' oom

install: $(BUILD)/iomreport
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/iomreport/fonts
	install -m 755 $(BUILD)/iomreport $(DESTDIR)$(PREFIX)/bin/
	install -m 644 fonts/*.ttf fonts/LICENSE* $(DESTDIR)$(PREFIX)/share/iomreport/fonts/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/iomreport
	rm -rf $(DESTDIR)$(PREFIX)/share/iomreport

clean:
	rm -rf build build-san build-fuzz

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	    --inline-suppr -Iinclude src
	clang-tidy --quiet $(SRC) -- $(ALLCPPFLAGS) -std=c11 2>/dev/null

fmt:
	clang-format -i src/*.c include/iom/*.h tests/*.c

.PHONY: all deps test-deps run test test-large check sanitize oom oom-check install uninstall clean lint fmt
-include $(OBJ:.o=.d) $(TBIN:=.d) $(TSUPPORT:.o=.d)

# make bench, make fuzz and make fuzz-replay: included after all, so that
# none of their rules becomes the default target.
include tests/bench/bench.mk
include tests/fuzz/fuzz.mk

# libFuzzer needs clang and its runtime.
fuzz-deps: deps
	@$(call install_missing,clang libclang-rt-14-dev)
fuzz: fuzz-deps
.PHONY: fuzz-deps
