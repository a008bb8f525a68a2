#!/bin/sh
# End-to-end: the fonts a run draws with.  fonts/ under the working
# directory (cron starts in a home folder, where one may be anything) is
# passed over when its files are missing, are not fonts or are damaged,
# and the next place serves; a folder given by --fonts or IOMREPORT_FONTS
# whose fonts fail stops the run with 72 and one line naming the file and
# what is wrong, before anything is written; a damaged font never ends as
# a write error (74) or a crash.
set -u
bin=$1
. tests/lib.sh
scratch e2e_fonts
t=$tmp
in=$(pwd)/input/projects.csv
# The place after fonts/ for a binary of the build folders: the source
# tree's fonts, as the binary finds them from its own (resolved) path.
tree=$(pwd -P)/fonts
damages="cut no-upem no-cmap no-name bad-loca"

# broken KIND DIR: both fonts in DIR made broken in the way KIND says:
# one missing, neither a font, or one of tests/damage_font.py's damages.
broken() {
    mkdir -p "$2"
    case $1 in
    missing)
        cp fonts/DejaVuSans.ttf "$2/" ;;
    not-a-font)
        cp tests/data/not_a_font.ttf "$2/DejaVuSans.ttf"
        cp tests/data/not_a_font.ttf "$2/DejaVuSans-Bold.ttf" ;;
    *)
        for f in DejaVuSans.ttf DejaVuSans-Bold.ttf; do
            $PY tests/damage_font.py "fonts/$f" "$2/$f" "$1" || return 1
        done ;;
    esac
}

# A home folder with a broken fonts/, the run started there with neither
# --fonts nor IOMREPORT_FONTS: the next place serves, and -v says why
# fonts/ was passed over when its files are there.
for how in missing not-a-font $damages; do
    home=$t/home-$how
    broken "$how" "$home/fonts"
    (cd "$home" && env -u IOMREPORT_FONTS "$bin" -v --input "$in" \
        --year 2001 --only summary,book --output out 2>"$t/err")
    rc=$?
    check "a home folder's broken fonts/ ($how) is passed over (exit $rc)" \
        test "$rc" -eq 0
    check "($how) the run draws with the next place's fonts" grep -q \
        "^iomreport: fonts: $tree/DejaVuSans.ttf, $tree/DejaVuSans-Bold.ttf" \
        "$t/err"
    check "($how) and publishes its book" test -s "$home/out/2001/book.pdf"
    if [ "$how" = missing ]; then
        check "($how) nothing said about fonts/" \
            sh -c "! grep -q \"not using the fonts in 'fonts/'\" '$t/err'"
    else
        check "($how) -v says why fonts/ is passed over" grep -q \
            "^iomreport: not using the fonts in 'fonts/': cannot load font 'fonts/DejaVuSans.ttf': " \
            "$t/err"
    fi
done

# The same folders given with --fonts: 72 and one line that names the
# file and the folder given, before anything is written; never a write
# error or a crash, whatever the damage (a cut file used to end as 74,
# "cannot write book.pdf", when the document was saved).
for how in missing not-a-font $damages; do
    dir=$t/given-$how
    broken "$how" "$dir"
    "$bin" --input "$in" --year 2001 --output "$t/out-$how" \
        --fonts "$dir" 2>"$t/err"
    rc=$?
    check "--fonts with fonts $how: exit 72 (got $rc)" test "$rc" -eq 72
    check "($how) one line" sh -c "[ \$(wc -l < '$t/err') -eq 1 ]"
    check "($how) naming the file and the --fonts" grep -q \
        "^iomreport: cannot \(read\|load\) font '$dir/DejaVuSans\(-Bold\)\?.ttf': .* (--fonts '$dir')$" \
        "$t/err"
    check "($how) not a write error nor a crash" \
        sh -c "! grep -q 'cannot write\|crashed\|died' '$t/err'"
    check "($how) nothing written" test ! -e "$t/out-$how"
done
"$bin" --input "$in" --year 2001 --output "$t/out-cut" \
    --fonts "$t/given-cut" 2>"$t/err"
check "a cut font says what is wrong" grep -q \
    "its table '.*' runs past the end of the file (.* bytes): a file cut short?" \
    "$t/err"

# IOMREPORT_FONTS is a choice too: its damaged fonts stop the run, and
# fonts/ of the working directory is not looked in instead.
(cd "$t/home-missing" && IOMREPORT_FONTS=$t/given-no-upem "$bin" \
    --input "$in" --year 2001 --output out-env 2>"$t/err")
rc=$?
check "IOMREPORT_FONTS with damaged fonts: exit 72 (got $rc)" test "$rc" -eq 72
check "naming the file and IOMREPORT_FONTS" grep -qx \
    "iomreport: cannot load font '$t/given-no-upem/DejaVuSans.ttf': its 'head' table gives no units per em (IOMREPORT_FONTS '$t/given-no-upem')" \
    "$t/err"

finish e2e_fonts
