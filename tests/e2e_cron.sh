#!/bin/sh
# End-to-end: what cron relies on (README, Running under cron): the lock, atomic
# publication under SIGKILL, clean stops on SIGTERM/SIGINT, reproducible
# bytes, and write faults that leave the previous run in place.
set -u
bin=$1
. tests/lib.sh
t=$(mktemp -d)
mnt=""
cleanup() {
    [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
    rm -rf "$t"
}
trap cleanup EXIT
in=$(pwd)/input/projects.csv

# Two runs on one output folder: while the first holds the lock (stopped
# at the point where it has just taken it), a second exits 75 at once,
# and a third with --wait waits (it reaches its waiting point) and
# publishes once the first is done.
pause_at locked "$t/fa" "$bin" --output "$t/c" --input "$in" 2>"$t/c.err"
check "the first run holds the lock" test "$pause_got" = locked
a=$paused_pid
expect_exit "a second run meanwhile exits 75" 75 "$bin" --output "$t/c" --input "$in"
pause_at waiting-for-lock "$t/fc" "$bin" --output "$t/c" --input "$in" --wait
check "a run with --wait waits for it" test "$pause_got" = waiting-for-lock
c=$paused_pid
resume "$t/fc"
resume "$t/fa"
wait $a; s1=$?
wait $c; s2=$?
check "then both publish (exit $s1 $s2)" sh -c "[ '$s1 $s2' = '0 0' ]"
check "the run that published is whole" $PY tests/check_published.py "$t/c/all"
check "two run folders after the two runs" \
    sh -c "[ \$(ls -d '$t/c'/.all.run-* | wc -l) -eq 2 ]"

# SIGKILL at each point of a run: the lock taken, each kind of file
# rendered, just before and just after the publication.  Each kill lands
# in a live run (it waits at the point: exit 137); the published folder is
# always whole, the previous run before the publication and the new one
# after it; the next run succeeds and removes the leftovers.
SOURCE_DATE_EPOCH=1000000000 "$bin" --output "$t/k" --input "$in"
first=$($PY -c "import csv; print(next(csv.DictReader(open('$in', encoding='utf-8-sig')))['Projects ID'])").pdf
for point in locked rendered:summary.pdf rendered:rollup.xlsx \
             "rendered:$first" publishing published; do
    before=$(readlink "$t/k/all")
    if pause_at "$point" "$t/fk" "$bin" --output "$t/k" --input "$in"; then
        kill -KILL $paused_pid
        wait $paused_pid 2>/dev/null
        got=$?
        check "SIGKILL at $point lands in the live run (exit $got)" test $got -eq 137
    else
        bad "the run did not reach $point"
        wait $paused_pid 2>/dev/null
    fi
    check "after SIGKILL at $point the published run is whole" \
        $PY tests/check_published.py "$t/k/all"
    if [ "$point" = published ]; then
        check "SIGKILL after the publication: the new run is published" \
            test "$(readlink "$t/k/all")" != "$before"
    else
        check "SIGKILL at $point: the previous run stays published" \
            test "$(readlink "$t/k/all")" = "$before"
    fi
done
expect_exit "the run after the kills succeeds" 0 "$bin" --output "$t/k" --input "$in"
check "and leaves no staging folder" \
    sh -c "! ls -d '$t/k'/.all.staging-* 2>/dev/null"
check "nor more than two run folders" \
    sh -c "[ \$(ls -d '$t/k'/.all.run-* | wc -l) -eq 2 ]"

# SIGTERM and SIGINT while a brief is being rendered (the run waits at
# the point where one is done): staging removed, lock released, 143, 130.
for sig in TERM INT; do
    cp "$t/k/all/manifest.json" "$t/before.json"
    if pause_at "rendered:$first" "$t/fs" "$bin" --output "$t/k" --input "$in"; then
        check "SIG$sig lands in the live run" kill -$sig $paused_pid
    else
        bad "the run did not reach rendered:$first"
    fi
    wait $paused_pid
    got=$?
    want=143
    [ $sig = INT ] && want=130
    check "SIG$sig exits $want (got $got)" test "$got" -eq "$want"
    check "SIG$sig leaves no staging" \
        sh -c "! ls -d '$t/k'/.all.staging-* 2>/dev/null"
    check "SIG$sig keeps the previous run" cmp "$t/before.json" "$t/k/all/manifest.json"
    expect_exit "SIG$sig released the lock" 0 "$bin" --output "$t/k" --input "$in" --only workbook
done

# Quiet for cron: nothing on stderr for a good run off a terminal;
# --verbose adds a line per stage, --progress forces the progress bar.
"$bin" --output "$t/q" --input "$in" 2>"$t/quiet"
check "a good run off a terminal prints nothing" test ! -s "$t/quiet"
"$bin" --output "$t/q" --input "$in" --verbose 2>"$t/verbose"
for stage in "read .*: 50 records, 50 accepted, 0 rejected" \
             "rendered 50 briefs, book.pdf, summary.pdf, rollup.xlsx with [0-9]* workers*"; do
    check "--verbose says: $stage" grep -q "^iomreport: $stage.*([0-9.]* s)$" "$t/verbose"
done
check "--verbose ends with what was published" sh -c \
    "tail -n 1 '$t/verbose' | grep -q '^iomreport: published .*: 50 briefs, summary, workbook, book; 0 rejected; [0-9.]* s\$'"
"$bin" --output "$t/q" --input "$in" --progress --only briefs 2>"$t/progress"
check "--progress draws a bar" grep -q "rendering \[#*\] 50/50" "$t/progress"

# Reproducible: the same SOURCE_DATE_EPOCH gives byte-identical files.
SOURCE_DATE_EPOCH=1234567890 "$bin" --output "$t/r1" --input "$in" --year 2001
sleep 1
SOURCE_DATE_EPOCH=1234567890 "$bin" --output "$t/r2" --input "$in" --year 2001
check "two runs with one SOURCE_DATE_EPOCH are byte-identical" \
    diff -r "$t/r1/2001/" "$t/r2/2001/"
check "PDF dates come from SOURCE_DATE_EPOCH" sh -c \
    "pdfinfo -isodates '$t/r1/2001/summary.pdf' | grep -q '^CreationDate: *2009-02-13T23:31:30'"

# The number of workers does not change a byte.
SOURCE_DATE_EPOCH=1234567890 "$bin" --output "$t/j1" --input "$in" -j1
SOURCE_DATE_EPOCH=1234567890 "$bin" --output "$t/j2" --input "$in" -j2
check "-j1 and -j2 outputs are byte-identical" diff -r "$t/j1/all/" "$t/j2/all/"

# Fonts that cannot be loaded: a clear message, nothing published.  (Fonts
# found nowhere, exit 72, cannot happen here beside the system's DejaVu:
# test_fonts checks the message with the system folder taken away.)
mkdir -p "$t/nofonts/run" "$t/nofonts/bin" "$t/badfonts"
cp "$bin" "$t/nofonts/bin/iomreport"
( cd "$t/nofonts/run" && IOMREPORT_FONTS= ./../bin/iomreport --input "$in" \
    --output out 2>"$t/fonterr"; echo $? > "$t/fontrc" )
if [ -r /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
    check "a lone binary falls back on the system's DejaVu" \
        grep -qx 0 "$t/fontrc"
else
    check "missing fonts exit 72" grep -qx 72 "$t/fontrc"
    check "the message names the folders tried" \
        grep -q "cannot find usable fonts.*'fonts/'" "$t/fonterr"
fi
: > "$t/badfonts/DejaVuSans.ttf"
: > "$t/badfonts/DejaVuSans-Bold.ttf"
"$bin" --input "$in" --output "$t/bf" --fonts "$t/badfonts" 2>"$t/bferr"
check "an unreadable font fails the run" test $? -ne 0
check "an unreadable font publishes nothing" sh -c "[ ! -e '$t/bf/all' ]"
# A file that is not a font, under the font's name: exit 72, and the line
# names the file given, and the --fonts it came from.
cp tests/data/not_a_font.ttf "$t/badfonts/DejaVuSans.ttf"
cp fonts/DejaVuSans-Bold.ttf "$t/badfonts/DejaVuSans-Bold.ttf"
"$bin" --input "$in" --output "$t/nf" --fonts "$t/badfonts" 2>"$t/nferr"
check "a file that is not a font exits 72" test $? -eq 72
check "the message names that file and what is wrong" grep -qx \
    "iomreport: cannot load font '$t/badfonts/DejaVuSans.ttf': no readable Unicode character map (cmap format 4) (--fonts '$t/badfonts')" \
    "$t/nferr"
check "a file that is not a font publishes nothing" sh -c "[ ! -e '$t/nf/all' ]"
# Fonts are tried when looked up, so a font fails in the rendering workers
# only when it changes after that: here swapped, once the run is locked,
# for a file that is not a font.  The run exits 72, also under a parent
# that ignores SIGCHLD (the setting is inherited through exec): the
# workers' exit statuses still reach the run.
mkdir -p "$t/swapfonts"
cp fonts/DejaVuSans.ttf fonts/DejaVuSans-Bold.ttf "$t/swapfonts/"
pause_at locked "$t/fw" /usr/bin/python3 -c 'import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execv(sys.argv[1], sys.argv[1:])' "$bin" --input "$in" --output "$t/ni" \
    --fonts "$t/swapfonts" -j2 2>"$t/nierr"
check "the run with SIGCHLD ignored reaches its lock" test $? -eq 0
cp tests/data/not_a_font.ttf "$t/swapfonts/DejaVuSans.ttf"
resume "$t/fw"
wait $paused_pid
check "with SIGCHLD ignored, a worker's font failure still exits 72" \
    test $? -eq 72
# (Each worker may say its font failure: the lines, not their count.)
check "and the workers' line names the font file" grep -q \
    "^iomreport: cannot load font '$t/swapfonts/DejaVuSans.ttf': no readable Unicode character map (cmap format 4)$" \
    "$t/nierr"
check "a worker's font failure publishes nothing" sh -c "[ ! -e '$t/ni/all' ]"

# Cron with the standard streams closed (">&- 2>&- <&-"): the run's own
# files take no stream's number, so no message lands in the lock file or
# an output; the exit status is that of the same run with them open.
"$bin" --input tests/data/bad_records.csv --output "$t/open" --label x \
    --max-rejected 100% --no-progress -v >/dev/null 2>&1
open_rc=$?
"$bin" --input tests/data/bad_records.csv --output "$t/closed" --label x \
    --max-rejected 100% --no-progress -v >&- 2>&- <&-
check "with the standard streams closed, the same exit status" \
    test $? -eq "$open_rc"
check "with the standard streams closed, the lock file is empty" \
    test ! -s "$t/closed/.x.lock"
check "with the standard streams closed, no message in the outputs" sh -c \
    "! grep -rl 'iomreport:' '$t/closed/x/' &&
     cmp '$t/open/x/rejected.csv' '$t/closed/x/rejected.csv'"

# Write faults on a small file system: 74 (ENOSPC), 73 (read-only), and
# the previous run stays.
mnt="$t/small"
mkdir -p "$mnt"
if mount -t tmpfs -o size=400k tmpfs "$mnt" 2>/dev/null; then
    expect_exit "a small run fits" 0 "$bin" --input "$in" --output "$mnt" --only summary
    cp "$mnt/all/manifest.json" "$t/small.json"
    "$bin" --input "$in" --output "$mnt" 2>"$t/nospc"
    check "a full disk exits 74" test $? -eq 74
    check "a full disk is reported" grep -q "No space left on device" "$t/nospc"
    check "a full disk keeps the previous run" cmp "$t/small.json" "$mnt/all/manifest.json"
    check "a full disk leaves no staging" sh -c "! ls -d '$mnt'/.all.staging-* 2>/dev/null"
    mount -o remount,ro "$mnt"
    expect_exit "a read-only output folder exits 73" 73 \
        "$bin" --input "$in" --output "$mnt" --only summary
    expect_exit "a folder that cannot be made exits 73" 73 \
        "$bin" --input "$in" --output "$mnt/new" --only summary
    umount "$mnt"
    mnt=""
else
    bad "cannot mount a tmpfs for the write-fault tests (needs root)"
fi

finish e2e_cron
