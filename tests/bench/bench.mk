# `make bench`: the benchmark, included by the top Makefile
# (include tests/bench/bench.mk).  Writes tests/bench/RESULTS.md; inputs
# are cached in /tmp, outputs go to /var/tmp (see tests/bench/run_bench.sh
# for the knobs).

BENCH_BARE = $(BUILD)/bench/bare_brief

# The floor micro-benchmark links libharu only, nothing of iomreport.
$(BENCH_BARE): tests/bench/bare_brief.c
	@mkdir -p $(@D)
	$(CC) $(ALLCPPFLAGS) $(ALLCFLAGS) -o $@ $< $(LDFLAGS) -lhpdf -lz -lm

bench: $(BENCH_BARE)
	@$(MAKE) --no-print-directory all
	sh tests/bench/run_bench.sh $(BUILD)/iomreport $(BENCH_BARE)

.PHONY: bench
