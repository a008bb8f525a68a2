# Fuzzing, included by the top Makefile, whose variables it uses
# (SRC, ALLCPPFLAGS, WARN, LDLIBS, BUILD, CC, SAN, LIBOBJ).
#
#   make fuzz [FUZZ_SECONDS=60]  each libFuzzer target for FUZZ_SECONDS from
#                                its seed corpus (clang, ASan+UBSan, in
#                                build-fuzz/); a crash stops make, its input
#                                is left in build-fuzz/artifacts/TARGET/
#   make fuzz-replay             every regression and seed input through
#                                each target, built with $(CC) and $(SAN) in
#                                $(BUILD)/fuzz/ (no libFuzzer needed)

FUZZ_SECONDS ?= 60
FUZZ_BUILD   ?= build-fuzz
FUZZ_CC      ?= clang
FUZZ_TARGETS  = fuzz_ingest fuzz_render
# Longest a single input may take before libFuzzer calls it a hang.
FUZZ_TIMEOUT_fuzz_ingest = 10
FUZZ_TIMEOUT_fuzz_render = 60
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
FUZZ_CFLAGS  = -std=c11 $(WARN) -g -O1 $(FUZZ_SAN)
FUZZ_LIBOBJ  = $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(filter-out src/app/main.c,$(SRC)))
FUZZ_COMMON  = tests/fuzz/fuzz_common.c
FUZZ_BINS    = $(addprefix $(FUZZ_BUILD)/,$(FUZZ_TARGETS))
REPLAY_BINS  = $(addprefix $(BUILD)/fuzz/replay_,$(FUZZ_TARGETS))

$(FUZZ_BUILD)/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALLCPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
	    -MMD -MP -c -o $@ $<

$(FUZZ_BINS): $(FUZZ_BUILD)/%: tests/fuzz/%.c $(FUZZ_COMMON) \
	    tests/fuzz/fuzz.h $(FUZZ_LIBOBJ)
	$(FUZZ_CC) $(ALLCPPFLAGS) -Itests/fuzz $(FUZZ_CFLAGS) -Werror \
	    -fsanitize=fuzzer -o $@ $< $(FUZZ_COMMON) $(FUZZ_LIBOBJ) $(LDLIBS)

# New inputs go to build-fuzz/corpus/TARGET; the seeds stay as committed.
fuzz: $(FUZZ_BINS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	    echo "== $$t for $(FUZZ_SECONDS) s"; \
	    mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/artifacts/$$t; \
	    $(FUZZ_BUILD)/$$t -max_total_time=$(FUZZ_SECONDS) \
	        -timeout=$(FUZZ_TIMEOUT_$$t) -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t/ \
	        $(FUZZ_BUILD)/corpus/$$t tests/fuzz/corpus/$$t \
	        tests/fuzz/regressions/$$t; \
	done

$(BUILD)/fuzz/replay_%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay.o \
	    $(BUILD)/tests/fuzz/fuzz_common.o $(LIBOBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/fuzz/%.o: ALLCPPFLAGS += -Itests/fuzz

fuzz-replay: $(REPLAY_BINS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	    $(BUILD)/fuzz/replay_$$t tests/fuzz/regressions/$$t \
	        tests/fuzz/corpus/$$t; \
	done

.PHONY: fuzz fuzz-replay
-include $(FUZZ_LIBOBJ:.o=.d) $(patsubst %,$(BUILD)/tests/fuzz/%.d,$(FUZZ_TARGETS) replay fuzz_common)
.SECONDARY: $(patsubst %,$(BUILD)/tests/fuzz/%.o,$(FUZZ_TARGETS) replay fuzz_common)
