#!/bin/sh
# End-to-end: what cron relies on (SPEC section 4): the lock, atomic
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

# Two runs started together on one output folder: one publishes, the other
# exits 75 at once; with --wait both publish in turn.
"$bin" --output "$t/c" --input "$in" & p1=$!
"$bin" --output "$t/c" --input "$in" & p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
check "two runs together: one 0, one 75" sh -c \
    "[ '$s1 $s2' = '0 75' ] || [ '$s1 $s2' = '75 0' ]"
check "the run that published is whole" $PY tests/check_published.py "$t/c/all"
"$bin" --output "$t/w" --input "$in" --wait & p1=$!
"$bin" --output "$t/w" --input "$in" --wait & p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
check "with --wait both succeed" sh -c "[ '$s1 $s2' = '0 0' ]"
check "two run folders after two waited runs" \
    sh -c "[ \$(ls -d '$t/w'/.all.run-* | wc -l) -eq 2 ]"

# SIGKILL at many points while rendering: the published folder is always
# whole (the previous run or, once published, the new one), and the next
# run succeeds and removes the leftovers.
SOURCE_DATE_EPOCH=1000000000 "$bin" --output "$t/k" --input "$in"
for d in 0.01 0.03 0.05 0.08 0.1 0.15 0.2 0.25 0.3 0.35 0.4 0.5 0.6 0.8; do
    "$bin" --output "$t/k" --input "$in" & p=$!
    sleep $d
    kill -KILL $p 2>/dev/null
    wait $p 2>/dev/null
    check "after SIGKILL at ${d}s the published run is whole" \
        $PY tests/check_published.py "$t/k/all"
done
expect_exit "the run after the kills succeeds" 0 "$bin" --output "$t/k" --input "$in" --wait=10
check "and leaves no staging folder" \
    sh -c "! ls -d '$t/k'/.all.staging-* 2>/dev/null"
check "nor more than two run folders" \
    sh -c "[ \$(ls -d '$t/k'/.all.run-* | wc -l) -eq 2 ]"

# SIGTERM and SIGINT: staging removed, lock released, 143 and 130.
for sig in TERM INT; do
    cp "$t/k/all/manifest.json" "$t/before.json"
    "$bin" --output "$t/k" --input "$in" & p=$!
    sleep 0.15
    kill -$sig $p
    wait $p
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
             "rendered 50 briefs, book.pdf, summary.pdf, rollup.xlsx with [0-9]* workers*" \
             "published .*: 50 projects"; do
    check "--verbose says: $stage" grep -q "^iomreport: $stage.*([0-9.]* s)$" "$t/verbose"
done
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

# Fonts that cannot be found or loaded: a clear message, nothing published.
mkdir -p "$t/nofonts/run" "$t/badfonts"
( cd "$t/nofonts/run" && IOMREPORT_FONTS= "$bin" --input "$in" --output out \
    2>"$t/fonterr"; echo $? > "$t/fontrc" )
check "missing fonts exit 72" grep -qx 72 "$t/fontrc"
check "the message names the folders tried" \
    grep -q "cannot find readable fonts.*'fonts/'" "$t/fonterr"
check "missing fonts publish nothing" sh -c "[ ! -e '$t/nofonts/run/out/all' ]"
: > "$t/badfonts/DejaVuSans.ttf"
: > "$t/badfonts/DejaVuSans-Bold.ttf"
"$bin" --input "$in" --output "$t/bf" --fonts "$t/badfonts" 2>"$t/bferr"
check "an unreadable font fails the run" test $? -ne 0
check "an unreadable font publishes nothing" sh -c "[ ! -e '$t/bf/all' ]"

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
