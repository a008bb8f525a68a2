#!/bin/sh
# End-to-end: make install into a temporary PREFIX and the installed binary
# run from another folder (its fonts found from its own path, then the
# system's DejaVu), with no test pause point in it; the manual page and
# the bash completion installed, rendered without warnings and true to
# --help; make uninstall; the build's flags; the README's cron line under
# cron's PATH.
set -u
bin=$1
. tests/lib.sh
scratch e2e_install
repo=$(pwd)
# A make of its own: not the -n, -k or -j of a make check that runs this.
mk() {
    env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory \
        -C "$repo" "$@"
}
p="$tmp/prefix"
b="$tmp/build"
# The steps: make, then make install with a PREFIX of its own.
check "make" mk -s BUILD="$b"
check "make install PREFIX=..." mk -s install BUILD="$b" PREFIX="$p"
check "the installed binary is the build's, not rebuilt for PREFIX" \
    cmp "$b/iomreport" "$p/bin/iomreport"
# The test builds' pause points are not in what a user builds: no
# environment can stop the installed binary or write where it names.
check "the tested binary has the pause points (the check below can fail)" \
    sh -c "strings '$bin' | grep -q IOMREPORT_TEST"
check "the installed binary has no pause point" \
    sh -c "! strings '$p/bin/iomreport' | grep -q IOMREPORT_TEST"
for f in bin/iomreport share/iomreport/fonts/DejaVuSans.ttf \
         share/iomreport/fonts/DejaVuSans-Bold.ttf share/man/man1/iomreport.1 \
         share/bash-completion/completions/iomreport; do
    check "installed $f" test -s "$p/$f"
done
mkdir "$tmp/elsewhere"
# elsewhere BINARY YEAR: a summary of YEAR by BINARY run from a folder of
# its own, without $IOMREPORT_FONTS; its exit status, stderr in $tmp/err.
elsewhere() {
    (cd "$tmp/elsewhere" && env -u IOMREPORT_FONTS "$1" -v \
        --input "$repo/input/projects.csv" --year "$2" --only summary \
        --output "$tmp/elsewhere/out" 2>"$tmp/err")
}
elsewhere "$p/bin/iomreport" 2001
check "the installed binary runs from another folder (exit $?)" \
    test -s "$tmp/elsewhere/out/2001/summary.pdf"
check "and reads the installed fonts" sh -c \
    "grep -q 'fonts: $p/share/iomreport/fonts/DejaVuSans.ttf' '$tmp/err' &&
     pdffonts '$tmp/elsewhere/out/2001/summary.pdf' | grep -q DejaVuSans"
# Without the installed folder, the system's copy takes over.
mv "$p/share/iomreport/fonts" "$tmp/moved"
elsewhere "$p/bin/iomreport" 2002
check "without the data folder, the system's DejaVu (exit $?)" grep -q \
    'fonts: /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' "$tmp/err"
mv "$tmp/moved" "$p/share/iomreport/fonts"
# The pause points' variables reach nothing in it: a link to a file is not
# written through, a FIFO nobody reads does not hold the run (timeout: a
# run held there fails the check instead of the script).
printf 'precious data\n' >"$tmp/precious"
ln -s "$tmp/precious" "$tmp/point-link"
mkfifo "$tmp/point-fifo"
# paused YEAR FIFO: a summary of YEAR by the installed binary asked to
# pause once locked, telling it FIFO.
paused() {
    (cd "$tmp/elsewhere" && IOMREPORT_TEST_PAUSE=locked \
        IOMREPORT_TEST_FIFO=$2 timeout 120 "$p/bin/iomreport" \
        --input "$repo/input/projects.csv" --year "$1" --only summary \
        --output "$tmp/elsewhere/out" 2>"$tmp/err")
}
paused 2004 "$tmp/point-link"
check "pause variables naming a link to a file: exit $?, nothing written" \
    sh -c "[ -s '$tmp/elsewhere/out/2004/summary.pdf' ] &&
           [ \"\$(cat '$tmp/precious')\" = 'precious data' ]"
paused 2005 "$tmp/point-fifo"
check "naming a FIFO nobody reads: not held (exit $?)" \
    test -s "$tmp/elsewhere/out/2005/summary.pdf"
elsewhere "$bin" 2003
check "the build's binary runs from another folder too (exit $?)" \
    test -s "$tmp/elsewhere/out/2003/summary.pdf"

# The manual page: rendered without a warning, every option of --help in
# it and in the completion.
man1="$p/share/man/man1/iomreport.1"
check "man -l renders the page without warnings" sh -c \
    "MANWIDTH=80 man --warnings -l '$man1' 2>'$tmp/manerr' >'$tmp/man.txt' &&
     [ ! -s '$tmp/manerr' ] && [ -s '$tmp/man.txt' ]"
check "groff -ww finds nothing to warn about" sh -c \
    "[ -z \"\$(groff -man -ww -z '$man1' 2>&1)\" ]"
for s in SYNOPSIS OPTIONS INPUT OUTPUTS DELIVERY ENVIRONMENT "EXIT STATUS" \
         FILES EXAMPLES; do
    check "man page section $s" grep -q "^$s\$" "$tmp/man.txt"
done
"$bin" --help | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/opts"
check "--help names options" test -s "$tmp/opts"
while read -r opt; do
    check "man page documents $opt" grep -q -- "$opt" "$tmp/man.txt"
    check "completion offers $opt" grep -q -- "$opt\\b" \
        "$p/share/bash-completion/completions/iomreport"
done <"$tmp/opts"
"$bin" --help | sed -n 's/^  \([0-9][0-9]*\)[ ,].*/\1/p' >"$tmp/help_codes"
sed -n 's/^| \([0-9][0-9]*\)[ ,].*/\1/p' README.md >"$tmp/readme_codes"
check "every exit status of the README is in --help, in numeric order" sh -c \
    "sort -n '$tmp/help_codes' | cmp -s - '$tmp/help_codes' &&
     for c in \$(cat '$tmp/readme_codes'); do grep -qx \"\$c\" '$tmp/help_codes' || exit 1; done"
for c in $(cat "$tmp/readme_codes") 130 143; do
    check "man page has exit status $c" grep -qE "^       ([0-9]+, )?$c\\b" \
        "$tmp/man.txt"
done
check "the completion loads in bash" bash -c \
    ". '$p/share/bash-completion/completions/iomreport' &&
     COMP_WORDS=(iomreport --ye); COMP_CWORD=1; _iomreport;
     [ \"\${COMPREPLY[*]}\" = --year ]"

check "make uninstall" mk -s uninstall BUILD="$b" PREFIX="$p"
check "make uninstall removes what install put there" sh -c \
    "[ -z \"\$(find '$p' -type f)\" ]"

# Flags: -Werror in the project's test builds only; link flags from
# pkg-config; no make fmt without a matching .clang-format.
mk -n BUILD="$tmp/n" >"$tmp/n.txt" 2>&1
check "a user's make has no -Werror" sh -c "! grep -q -- -Werror '$tmp/n.txt'"
mk -n check BUILD="$tmp/n" >"$tmp/c.txt" 2>&1
check "make check builds with -Werror" grep -q -- '-Werror.*-c -o' "$tmp/c.txt"
check "links with pkg-config's flags" grep -q -- \
    "$(pkg-config --libs xlsxwriter harfbuzz-subset harfbuzz libcurl jansson nettle | sed 's/ *$//')" \
    "$tmp/n.txt"
if [ -f "$repo/.clang-format" ] || ! mk -n fmt >/dev/null 2>&1; then
    ok
else
    bad "make fmt without a .clang-format that matches the code"
fi

# The README's cron line under cron's own PATH (/usr/bin:/bin): the
# crontab sets a PATH that holds the install's bin folder, or the line
# names the binary by its absolute path.
sed -n '/^```cron$/,/^```$/p' README.md >"$tmp/cron"
cronpath=$(sed -n 's/^PATH=//p' "$tmp/cron")
line=$(grep '^[0-9*]' "$tmp/cron" | sed 's/^[^ ]* [^ ]* [^ ]* [^ ]* [^ ]* //')
check "the cron block has a command" test -n "$line"
mk -s install BUILD="$b" PREFIX="$p" >/dev/null 2>&1
runpath=$(printf '%s' "${cronpath:-/usr/bin:/bin}" | sed "s|/usr/local/bin|$p/bin|g")
cmd=$(printf '%s' "$line" | sed -e "s|/usr/local/bin/iomreport|$p/bin/iomreport|" \
    -e "s|cd /srv/iomreport|cd '$repo'|" -e "s|/srv/iomreport/output|$tmp/cron-out|" \
    -e 's| --send||' -e 's|--wait=[0-9]*||')
env -i PATH="$runpath" HOME="$tmp" sh -c "$cmd" >"$tmp/cron.log" 2>&1
rc=$?
check "the README's cron line runs under cron's PATH (exit $rc)" \
    test "$rc" -eq 0 -a -L "$tmp/cron-out/2001"
[ "$rc" -eq 0 ] || sed 's/^/    /' "$tmp/cron.log" | head -5

finish e2e_install
