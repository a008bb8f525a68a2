#!/bin/sh
# End-to-end: publication never deletes or replaces what it did not make.
# A person's folder, file or link at DIR/LABEL refuses the run (73) and
# stays as it was; the published run is never pruned, whatever its name;
# files and folders the program does not know survive --keep 1; links
# planted at the lock or at names the program uses are refused or left
# alone, never followed; a run-named folder holding anything its manifest
# does not list is never taken for an earlier version's run.
set -u
bin=$1
. tests/lib.sh
scratch e2e_publish
t=$tmp
in=$(pwd)/input/projects.csv

# One quick run of 2001 into the output folder $1 (more options after it).
run() {
    run_out=$1
    shift
    "$bin" --input "$in" --year 2001 --only workbook --output "$run_out" "$@"
}

# refused NAME OUT PATH KIND: a run into OUT exits 73 with the one line
# that names PATH as a KIND iomreport did not make, and publishes nothing.
refused() {
    refused_name=$1
    run "$2" --keep 1 2>"$t/err"
    refused_rc=$?
    check "$refused_name: exit 73 (got $refused_rc)" test "$refused_rc" -eq 73
    check "$refused_name: one line on stderr" \
        sh -c "[ \$(wc -l < '$t/err') -eq 1 ]"
    check "$refused_name: the line names '$3' and what to do" grep -q \
        "^iomreport: '$3' is a $4 .*iomreport did not .*: \(move\|remove\) it .*or choose another --label$" \
        "$t/err"
    check "$refused_name: nothing published" \
        sh -c "! ls -d '$2'/.2001.run-2* '$2'/.2001.staging-* 2>/dev/null"
}

# A folder a person made at DIR/LABEL: refused, twice, with --keep 1.
mkdir -p "$t/d/2001"
echo "my notes" > "$t/d/2001/notes.txt"
refused "a person's folder" "$t/d" "$t/d/2001" folder
refused "a person's folder, second run" "$t/d" "$t/d/2001" folder
check "the person's folder is still a folder" \
    sh -c "[ -d '$t/d/2001' ] && [ ! -L '$t/d/2001' ]"
check "with the person's file in it" grep -qx "my notes" "$t/d/2001/notes.txt"
check "and nothing else" sh -c "[ \$(ls -A '$t/d/2001' | wc -l) -eq 1 ]"

# A plain file at DIR/LABEL: refused, not replaced by the link.
mkdir -p "$t/f"
echo "my file" > "$t/f/2001"
refused "a person's file" "$t/f" "$t/f/2001" file
check "the file is still a plain file" \
    sh -c "[ -f '$t/f/2001' ] && [ ! -L '$t/f/2001' ]"
check "with its text" grep -qx "my file" "$t/f/2001"

# A link at DIR/LABEL to a folder elsewhere, or to a folder that merely
# has a run folder's name: not ours, refused, not replaced.
mkdir -p "$t/s/elsewhere" "$t/s/.2001.run-20260101T000000.000000000Z"
echo theirs > "$t/s/elsewhere/summary.pdf"
echo theirs > "$t/s/.2001.run-20260101T000000.000000000Z/summary.pdf"
ln -s elsewhere "$t/s/2001"
refused "a link elsewhere" "$t/s" "$t/s/2001" "link to 'elsewhere'"
check "the link still points elsewhere" \
    sh -c "[ \"\$(readlink '$t/s/2001')\" = elsewhere ]"
rm "$t/s/2001"
ln -s .2001.run-20260101T000000.000000000Z "$t/s/2001"
run "$t/s" --keep 1 2>"$t/err"
check "a link to an unmarked run-named folder exits 73" test $? -eq 73
check "that folder keeps its file" \
    grep -qx theirs "$t/s/.2001.run-20260101T000000.000000000Z/summary.pdf"
check "the folder elsewhere keeps its file" \
    grep -qx theirs "$t/s/elsewhere/summary.pdf"

# The published run is never pruned.  A run published while the clock
# was years ahead (made here by renaming) sorts last by name; the run
# after it, with the clock right again, is the newer one and stays.
expect_exit "a first run publishes" 0 run "$t/c"
first=$(readlink "$t/c/2001")
future=.2001.run-20991231T235959.000000000Z
mv "$t/c/$first" "$t/c/$future"
ln -sfn "$future" "$t/c/2001"
expect_exit "the run after the clock change exits 0" 0 run "$t/c" --keep 1
check "the link resolves" test -f "$t/c/2001/manifest.json"
check "to a whole run" $PY tests/check_published.py "$t/c/2001"
check "which is the new run, not the future-stamped one" \
    sh -c "[ \"\$(readlink '$t/c/2001')\" != '$future' ]"
check "--keep 1 left one run folder" \
    sh -c "[ \$(ls -d '$t/c'/.2001.run-* | wc -l) -eq 1 ]"
for k in 2 3; do
    expect_exit "run $k with --keep 2" 0 run "$t/c" --keep 2
done
check "--keep 2 keeps two" sh -c "[ \$(ls -d '$t/c'/.2001.run-* | wc -l) -eq 2 ]"
check "and the published one is whole" $PY tests/check_published.py "$t/c/2001"

# What the program does not know survives --keep 1: the label's delivery
# log, other files, folders and links that only look like ours.
mkdir -p "$t/u/.2001.run-20000101T000000.000000000Z" \
    "$t/u/.2001.staging-99999" "$t/u/.2001.scratch-99999" "$t/u/victim"
echo log > "$t/u/.2001.delivery.log"
echo notes > "$t/u/.2001.notes"
echo old > "$t/u/.2001.run-20000101T000000.000000000Z/summary.pdf"
echo half > "$t/u/.2001.staging-99999/half.pdf"
echo v > "$t/u/victim/keep.txt"
ln -s victim "$t/u/.2001.staging-99998"
ln -s victim "$t/u/.2001.run-20000102T000000.000000000Z"
ln -s victim "$t/u/.2001.link-99999"
for k in 1 2 3; do
    expect_exit "run $k with --keep 1 beside unknown files" 0 run "$t/u" --keep 1
done
check ".2001.delivery.log survives" grep -qx log "$t/u/.2001.delivery.log"
check "another unknown file survives" grep -qx notes "$t/u/.2001.notes"
check "an unmarked run-named folder survives" \
    grep -qx old "$t/u/.2001.run-20000101T000000.000000000Z/summary.pdf"
check "an unmarked staging-named folder survives" \
    grep -qx half "$t/u/.2001.staging-99999/half.pdf"
check "an empty unmarked scratch-named folder survives" \
    test -d "$t/u/.2001.scratch-99999"
for l in .2001.staging-99998 .2001.run-20000102T000000.000000000Z \
         .2001.link-99999; do
    check "the planted link $l stays" test -L "$t/u/$l"
done
check "what the links point at is untouched" \
    sh -c "[ \"\$(ls -A '$t/u/victim')\" = keep.txt ] && grep -qx v '$t/u/victim/keep.txt'"
check "one run folder of ours (with the marker)" \
    sh -c "[ \$(ls '$t/u'/.2001.run-*/.iomreport-run | wc -l) -eq 1 ]"
check "the published run is whole" $PY tests/check_published.py "$t/u/2001"

# A link planted as the lock file: refused (73), its target not created.
mkdir -p "$t/l"
ln -s "$t/l/created-through-the-link" "$t/l/.2001.lock"
run "$t/l" 2>"$t/err"
check "a planted lock link exits 73" test $? -eq 73
check "and says so" grep -q \
    "^iomreport: lock file '$t/l/.2001.lock' is a symbolic link that iomreport did not make: remove it$" \
    "$t/err"
check "its target is not created" test ! -e "$t/l/created-through-the-link"
check "nothing published" test ! -e "$t/l/2001"
expect_exit "send LABEL refuses it too" 73 "$bin" send 2001 --output "$t/l" \
    --outbox "$t/l/outbox"
check "its target is still not created" test ! -e "$t/l/created-through-the-link"

# Run folders of an iomreport from before the marker (simulated: the
# marker removed; one has the delivery log those versions kept in the
# run) are adopted through their manifest, not refused, and the run says
# so once, without -v; a folder of the right name without an iomreport
# manifest is not.
mkdir -p "$t/a"
run "$t/a" 2>"$t/err"
run "$t/a" 2>"$t/err"
for m in "$t/a"/.2001.run-*/.iomreport-run; do rm "$m"; done
echo '{}' > "$(ls -d "$t/a"/.2001.run-* | head -n 1)/delivery.log"
mkdir "$t/a/.2001.run-20000101T000000.000000000Z"
echo "mine" > "$t/a/.2001.run-20000101T000000.000000000Z/notes.txt"
run "$t/a" --keep 1 2>"$t/err"
check "an upgrade's first run is not refused (exit 0)" test $? -eq 0
check "both old run folders adopted, said without -v" \
    sh -c "[ \$(grep -c \"^iomreport: adopted '$t/a/.2001.run-.*', a run folder of an earlier iomreport\" '$t/err') -eq 2 ]"
check "the adopted ones are pruned by --keep 1" \
    sh -c "[ \$(ls '$t/a'/.2001.run-*/.iomreport-run | wc -l) -eq 1 ]"
check "a run-named folder without a manifest stays" \
    grep -qx mine "$t/a/.2001.run-20000101T000000.000000000Z/notes.txt"
check "the published run is whole after adoption" $PY tests/check_published.py "$t/a/2001"
run "$t/a" --keep 1 2>"$t/err"
check "adoption is said once: not by the next run" \
    sh -c "! grep -q adopted '$t/err'"

# A person's folder with a run folder's name, holding a copy of a
# manifest beside their notes and drafts, is no run of an earlier
# version: never adopted, so never pruned, whatever --keep (the default
# 2 here, run after run); -v says why it was not taken.
mkdir -p "$t/p"
run "$t/p" 2>"$t/err"
mine="$t/p/.2001.run-20190101T000000.000000000Z"
mkdir -p "$mine/drafts"
cp "$t/p/2001/manifest.json" "$mine/"
cp "$t/p/2001/manifest.json" "$t/manifest.copy"
echo "my notes" > "$mine/notes.txt"
echo "a draft" > "$mine/drafts/draft.txt"
for k in 1 2 3; do
    run "$t/p" 2>"$t/err"
    check "run $k beside a person's run-named folder (exit $?)" \
        test -L "$t/p/2001"
    check "run $k: nothing said about it" sh -c "[ ! -s '$t/err' ]"
done
run "$t/p" -v 2>"$t/err"
check "-v says why it is not taken" grep -q \
    "'$mine' is not taken for a run folder of an earlier iomreport: '.*' is not listed" \
    "$t/err"
check "the person's folder keeps its notes" grep -qx "my notes" "$mine/notes.txt"
check "and its drafts" grep -qx "a draft" "$mine/drafts/draft.txt"
check "and its copy of the manifest" cmp -s "$t/manifest.copy" "$mine/manifest.json"
check "and is not marked as ours" test ! -e "$mine/.iomreport-run"
check "--keep 2 kept two runs of ours beside it" \
    sh -c "[ \$(ls '$t/p'/.2001.run-*/.iomreport-run | wc -l) -eq 2 ]"

# An output folder that cannot be made (a file stands where a parent
# folder would go): 73 and the one line that says which and why.
echo file > "$t/plain"
run "$t/plain/out" 2>"$t/err"
mk_rc=$?
check "an output folder under a file: exit 73 (got $mk_rc)" test "$mk_rc" -eq 73
check "and one line naming it" sh -c \
    "[ \"\$(cat '$t/err')\" = \"iomreport: cannot create output folder '$t/plain/out': Not a directory\" ]"

finish e2e_publish
