#!/usr/bin/python3
"""Write RESULTS.md from the scratch folder of run_bench.sh.

    report.py SCRATCH BINARY REPO > RESULTS.md

SCRATCH holds runs.tsv (one line per measurement per round, in the order
they ran: name, tool, projects, jobs, mode, input, output folder, load
average, fresh|emptied, ok|failed, round), hf/NAME.rROUND.json (hyperfine,
one per round), hf/NAME.rss (peak RSS in KB of every run of every round),
hf/NAME.uptime (uptime before and after, a pair per round, in the order of
runs.tsv), bare.tsv (label, font bytes, "MS ms/doc CPU cpu-ms/doc BYTES
bytes"), load.start, load.end and elapsed.  The rounds of a measurement
are put together: its times are all its rounds' runs.
"""

import datetime
import json
import os
import re
import statistics
import subprocess
import sys

# Targets (2-core machine, medians, ratios within one run).
SMALL_VS_PY1 = 10
VS_PY1 = 12
VS_PY2 = 7
BRIEF_KB = 13
DRY_MBPS = 300
DRY_RSS_MB = 80
J2_SPEEDUP = 1.8


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True,
                              text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def pkg(name):
    return sh("dpkg-query -W -f='${Version}' %s 2>/dev/null" % name) or "-"


def folder_bytes(run_dir):
    total, briefs = 0, []
    for base, _, files in os.walk(run_dir):
        for f in files:
            size = os.path.getsize(os.path.join(base, f))
            total += size
            if os.path.basename(base) == "briefs" and f.endswith(".pdf"):
                briefs.append(size)
    return total, briefs


class Round:
    """One line of runs.tsv: one round of a measurement."""

    def __init__(self, line):
        (self.name, self.tool, n, jobs, self.mode, self.input, self.out,
         self.load, self.cond, status, rnd) = line.rstrip("\n").split("\t")
        self.n, self.jobs, self.round = int(n), int(jobs), int(rnd)
        self.ok = status == "ok"
        self.uptime = ("?", "?")


class Run:
    """A measurement: all its rounds together."""

    def __init__(self, scratch, rounds):
        first = rounds[0]
        self.name, self.tool, self.n, self.jobs = (
            first.name, first.tool, first.n, first.jobs)
        self.mode, self.input, self.cond = first.mode, first.input, first.cond
        out = first.out
        self.rounds = rounds
        # failed if any of its rounds failed
        self.ok = all(r.ok for r in rounds)
        # the most disturbed of its rounds
        self.load = max(rounds, key=lambda r: float(r.load)).load
        self.in_bytes = os.path.getsize(self.input)
        self.median = self.lo = self.hi = self.cpu = None
        self.runs = 0
        self.rss_kb = None
        self.out_bytes, self.briefs = None, []
        hf = os.path.join(scratch, "hf", self.name)
        try:
            with open(hf + ".uptime") as f:
                up = [re.sub(r".*load average: ", "", x.strip())
                      for x in f if x.strip()]
        except OSError:
            up = []
        for i, r in enumerate(rounds):
            r.uptime = tuple((up[2 * i:2 * i + 2] + ["?", "?"])[:2])
        if not self.ok:
            return
        times, cpu_sum = [], 0.0
        for r in rounds:
            with open("%s.r%d.json" % (hf, r.round)) as f:
                res = json.load(f)["results"][0]
            times += res["times"]
            # hyperfine's user and system are means over its runs
            cpu_sum += (res["user"] + res["system"]) * len(res["times"])
        self.median = statistics.median(times)
        self.lo, self.hi = min(times), max(times)
        self.runs = len(times)
        self.cpu = cpu_sum / len(times)
        with open(hf + ".rss") as f:
            kb = [int(x) for x in f.read().split() if x.isdigit()]
        self.rss_kb = max(kb) if kb else None
        if self.mode != "dry-run":
            label = "bench" if self.tool == "iomreport" else "all"
            # every run has a folder of its own: the last one made
            last = max((os.path.join(out, x) for x in os.listdir(out)),
                       key=os.path.getmtime)
            run_dir = os.path.realpath(os.path.join(last, label))
            if os.path.isdir(run_dir):
                self.out_bytes, self.briefs = folder_bytes(run_dir)

    @property
    def brief_med(self):
        return statistics.median(self.briefs) if self.briefs else None

    @property
    def briefs_per_s(self):
        if self.median and self.mode == "all":
            return self.n / self.median
        return None

    @property
    def mb_per_s(self):
        return self.in_bytes / 1e6 / self.median if self.median else None


def fmt(v, spec="%.2f", none="–"):
    return none if v is None else spec % v


def num(v):
    return "–" if v is None else "{:,}".format(v)


def kb(v):
    return fmt(v / 1000 if v is not None else None, "%.1f")


def main():
    scratch, binary, repo = sys.argv[1:4]
    with open(os.path.join(scratch, "runs.tsv")) as f:
        rounds = [Round(line) for line in f if line.strip()]
    # one per name, in the order of their first round
    names = {}
    for r in rounds:
        names.setdefault(r.name, []).append(r)
    runs = [Run(scratch, rs) for rs in names.values()]
    n_rounds = max((r.round for r in rounds if r.cond == "fresh"),
                   default=0)
    # the Python pipeline on the medium input runs in the first rounds only
    py_sizes = sorted({r.n for r in runs if r.tool == "python"})
    med_n = py_sizes[1] if len(py_sizes) > 1 else None
    py_rounds = max((len(r.rounds) for r in runs
                     if r.tool == "python" and r.n == med_n), default=0)
    # the targets are read from the runs into fresh folders
    by = {(r.tool, r.n, r.jobs, r.mode): r for r in runs
          if r.cond == "fresh"}

    def read(name):
        try:
            with open(os.path.join(scratch, name)) as f:
                return f.read().strip()
        except OSError:
            return ""

    out = []
    w = out.append
    w("# Benchmark results")
    w("")
    w("Written by `make bench` (`tests/bench/run_bench.sh`) on %s; the "
      "whole benchmark took %s s." % (
          datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
          read("elapsed") or "?"))
    w("Inputs from `tests/bench/gen_projects.py` (seed %s), "
      "`SOURCE_DATE_EPOCH=1000000000`, times are hyperfine **medians** "
      "over the runs of %d round%s." % (
          os.environ.get("BENCH_SEED", "1"), n_rounds,
          "" if n_rounds == 1 else "s"))
    w("")
    w("## Machine")
    w("")
    w("| | |")
    w("| --- | --- |")
    model = sh("lscpu | grep 'Model name'").split(":", 1)[-1].strip()
    mem = sh("free -g | awk '/^Mem:/ {print $2}'")
    debian = sh("cat /etc/debian_version")
    rows = [
        ("CPU", "%s, `nproc` = %s" % (model or "?", sh("nproc"))),
        ("Memory", "%s GB (`free -g`)" % mem),
        ("Kernel", sh("uname -sr")),
        ("Debian", debian),
        ("libhpdf", pkg("libhpdf-2.3.0")),
        ("libxlsxwriter", pkg("libxlsxwriter4")),
        ("libcsv", pkg("libcsv3")),
        ("python3 / pandas / reportlab / xlsxwriter", " / ".join(
            pkg(p) for p in ["python3", "python3-pandas",
                             "python3-reportlab", "python3-xlsxwriter"])),
        ("hyperfine", pkg("hyperfine")),
        ("iomreport", "%s, commit %s%s" % (
            sh("'%s' --version | head -1" % binary),
            sh("git -C '%s' rev-parse --short HEAD" % repo) or "?",
            " + uncommitted changes" if sh(
                "git -C '%s' status --porcelain -- src include" % repo)
            else "")),
        ("Load average at start / end", "%s / %s" % tuple(
            re.sub(r".*load average: ", "", read(x)) or "?"
            for x in ("load.start", "load.end"))),
        ("Date", sh("date -u '+%Y-%m-%d %H:%M UTC'")),
    ]
    for k, v in rows:
        w("| %s | %s |" % (k, v))
    w("")

    w("## Method")
    w("")
    w("The measurements run in %d round%s: a round runs every measurement "
      "of the list once, in the order of the table below (the quick ones, "
      "%s projects with iomreport, twice after a warmup%s), and each "
      "median, minimum and maximum is over the runs of all its rounds.  The "
      "host's speed drifts by 20 to 30 %% over minutes (a shared VM), so "
      "all the runs of one measurement followed minutes later by all the "
      "runs of the next would compare different stretches of host speed; "
      "every round runs iomreport and the Python pipeline back to back, "
      "so a ratio compares runs of the same stretches." % (
          n_rounds, "" if n_rounds == 1 else "s",
          num(py_sizes[0]) if py_sizes else "the fewest",
          "" if not med_n or py_rounds == n_rounds else
          "; the Python pipeline on %s projects, the longest, only in the "
          "first %s" % (num(med_n), "round" if py_rounds == 1 else
                        "%d rounds" % py_rounds)))
    w("")
    w("Every timed run, of iomreport and of the Python pipeline alike, "
      "writes into a new output folder that the timed command makes "
      "(`mktemp -d`), and no output is removed before all the measurements "
      "are done.  That is the folder a nightly run meets: last night's run "
      "folders are still there and pruning removes folders a day or more "
      "old, never the files of a run seconds before.  Removing the "
      "previous run's output just before each run (hyperfine's `--prepare "
      "\"rm -rf ...\"`) measures something else: ext4's inode allocator "
      "then steps over the thousands of inodes freed a moment before "
      "(it keeps recently freed inodes from reuse for a while), which "
      "costs seconds at 10,000 briefs and lands on file creation, so on "
      "the workers that create files in one folder at once.  One "
      "measurement of that old condition is kept, last, after the rounds "
      "(its freed inodes would disturb what ran after it), as a secondary "
      "line marked *emptied*; the targets are read from the fresh-folder runs.  For "
      "the same reason the outputs go under `/var/tmp`, not `/tmp`: a "
      "folder made under `/tmp` shares its inode group with the folders "
      "that every test suite on the machine makes and removes there, and "
      "its file creation pays for their freed inodes (6 to 8 % of a "
      "1,000-project run's CPU time in a profile, none under `/var/tmp`).")
    w("")
    w("## Measurements")
    w("")
    w("| tool | projects | jobs | outputs | output folder | runs | "
      "median wall (s) | min–max (s) | CPU (s) | briefs/s | input MB/s | "
      "peak RSS (MB) | output bytes | median brief (KB) | load |")
    w("| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: "
      "| ---: | ---: | ---: | ---: | ---: |")
    for r in runs:
        if not r.ok:
            w("| %s | %d | %d | %s | %s | – | **failed** | | | | | | | | "
              "%s |" % (r.tool, r.n, r.jobs, r.mode, r.cond, r.load))
            continue
        w("| %s | %d | %d | %s | %s | %d | %.3f | %.3f–%.3f | %.2f | %s | "
          "%s | %s | %s | %s | %s |" % (
              r.tool, r.n, r.jobs, r.mode,
              "fresh" if r.cond == "fresh" else "*emptied*", r.runs,
              r.median, r.lo, r.hi,
              r.cpu, fmt(r.briefs_per_s, "%.0f"), fmt(r.mb_per_s, "%.1f"),
              kb(r.rss_kb), num(r.out_bytes), kb(r.brief_med), r.load))
    w("")
    w("Runs counts the runs of all rounds.  CPU is user + system time of "
      "the run and its children (the mean over all the runs); unlike wall "
      "time it hardly moves when other work shares the machine.  Load is "
      "the highest 1-minute load average at the start of one of the "
      "measurement's rounds (it includes the previous measurement); on a "
      "2-core machine anything above about 1 means the wall times are "
      "disturbed.  ")
    w("Input MB are 10^6 bytes.  Peak RSS is the largest single process "
      "(`/usr/bin/time` around every hyperfine run, maximum over the runs); "
      "with worker processes it is not their sum.  Output bytes are every "
      "file of the last run's folder (briefs, summary, workbook, manifest, "
      "rejects).  The Python pipeline does not fsync, lock or publish "
      "atomically; iomreport does.")
    w("")
    w("`uptime`'s load averages (1, 5, 15 minutes) just before and just "
      "after each round of each measurement, in the order they ran:")
    w("")
    w("| measurement | before | after |")
    w("| --- | --- | --- |")
    for r in rounds:
        w("| %s r%d | %s | %s |" % ((r.name, r.round) + r.uptime))
    w("")

    w("## Python / iomreport, side by side")
    w("")
    w("| projects | python jobs | iomreport jobs | python (s) | "
      "iomreport (s) | time ratio | CPU ratio | python bytes | "
      "iomreport bytes | size ratio | median brief python / iomreport (KB) |")
    w("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
      "---: | ---: |")
    sizes = sorted({r.n for r in runs if r.tool == "python"})
    for n in sizes:
        for pj, ij in [(1, 1), (2, 2), (1, 2)]:
            p, i = by.get(("python", n, pj, "all")), \
                by.get(("iomreport", n, ij, "all"))
            if not (p and i and p.ok and i.ok):
                continue
            w("| %d | %d | %d | %.2f | %.2f | **%.1f×** | %.1f× | %s | %s | "
              "%s× | %s / %s |" % (
                  n, pj, ij, p.median, i.median, p.median / i.median,
                  p.cpu / i.cpu,
                  num(p.out_bytes), num(i.out_bytes),
                  fmt(p.out_bytes / i.out_bytes if p.out_bytes and
                      i.out_bytes else None, "%.1f"),
                  kb(p.brief_med), kb(i.brief_med)))
    for i in runs:
        p = by.get(("python", i.n, 1, "all"))
        if i.cond != "fresh" and i.ok and p and p.ok:
            w("| %d | 1 | %d, *output emptied just before* | %.2f | %.2f | "
              "%.1f× | %.1f× | | | | |" % (
                  i.n, i.jobs, p.median, i.median, p.median / i.median,
                  p.cpu / i.cpu))
    w("")

    bare = []
    for line in read("bare.tsv").splitlines():
        label, font_bytes, rest = line.split("\t")
        m = re.match(r"([\d.]+) ms/doc ([\d.]+) cpu-ms/doc (\d+) bytes",
                     rest)
        if m:
            bare.append((label, int(font_bytes), float(m.group(1)),
                         float(m.group(2)), int(m.group(3))))
    w("## Floor: a bare libharu document")
    w("")
    w("`tests/bench/bare_brief.c`: one A4 page, ~40 lines of a brief's text "
      "with `HPDF_Page_ShowText`, compression on, saved to a file, %s "
      "documents in a loop.  The subset fonts are cut by `hb-subset` to the "
      "characters of the %s-project input." % (
          os.environ.get("BENCH_BARE_DOCS", "200"),
          num(sizes[-1]) if sizes else "medium"))
    w("")
    w("| fonts | font bytes | wall ms per document | CPU ms per document | "
      "document bytes |")
    w("| --- | ---: | ---: | ---: | ---: |")
    for label, fb, ms, cpu, db in bare:
        w("| %s | %s | %.2f | %.2f | %s |" % (label, num(fb), ms, cpu,
                                             num(db)))
    w("")

    w("## Targets")
    w("")
    w("| target | measured | met |")
    w("| --- | --- | --- |")

    def target(text, value, ok):
        w("| %s | %s | %s |" % (text, value,
                                "–" if ok is None else
                                ("**yes**" if ok else "**no**")))

    def ok_run(*key):
        r = by.get(key)
        return r if r and r.ok else None

    small = sizes[0] if sizes else None
    med = sizes[1] if len(sizes) > 1 else None
    s2, sp1 = ok_run("iomreport", small, 2, "all"), ok_run("python", small,
                                                            1, "all")
    i1 = ok_run("iomreport", med, 1, "all")
    i2 = ok_run("iomreport", med, 2, "all")
    p1 = ok_run("python", med, 1, "all")
    p2 = ok_run("python", med, 2, "all")
    dry = [r for r in runs if r.mode == "dry-run" and r.ok]
    dry = dry[0] if dry else None
    for n, i, p, factor, what in [
            (small, s2, sp1, SMALL_VS_PY1, "single-process"),
            (med, i2, p1, VS_PY1, "single-process"),
            (med, i2, p2, VS_PY2, "with 2 processes")]:
        ratio = p.median / i.median if p and i else None
        target("%s projects, all outputs, `-j2`, ≥ %d × faster than Python "
               "%s" % (num(n), factor, what), fmt(ratio, "%.1f×"),
               ratio >= factor if ratio else None)
    bm = i2.brief_med if i2 else None
    target("Median brief ≤ %d KB (%s projects, true bold)" % (
        BRIEF_KB, num(med)), kb(bm) + " KB",
        bm <= BRIEF_KB * 1000 if bm else None)
    sp = i1.median / i2.median if i1 and i2 else None
    target("`-j2` ≥ %.1f × faster than `-j1` (%s projects)" % (
        J2_SPEEDUP, num(med)), fmt(sp, "%.2f×"),
        sp >= J2_SPEEDUP if sp else None)
    target("`--dry-run` on %s projects: input ≥ %d MB/s" % (
        num(dry.n if dry else None), DRY_MBPS),
        fmt(dry.mb_per_s if dry else None, "%.0f MB/s"),
        dry.mb_per_s >= DRY_MBPS if dry else None)
    rss = dry.rss_kb / 1000 if dry and dry.rss_kb else None
    target("`--dry-run` peak RSS < %d MB" % DRY_RSS_MB,
           fmt(rss, "%.0f MB"), rss < DRY_RSS_MB if rss else None)
    w("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
