#!/bin/sh
# Delivery to stakeholders, the hard cases: exactly once across runs and
# crashes, no password in clear, the sender address, temporary and
# permanent replies, replies about the session, signals, preflight before
# publishing, long headers and outbox files, a slow reply to a message's
# end.  The server is tests/smtp_rogue.py (stdlib only), on loopback; the
# tests wait on its event files and on the program's own files, each wait
# bounded (a bound hit is a failure), never on a sleep.
# Usage: tests/e2e_deliver.sh BINARY (from the repository root).
# E2E_VERBOSE=1 prints when each section starts; KEEP_TMP=1 keeps the
# scratch folder (servers' files, outputs, stderr) for a look afterwards.
set -u
bin=${1:?usage: tests/e2e_deliver.sh BINARY}
. tests/lib.sh
here=$(pwd)/tests
rogue=$here/smtp_rogue.py
checker=$here/check_deliver.py
scratch e2e_deliver
export SOURCE_DATE_EPOCH=1000000000

# Every server and background run started here, stopped at the end.
pids=
stop_all() {
    for p in $pids; do
        kill -KILL "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    pids=
}
# KEEP_TMP=1 keeps the scratch folder, for a look at what failed.
trap 'stop_all; [ -n "${KEEP_TMP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# wait_for FILE [SECONDS]: until FILE exists; a bound of 30 s by default.
wait_for() {
    wf_n=$(( ${2:-30} * 20 ))
    while [ ! -e "$1" ]; do
        wf_n=$((wf_n - 1))
        if [ "$wf_n" -le 0 ]; then
            bad "timed out waiting for $1"
            return 1
        fi
        sleep 0.05
    done
}

# start_srv DIR OPTION...: a fresh server saving into DIR; sets $port,
# $srv (its pid) and $sdir.
srv=
start_srv() {
    sdir=$1
    shift
    mkdir -p "$sdir"
    rm -f "$sdir.port"
    $PY "$rogue" --dir "$sdir" --port-file "$sdir.port" "$@" \
        >>"$tmp/server.log" 2>&1 &
    srv=$!
    pids="$pids $srv"
    if wait_for "$sdir.port" 10; then
        port=$(cat "$sdir.port")
    else
        port=1
    fi
}
stop_srv() {
    if [ -n "$srv" ]; then
        kill "$srv" 2>/dev/null
        wait "$srv" 2>/dev/null
        srv=
    fi
}
# A loopback port with nothing listening.
dead_port() {
    $PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The binary's environment, from these variables (empty: not passed):
# url (default smtp://127.0.0.1:$port; "-" for none), from (default
# reports@example.org; "-" for none), user, pwd_, plain, ca, home (HOME),
# tmo (IOMREPORT_TEST_SMTP_TIMEOUTS); nosde=1 unsets SOURCE_DATE_EPOCH.
# Called in the subshell that execs the binary, so that $! is the
# binary's own pid.
pw='pw-Zebra-7731-do-not-leak'
url=; from=; user=; pwd_=; plain=; ca=; tmo=; home=; nosde=
iom_env() {
    unset IOMREPORT_SMTP_URL IOMREPORT_MAIL_FROM IOMREPORT_SMTP_USER \
        IOMREPORT_SMTP_PASSWORD IOMREPORT_SMTP_PASSWORD_FILE \
        IOMREPORT_SMTP_PLAINTEXT_LOGIN IOMREPORT_SMTP_CA_FILE \
        IOMREPORT_TEST_SMTP_TIMEOUTS
    if [ "$url" != - ]; then
        export IOMREPORT_SMTP_URL="${url:-smtp://127.0.0.1:$port}"
    fi
    if [ "$from" != - ]; then
        export IOMREPORT_MAIL_FROM="${from:-reports@example.org}"
    fi
    [ -z "$user" ] || export IOMREPORT_SMTP_USER="$user"
    [ -z "$pwd_" ] || export IOMREPORT_SMTP_PASSWORD="$pwd_"
    [ -z "$plain" ] || export IOMREPORT_SMTP_PLAINTEXT_LOGIN="$plain"
    [ -z "$ca" ] || export IOMREPORT_SMTP_CA_FILE="$ca"
    [ -z "$tmo" ] || export IOMREPORT_TEST_SMTP_TIMEOUTS="$tmo"
    [ -z "$home" ] || export HOME="$home"
    [ -z "$nosde" ] || unset SOURCE_DATE_EPOCH
}
# run NAME STATUS ARG...: the binary in the foreground (at most $limit
# seconds, default 60); STATUS "-": any, left in $run_got.  Its output in
# $tmp/out.txt and $tmp/err.txt, and kept for the leak check.
limit=
run() {
    run_name=$1
    run_want=$2
    shift 2
    ( iom_env; exec "$bin" "$@" ) >"$tmp/out.txt" 2>"$tmp/err.txt" &
    run_pid=$!
    pids="$pids $run_pid"
    reap "$run_pid" "${limit:-60}"
    run_got=$reaped
    cat "$tmp/out.txt" >>"$tmp/all-stdout"
    cat "$tmp/err.txt" >>"$tmp/all-stderr"
    if [ "$run_want" = - ] || [ "$run_got" -eq "$run_want" ]; then
        ok
    else
        bad "$run_name (exit $run_got, expected $run_want)"
        sed 's/^/    /' "$tmp/err.txt" | head -n 20
    fi
}
# reap PID SECONDS: wait for PID, at most SECONDS (then it is killed and
# the bound counts as a failure); its status in $reaped.
reap() {
    rp_n=$(( $2 * 20 ))
    while kill -0 "$1" 2>/dev/null && [ "$rp_n" -gt 0 ]; do
        rp_n=$((rp_n - 1))
        # An ended child not yet waited for is a zombie: state Z after its
        # "(name)" (read by the shell itself: ps costs a process a time).
        rp_stat=
        read -r rp_stat 2>/dev/null <"/proc/$1/stat"
        case $rp_stat in *") Z "*) break ;; esac
        sleep 0.05
    done
    if [ "$rp_n" -le 0 ]; then
        bad "pid $1 still running after $2 s: killed"
        kill -KILL "$1" 2>/dev/null
    fi
    wait "$1"
    reaped=$?
}
# bg ARG...: the binary in the background, output in $tmp/bg-out.txt and
# $tmp/bg-err.txt; its pid in $bg.
bg() {
    ( iom_env; exec "$bin" "$@" ) >"$tmp/bg-out.txt" 2>"$tmp/bg-err.txt" &
    bg=$!
    pids="$pids $bg"
}
bg_done() {
    cat "$tmp/bg-out.txt" >>"$tmp/all-stdout"
    cat "$tmp/bg-err.txt" >>"$tmp/all-stderr"
}
count() {
    ls "$1" 2>/dev/null | grep -c '\.eml$'
}
# nothing_mailed DIR: no message saved and no MAIL command received.
nothing_mailed() {
    [ "$(count "$1")" -eq 0 ] && ! grep -q -i ' MAIL FROM' "$1/commands.log"
}
# sent_count N TOTAL FILE: FILE says N of TOTAL messages were sent ("N of
# TOTAL", or "N sent" / "sent N" with TOTAL named on the same line).
sent_count() {
    grep -q -E "(^|[^0-9])$1 of $2([^0-9]|\$)" "$3" ||
        grep -E "(^|[^0-9])$1 (messages? )?sent|sent:? $1([^0-9]|\$)" "$3" |
        grep -q -E "(^|[^0-9])$2([^0-9]|\$)"
}
link() {
    readlink "$1/2001" 2>/dev/null || echo none
}
# settle DIR: every connection of the server is over; then $next is the
# number the server gives the next end of DATA.
settle() {
    for c in "$1"/conn-*; do
        [ -e "$c" ] || continue
        wait_for "$1/closed-${c##*/conn-}" 30 || return 1
    done
    next=$(( $(ls "$1" | grep -c '^pending-') + 1 ))
}

# section NAME: with E2E_VERBOSE set, say where the script is and when.
t0=$(date +%s)
section() {
    [ -z "${E2E_VERBOSE:-}" ] || echo "-- $1 at $(( $(date +%s) - t0 )) s"
}

people=input/stakeholders.csv
projects=input/projects.csv
cp "$people" "$tmp/p7.csv"
head -n 2 "$people" >"$tmp/p1.csv"
head -n 3 "$people" >"$tmp/p2.csv"
cp "$people" "$tmp/p8.csv"
printf '%s\n' 'Zed Eight,zed.eight@example.org,,,summary' >>"$tmp/p8.csv"
Y="--year 2001"

if ! $PY "$rogue" --self-test >"$tmp/selftest.txt" 2>&1; then
    cat "$tmp/selftest.txt"
    bad "tests/smtp_rogue.py fails its self-test: the server is broken"
    finish e2e_deliver
    exit 1
fi
ok

# ---- A. Exactly once across runs ----
section A
o=$tmp/oA
start_srv "$tmp/sA1"
d0=$(date +%s)
run "A1 first delivery" 0 $Y -o "$o" --stakeholders "$tmp/p7.csv" --send
d1=$(date +%s)
check "A1 7 messages" test "$(count "$tmp/sA1")" -eq 7
check "A1 dated when sent, not SOURCE_DATE_EPOCH" \
    $PY "$checker" date "$tmp/sA1" "$d0" "$d1"
check "A1 delivery log of the label, 7 lines" \
    $PY "$checker" log "$o/.2001.delivery.log" 7
stop_srv
before=$(link "$o")
port=$(dead_port)
run "A2 server down: 75" 75 $Y -o "$o" --stakeholders "$tmp/p8.csv" --send
check "A2 published all the same" sh -c \
    "[ '$(link "$o")' != '$before' ] && [ -f '$o/2001/manifest.json' ]"
start_srv "$tmp/sA3"
run "A3 server back" 0 $Y -o "$o" --stakeholders "$tmp/p8.csv" --send
check "A3 only the 8th" $PY "$checker" to "$tmp/sA3" zed.eight@example.org
run "A4 send 2001 again" 0 send 2001 -o "$o" --stakeholders "$tmp/p8.csv"
check "A4 nothing more" test "$(count "$tmp/sA3")" -eq 1
check "A4 delivery log of the label, 8 lines" \
    $PY "$checker" log "$o/.2001.delivery.log" 8
nosde=1
run "A5 rerun, SOURCE_DATE_EPOCH unset" 0 $Y -o "$o" \
    --stakeholders "$tmp/p8.csv" --send
nosde=
check "A5 nothing new" test "$(count "$tmp/sA3")" -eq 1
check "A each recipient once, one Message-ID" \
    $PY "$checker" once "$tmp/p8.csv" "$tmp/sA1" "$tmp/sA3" --strict
stop_srv
section A6
# The server goes away after 3 messages: 75, then the next run sends the
# other 4 only.
start_srv "$tmp/sA6" --quit-after 3
run "A6 server gone after 3 messages: 75" 75 $Y -o "$tmp/oA6" \
    --stakeholders "$tmp/p7.csv" --send
reap "$srv" 10
srv=
check "A6 3 messages before the outage" test "$(count "$tmp/sA6")" -eq 3
check "A6 3 lines in the delivery log" \
    $PY "$checker" log "$tmp/oA6/.2001.delivery.log" 3
start_srv "$tmp/sA7"
run "A7 the next run" 0 send 2001 -o "$tmp/oA6" --stakeholders "$tmp/p7.csv"
check "A7 the other 4 only, each recipient once" test "$(count "$tmp/sA7")" -eq 4
check "A7 each recipient once in all" \
    $PY "$checker" once "$tmp/p7.csv" "$tmp/sA6" "$tmp/sA7" --strict
stop_srv

# ---- B. No password in clear ----
section B
o=$tmp/oB1
user=reports pwd_=$pw
start_srv "$tmp/sB1" --auth
run "B1 login offered without TLS: 75" 75 $Y -o "$o" \
    --stakeholders "$tmp/p7.csv" --send
check "B1 stderr says TLS is required" grep -q 'TLS' "$tmp/err.txt"
check "B1 published" test -f "$o/2001/manifest.json"
check "B1 no AUTH command" sh -c "! grep -q -i '^[0-9]* [a-z]* AUTH' '$tmp/sB1/commands.log'"
check "B1 nothing sent" test "$(count "$tmp/sB1")" -eq 0
b64_plain=$(printf '\0reports\0%s' "$pw" | base64 -w0)
b64_pw=$(printf '%s' "$pw" | base64 -w0)
check "B1 neither the password nor its base64 at the server" sh -c \
    "! grep -r -q -F -e '$pw' -e '$b64_plain' -e '$b64_pw' '$tmp/sB1'"
stop_srv
start_srv "$tmp/sB2" --auth
plain=loopback
run "B2 IOMREPORT_SMTP_PLAINTEXT_LOGIN=loopback" 0 $Y -o "$tmp/oB2" \
    --stakeholders "$tmp/p7.csv" --send
check "B2 logged in" grep -q -i '^[0-9]* plain AUTH' "$tmp/sB2/commands.log"
check "B2 delivered" $PY "$checker" once "$tmp/p7.csv" "$tmp/sB2" --strict
url=smtp://192.0.2.1:25 limit=15
run "B3 loopback opt-out with another host: 64" 64 $Y -o "$tmp/oB3" \
    --stakeholders "$tmp/p7.csv" --send
check "B3 nothing published" test ! -e "$tmp/oB3/2001"
url= limit= plain=yes
run "B4 another value of the opt-out: 64" 64 $Y -o "$tmp/oB4" \
    --stakeholders "$tmp/p7.csv" --send
check "B4 nothing published" test ! -e "$tmp/oB4/2001"
check "B4 nothing mailed" test "$(count "$tmp/sB2")" -eq 7
plain=
stop_srv
if openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1; then
    start_srv "$tmp/sB5" --starttls "$tmp/cert.pem" "$tmp/key.pem" --auth
    ca=$tmp/cert.pem
    url=smtp://localhost:$port
    run "B5 STARTTLS and login, smtp://localhost" 0 $Y -o "$tmp/oB5" \
        --stakeholders "$tmp/p7.csv" --send
    check "B5 delivered" $PY "$checker" once "$tmp/p7.csv" "$tmp/sB5" \
        --strict
    url=
    run "B5 STARTTLS and login, smtp://127.0.0.1" 0 $Y -o "$tmp/oB5b" \
        --stakeholders "$tmp/p2.csv" --send
    check "B5 127.0.0.1: delivered" test "$(count "$tmp/sB5")" -eq 9
    check "B5 logged in, only under TLS" sh -c \
        "grep -q -i '^[0-9]* tls AUTH' '$tmp/sB5/commands.log' &&
         ! grep -q -i '^[0-9]* plain AUTH' '$tmp/sB5/commands.log'"
    stop_srv
    # AUTH offered before STARTTLS too: the login still waits for TLS.
    start_srv "$tmp/sB7" --starttls "$tmp/cert.pem" "$tmp/key.pem" --auth \
        --auth-plaintext
    run "B7 AUTH offered in plain text too" 0 $Y -o "$tmp/oB7" \
        --stakeholders "$tmp/p2.csv" --send
    check "B7 delivered" $PY "$checker" once "$tmp/p2.csv" "$tmp/sB7" --strict
    check "B7 logged in only under TLS" sh -c \
        "grep -q -i '^[0-9]* tls AUTH' '$tmp/sB7/commands.log' &&
         ! grep -q -i '^[0-9]* plain AUTH' '$tmp/sB7/commands.log'"
    stop_srv
    user= pwd_=
    start_srv "$tmp/sB12" --starttls "$tmp/cert.pem" "$tmp/key.pem" --auth
    url=smtp://reports:$pw@localhost:$port
    run "B12 a login in the URL, STARTTLS offered" 0 $Y -o "$tmp/oB12" \
        --stakeholders "$tmp/p2.csv" --send
    check "B12 delivered" $PY "$checker" once "$tmp/p2.csv" "$tmp/sB12" \
        --strict
    check "B12 logged in, only under TLS" sh -c \
        "grep -q -i '^[0-9]* tls AUTH' '$tmp/sB12/commands.log' &&
         ! grep -q -i '^[0-9]* plain AUTH' '$tmp/sB12/commands.log'"
    url= ca=
    stop_srv
else
    bad "openssl cannot make a certificate: STARTTLS not tested"
fi
user= pwd_=
start_srv "$tmp/sB6"
run "B6 no password, no TLS" 0 $Y -o "$tmp/oB6" \
    --stakeholders "$tmp/p7.csv" --send
check "B6 delivered" $PY "$checker" once "$tmp/p7.csv" "$tmp/sB6" --strict
check "B6 no AUTH" sh -c "! grep -q -i ' AUTH' '$tmp/sB6/commands.log'"
stop_srv
# A login in the URL needs TLS as much as one in the variables.
start_srv "$tmp/sB8" --auth
url=smtp://reports:$pw@127.0.0.1:$port
run "B8 a login in the URL, no STARTTLS offered: 75" 75 $Y -o "$tmp/oB8" \
    --stakeholders "$tmp/p7.csv" --send
check "B8 stderr says TLS is required" grep -q 'TLS' "$tmp/err.txt"
check "B8 published" test -f "$tmp/oB8/2001/manifest.json"
check "B8 no AUTH command" sh -c \
    "! grep -q -i '^[0-9]* [a-z]* AUTH' '$tmp/sB8/commands.log'"
check "B8 nothing sent" test "$(count "$tmp/sB8")" -eq 0
check "B8 neither the password nor its base64 at the server" sh -c \
    "! grep -r -q -F -e '$pw' -e '$b64_plain' -e '$b64_pw' '$tmp/sB8'"
user=reports
run "B9 a login in the URL and IOMREPORT_SMTP_USER: 64" 64 $Y \
    -o "$tmp/oB9" --stakeholders "$tmp/p7.csv" --send
check "B9 nothing published" test ! -e "$tmp/oB9/2001"
user= plain=loopback
run "B10 a login in the URL, the loopback opt-out" 0 $Y -o "$tmp/oB10" \
    --stakeholders "$tmp/p2.csv" --send
check "B10 logged in, in clear" grep -q -i '^[0-9]* plain AUTH' \
    "$tmp/sB8/commands.log"
check "B10 delivered" $PY "$checker" once "$tmp/p2.csv" "$tmp/sB8" --strict
url= plain=
stop_srv
# A login in ~/.netrc is never read: no login, no password sent.
mkdir "$tmp/home"
printf 'machine 127.0.0.1 login reports password %s\n' "$pw" \
    >"$tmp/home/.netrc"
start_srv "$tmp/sB11" --auth
home=$tmp/home
run "B11 a login in ~/.netrc" 0 $Y -o "$tmp/oB11" \
    --stakeholders "$tmp/p2.csv" --send
home=
check "B11 delivered" $PY "$checker" once "$tmp/p2.csv" "$tmp/sB11" --strict
check "B11 no AUTH" sh -c "! grep -q -i ' AUTH' '$tmp/sB11/commands.log'"
stop_srv

# ---- C. Sender address ----
section C
o=$tmp/oC
start_srv "$tmp/sC"
run "C0 a published run" 0 $Y -o "$o"
before=$(link "$o")
from=reports
run "C1 IOMREPORT_MAIL_FROM=reports: 64" 64 $Y -o "$o" \
    --stakeholders "$tmp/p7.csv" --send
check "C1 not published" test "$(link "$o")" = "$before"
check "C1 nothing mailed" nothing_mailed "$tmp/sC"
from=$(printf 'reports@example.org\r\nBcc: evil@example.org')
run "C2 CR LF in IOMREPORT_MAIL_FROM: 64" 64 $Y -o "$o" \
    --stakeholders "$tmp/p7.csv" --send
check "C2 not published" test "$(link "$o")" = "$before"
check "C2 nothing mailed" nothing_mailed "$tmp/sC"
stop_srv
start_srv "$tmp/sC3"
from='IOM Reports <reports@example.org>'
run "C3 a name and an address" 0 $Y -o "$tmp/oC3" \
    --stakeholders "$tmp/p2.csv" --send
check "C3 envelope and From header" $PY "$checker" sender "$tmp/sC3" \
    reports@example.org 'IOM Reports' reports@example.org
stop_srv
start_srv "$tmp/sC4"
from='Équipe IOM <reports@example.org>'
run "C4 a non-ASCII name" 0 $Y -o "$tmp/oC4" \
    --stakeholders "$tmp/p2.csv" --send
check "C4 envelope and From header" $PY "$checker" sender "$tmp/sC4" \
    reports@example.org 'Équipe IOM' reports@example.org
from=
stop_srv

# ---- D. Temporary and permanent replies ----
section D
# good NAME OUTPUT PEOPLE: then a good server, and 'send 2001' delivers
# each of PEOPLE once.
good() {
    start_srv "$tmp/s-$1-good"
    run "D $1: then a good server" 0 send 2001 -o "$2" --stakeholders "$3"
    check "D $1: then each delivered" $PY "$checker" once "$3" \
        "$tmp/s-$1-good" --strict
    stop_srv
}
# temp STAGE CODE VERB: the server always answers CODE at STAGE: exit 75,
# the reply named, VERB tried more than once, nothing delivered; then a
# good server gets it.  One stakeholder: each try costs a backoff.
temp() {
    o=$tmp/oD-$1-$2
    start_srv "$tmp/sD-$1-$2" --reply "$1:$2"
    run "D $1:$2: 75" 75 $Y -o "$o" --stakeholders "$tmp/p1.csv" --send
    check "D $1:$2 the reply is named" \
        grep -q -E "(^|[^0-9])$2([^0-9]|\$)" "$tmp/err.txt"
    check "D $1:$2 said to be temporary" \
        grep -q -i -E 'temporar|try again|retry|later' "$tmp/err.txt"
    check "D $1:$2 $3 tried more than once" test \
        "$(grep -c -i "^[0-9]* [a-z]* $3" "$tmp/sD-$1-$2/commands.log")" -gt 1
    check "D $1:$2 nothing saved" test "$(count "$tmp/sD-$1-$2")" -eq 0
    stop_srv
    good "$1:$2" "$o" "$tmp/p1.csv"
}
temp rcpt 451 RCPT
temp mail 450 MAIL
temp mail 421 MAIL
temp end 452 DATA
# session NAME CODE OPTION...: the server refuses the session itself with
# CODE to MAIL FROM: a setting to put right, not seven refused addresses.
# Exit 75 and one line naming the reply, MAIL FROM said once, nothing
# saved; then a good server gets every message.
session() {
    ss=$1
    ss_code=$2
    shift 2
    o=$tmp/oD-$ss
    start_srv "$tmp/sD-$ss" "$@"
    run "D $ss: 75" 75 $Y -o "$o" --stakeholders "$tmp/p7.csv" --send
    check "D $ss: one line" test "$(grep -c . "$tmp/err.txt")" -eq 1
    check "D $ss: the reply to MAIL FROM named" \
        grep -q "$ss_code to MAIL FROM" "$tmp/err.txt"
    check "D $ss: no address refused" sh -c \
        "! grep -q -e 'for good' -e '@example.org' '$tmp/err.txt'"
    check "D $ss: MAIL FROM said once" test "$(grep -c -i \
        '^[0-9]* [a-z]* MAIL FROM' "$tmp/sD-$ss/commands.log")" -eq 1
    check "D $ss: nothing saved" test "$(count "$tmp/sD-$ss")" -eq 0
    stop_srv
    good "$ss" "$o" "$tmp/p7.csv"
}
session require-auth 530 --require-auth
session mail-554 554 --reply mail:554
start_srv "$tmp/sD4" --reply rcpt:550:j.mueller@example.org
run "D rcpt:550 for one: 67" 67 $Y -o "$tmp/oD4" \
    --stakeholders "$tmp/p7.csv" --send
check "D rcpt:550 names the address" grep -q 'j.mueller@example.org' \
    "$tmp/err.txt"
check "D rcpt:550 the other 6 delivered" $PY "$checker" once \
    "$tmp/p7.csv" "$tmp/sD4" --strict --absent j.mueller@example.org
stop_srv
start_srv "$tmp/sD5" --reply end:554:lan.nguyen@example.org
run "D end:554 for one: 67" 67 $Y -o "$tmp/oD5" \
    --stakeholders "$tmp/p7.csv" --send
check "D end:554 names the address" grep -q 'lan.nguyen@example.org' \
    "$tmp/err.txt"
check "D end:554 the other 6 delivered" $PY "$checker" once \
    "$tmp/p7.csv" "$tmp/sD5" --strict --absent lan.nguyen@example.org
stop_srv
start_srv "$tmp/sD6" --drop-data 1
run "D connection dropped in DATA: retried, 0" 0 $Y -o "$tmp/oD6" \
    --stakeholders "$tmp/p7.csv" --send
check "D drop: one message per recipient" $PY "$checker" once \
    "$tmp/p7.csv" "$tmp/sD6" --strict
check "D drop: the dropped message tried again" test \
    "$(grep -c -i '^[0-9]* [a-z]* DATA' "$tmp/sD6/commands.log")" -ge 8
stop_srv
start_srv "$tmp/sD7" --delay-ms 300
run "D slow server" 0 $Y -o "$tmp/oD7" --stakeholders "$tmp/p7.csv" --send
check "D slow server: all delivered" $PY "$checker" once \
    "$tmp/p7.csv" "$tmp/sD7" --strict
stop_srv

# ---- E. Signals during delivery ----
section E
o=$tmp/oE
run "E0 a published run" 0 $Y -o "$o"
before=$(link "$o")
start_srv "$tmp/sE" --hold
bg $Y -o "$o" --stakeholders "$tmp/p7.csv" --send
if wait_for "$tmp/sE/pending-1"; then
    : >"$tmp/sE/release-1"
    wait_for "$tmp/sE/accepted-1" && wait_for "$tmp/sE/pending-2"
fi
check "E1 alive when signalled" kill -TERM "$bg"
reap "$bg" 30
bg_done
check "E1 SIGTERM while message 2 is held: 143 (got $reaped)" \
    test "$reaped" -eq 143
check "E1 says the run is published" grep -q 'published' "$tmp/bg-err.txt"
check "E1 says 1 of 7 sent" sent_count 1 7 "$tmp/bg-err.txt"
check "E1 the new run is published" sh -c \
    "[ '$(link "$o")' != '$before' ] && [ -f '$o/2001/manifest.json' ]"
settle "$tmp/sE"
stop_srv
start_srv "$tmp/sE2"
run "E1 next run" 0 $Y -o "$o" --stakeholders "$tmp/p7.csv" --send
check "E1 next run sends the missing 6" test "$(count "$tmp/sE2")" -eq 6
check "E1 each once in all" $PY "$checker" once "$tmp/p7.csv" \
    "$tmp/sE" "$tmp/sE2" --strict
stop_srv
start_srv "$tmp/sE3" --reply rcpt:451
bg $Y -o "$tmp/oE3" --stakeholders "$tmp/p7.csv" --send
wait_for "$tmp/sE3/rcpt-1"
check "E2 alive when signalled" kill -TERM "$bg"
reap "$bg" 30
bg_done
check "E2 SIGTERM while the server answers 451: 143 (got $reaped)" \
    test "$reaped" -eq 143
check "E2 says the run is published" grep -q 'published' "$tmp/bg-err.txt"
check "E2 says 0 of 7 sent" sent_count 0 7 "$tmp/bg-err.txt"
stop_srv

# ---- F. Preflight: nothing published when delivery cannot start ----
section F
o=$tmp/oF
start_srv "$tmp/sF"
run "F0 a published run" 0 $Y -o "$o"
before=$(link "$o")
url=-
run "F1 IOMREPORT_SMTP_URL unset: 64" 64 $Y -o "$o" \
    --stakeholders "$tmp/p7.csv" --send
url=
check "F1 not published" test "$(link "$o")" = "$before"
check "F1 nothing mailed" nothing_mailed "$tmp/sF"
cp "$people" "$tmp/pbad.csv"
printf '%s\n' 'Bad Address,not-an-address,,,briefs' >>"$tmp/pbad.csv"
run "F2 a bad address: 65" 65 $Y -o "$o" --stakeholders "$tmp/pbad.csv" \
    --send
check "F2 not published" test "$(link "$o")" = "$before"
check "F2 nothing mailed" nothing_mailed "$tmp/sF"
check "F2 FILE:LINE: Email:" grep -q 'pbad.csv:9: Email:' "$tmp/err.txt"
cp "$people" "$tmp/pafrika.csv"
printf '%s\n' 'Typo Region,typo.region@example.org,Afrika,,briefs' \
    >>"$tmp/pafrika.csv"
run "F3 a region that matches nothing: 0" 0 $Y -o "$o" \
    --stakeholders "$tmp/pafrika.csv" --send
check "F3 warned about Afrika" sh -c \
    "grep -q 'Afrika' '$tmp/err.txt' && grep -q 'matches no project' '$tmp/err.txt'"
check "F3 the others delivered" $PY "$checker" once "$tmp/p7.csv" \
    "$tmp/sF" --strict
stop_srv
# A delivery log that others could change (or that is not a plain file of
# its own) is refused before publishing: 73, nothing published, nothing
# mailed, one line naming the log and why; send 2001 refuses it too.
o=$tmp/oF4
log=$o/.2001.delivery.log
start_srv "$tmp/sF4"
run "F4 a published run" 0 $Y -o "$o"
before=$(link "$o")
bad_log() {
    run "F4 $1: --send 73" 73 $Y -o "$o" --stakeholders "$tmp/p7.csv" \
        --send
    check "F4 $1: not published" test "$(link "$o")" = "$before"
    check "F4 $1: says why" grep -q -F \
        "cannot use the delivery log '$log': $2" "$tmp/err.txt"
    run "F4 $1: send 2001 73" 73 send 2001 -o "$o" \
        --stakeholders "$tmp/p7.csv"
    check "F4 $1: nothing mailed" nothing_mailed "$tmp/sF4"
}
: >"$tmp/planted"
ln -s "$tmp/planted" "$log"
bad_log "a symbolic link" "it is a symbolic link"
rm "$log"
mkdir "$log"
bad_log "a folder" "Is a directory"
rmdir "$log"
: >"$log"
chmod 666 "$log"
bad_log "mode 666" "writable by group or others (mode 0666)"
chmod 620 "$log"
bad_log "mode 620" "writable by group or others (mode 0620)"
chmod 600 "$log"
ln "$log" "$tmp/planted-link"
bad_log "a second hard link" "it has 2 hard links"
rm "$tmp/planted-link"
if [ "$(id -u)" -eq 0 ]; then
    chown 65534 "$log"
    bad_log "owned by another user" "owned by uid 65534, not by uid 0"
    chown 0 "$log"
else
    echo "e2e_deliver: not root: F4 with a log owned by another user skipped"
fi
check "F4 the planted file untouched" test ! -s "$tmp/planted"
run "F4 the log put right: delivered" 0 send 2001 -o "$o" \
    --stakeholders "$tmp/p7.csv"
check "F4 then delivered once each" $PY "$checker" once "$tmp/p7.csv" \
    "$tmp/sF4" --strict
stop_srv

# ---- G. Headers and files ----
section G
long=$($PY -c 'print("Ann " * 749 + "Anne")')
printf 'Name,Email,Regions,Member States,Send\n%s,long.name@example.org,,,summary\n' \
    "$long" >"$tmp/plong.csv"
start_srv "$tmp/sG" --max-line 1000
run "G1 a 3000-character name, --max-line 1000" 0 $Y -o "$tmp/oG" \
    --stakeholders "$tmp/plong.csv" --send
check "G1 lines at most 998 bytes, the To name whole" \
    $PY "$checker" lines "$tmp/sG" "$long"
$PY "$checker" lines "$tmp/sG" "$long" 2>/dev/null | head -n 1 |
    sed 's/^/    G1: /'
stop_srv
printf '%s\n' 'Name,Email,Regions,Member States,Send' \
    'Slash,a/b@example.org,,,summary' 'Underscore,a_b@example.org,,,summary' \
    "Quote,a'b@example.org,,,summary" >"$tmp/pnames.csv"
d0=$(date +%s)
run "G2 outbox of look-alike addresses" 0 $Y -o "$tmp/oG2" \
    --stakeholders "$tmp/pnames.csv" --outbox "$tmp/OB"
d1=$(date +%s)
check "G2 outbox files dated when written" \
    $PY "$checker" date "$tmp/OB" "$d0" "$d1"
# Two labels written into one outbox: neither replaces the other's.
run "G4 label 2001 into an outbox" 0 $Y -o "$tmp/oG4" \
    --stakeholders "$tmp/p7.csv" --outbox "$tmp/OBL"
cp -a "$tmp/OBL" "$tmp/OBL.2001"
run "G4 label 2002 into the same outbox" 0 --year 2002 -o "$tmp/oG4" \
    --stakeholders "$tmp/p7.csv" --outbox "$tmp/OBL"
check "G4 the messages of 2001 kept whole beside those of 2002" sh -c '
    for f in "$1"/OBL.2001/*; do
        cmp -s "$f" "$1/OBL/${f##*/}" || { echo "${f##*/} replaced"; exit 1; }
    done
    [ "$(ls "$1/OBL" | wc -l)" -gt "$(ls "$1/OBL.2001" | wc -l)" ]' - "$tmp"
check "G2 three files, each to its address" $PY "$checker" outbox \
    "$tmp/OB" a/b@example.org a_b@example.org "a'b@example.org"
run "G3 outbox to learn the names" 0 $Y -o "$tmp/oG3" \
    --stakeholders "$tmp/p7.csv" --outbox "$tmp/OB1"
mkdir "$tmp/OB2" "$tmp/victims"
i=0
for f in "$tmp"/OB1/*; do
    i=$((i + 1))
    printf 'victim %d\n' "$i" >"$tmp/victims/$i"
    ln -s "$tmp/victims/$i" "$tmp/OB2/${f##*/}"
done
check "G3 seven names" test "$i" -eq 7
addrs7=$(sed 1d "$tmp/p7.csv" | $PY -c '
import csv, sys
print(" ".join(r[1] for r in csv.reader(sys.stdin)))')
check "G3 outbox: .eml files, one to each" $PY "$checker" outbox \
    "$tmp/OB1" $addrs7
run "G3 outbox of planted links" - $Y -o "$tmp/oG3" \
    --stakeholders "$tmp/p7.csv" --outbox "$tmp/OB2"
g3=$run_got
check "G3 the victims of planted links unchanged" sh -c '
    for v in "$1"/victims/*; do
        [ "$(cat "$v")" = "victim ${v##*/}" ] || exit 1; done' - "$tmp"
if [ "$g3" -eq 0 ]; then
    check "G3 the links replaced by the messages" $PY "$checker" outbox \
        "$tmp/OB2" $addrs7
else
    check "G3 refused, naming the path (exit $g3)" grep -q "$tmp/OB2/" \
        "$tmp/err.txt"
fi

# ---- H. SIGKILL at every step, exactly once ----
section H
o=$tmp/oH
start_srv "$tmp/sH" --hold
next=1
k=1
while [ $k -le 7 ]; do
    if [ $k -eq 1 ] || [ $((k % 3)) -ne 0 ]; then
        bg $Y -o "$o" --stakeholders "$tmp/p7.csv" --send
    else
        bg send 2001 -o "$o" --stakeholders "$tmp/p7.csv"
    fi
    waited=yes
    if [ $((k % 2)) -eq 1 ]; then
        # (a) killed while its message is held: not accepted.
        wait_for "$tmp/sH/pending-$next" || waited=
        what="held message $next"
    else
        # (b) killed right after the 250: the window before the log line.
        : >"$tmp/sH/release-$next"
        wait_for "$tmp/sH/accepted-$next" || waited=
        what="just after the 250 to message $next"
    fi
    if kill -KILL "$bg" 2>/dev/null; then
        ok
    else
        bad "H$k: the run was gone before SIGKILL ($what)"
    fi
    reap "$bg" 30
    bg_done
    check "H$k SIGKILL $what: 137 (got $reaped)" test "$reaped" -eq 137
    # A run that never got there: no point in waiting 30 s six times more.
    [ -n "$waited" ] || break
    settle "$tmp/sH" || break
    k=$((k + 1))
done
n=1
while [ $n -le 60 ]; do
    : >"$tmp/sH/release-$n"
    n=$((n + 1))
done
run "H final run" 0 $Y -o "$o" --stakeholders "$tmp/p7.csv" --send
check "H each stakeholder once, one Message-ID each" \
    $PY "$checker" once "$tmp/p7.csv" "$tmp/sH"
check "H the published run is whole" test -f "$o/2001/manifest.json"
stop_srv

# ---- I. A slow reply to the end of a message ----
section I
# RFC 5321 allows 10 minutes for the reply to a message's end and 5 for
# any other; IOMREPORT_TEST_SMTP_TIMEOUTS makes them 30 s and 2 s here.
tmo=2000,30000
start_srv "$tmp/sI1" --end-delay-ms 5000
run "I1 the end answered after 5 s, other replies allowed 2 s: 0" 0 $Y \
    -o "$tmp/oI1" --stakeholders "$tmp/p1.csv" --send
check "I1 one copy" $PY "$checker" once "$tmp/p1.csv" "$tmp/sI1" --strict
check "I1 one DATA" test \
    "$(grep -c -i '^[0-9]* [a-z]* DATA' "$tmp/sI1/commands.log")" -eq 1
stop_srv
# With the end allowed 1 s, the client cannot tell whether the server
# (which takes it at 5 s) has the message: one line says so, the log
# holds it, it never goes again blindly, and no other word is said on
# that connection.
tmo=2000,1000
o=$tmp/oI2
start_srv "$tmp/sI2" --end-delay-ms 5000
bg $Y -o "$o" --stakeholders "$tmp/p2.csv" --send
wait_for "$tmp/sI2/pending-1"
reap "$bg" 30
bg_done
check "I2 no reply to the end: 75 (got $reaped)" test "$reaped" -eq 75
check "I2 one line" test "$(grep -c . "$tmp/bg-err.txt")" -eq 1
check "I2 it names the stakeholder and the message" grep -q \
    "Amélie Kouassi' <amelie.kouassi@example.org>: message <[0-9a-f]*\.iomreport@example.org>" \
    "$tmp/bg-err.txt"
check "I2 it says the fate is unknown" grep -q 'may or may not' \
    "$tmp/bg-err.txt"
check "I2 the log holds it, fate unknown" $PY "$checker" log \
    "$o/.2001.delivery.log" 1 --unsure amelie.kouassi@example.org
wait_for "$tmp/sI2/accepted-1"
check "I2 the server took it" test "$(count "$tmp/sI2")" -eq 1
check "I2 MAIL FROM once: no other try, on that connection or another" \
    test "$(grep -c -i '^[0-9]* [a-z]* MAIL FROM' "$tmp/sI2/commands.log")" -eq 1
tmo=
run "I3 the next run: 75 again" 75 send 2001 -o "$o" \
    --stakeholders "$tmp/p2.csv"
check "I3 the same line again" grep -q \
    "amelie.kouassi@example.org>: message <.*may or may not" "$tmp/err.txt"
check "I3 only the other stakeholder's message" $PY "$checker" once \
    "$tmp/p2.csv" "$tmp/sI2" --strict
check "I3 the log: one sent, one of unknown fate" $PY "$checker" log \
    "$o/.2001.delivery.log" 2 --unsure amelie.kouassi@example.org
stop_srv
# Its line removed from the log, as the message says, it goes again.
sed -i '/"fate":"unknown"/d' "$o/.2001.delivery.log"
start_srv "$tmp/sI4"
run "I4 its line removed: sent again" 0 send 2001 -o "$o" \
    --stakeholders "$tmp/p2.csv"
check "I4 to that stakeholder only" $PY "$checker" to "$tmp/sI4" \
    amelie.kouassi@example.org
check "I4 the log: two sent" $PY "$checker" log "$o/.2001.delivery.log" 2
stop_srv
# A server that ends the connection right after the message's end, with
# no reply, did not say it took it: tried again, under the same
# Message-ID.
start_srv "$tmp/sI5" --drop-end 1
run "I5 dropped after the end, without a reply: 0" 0 $Y -o "$tmp/oI5" \
    --stakeholders "$tmp/p1.csv" --send
check "I5 tried again" test \
    "$(grep -c -i '^[0-9]* [a-z]* DATA' "$tmp/sI5/commands.log")" -eq 2
check "I5 one copy" $PY "$checker" once "$tmp/p1.csv" "$tmp/sI5" --strict
stop_srv

# ---- The password never appears in the program's output ----
check "password not on stdout or stderr" sh -c \
    "! grep -q -F -e '$pw' -e '$b64_pw' '$tmp/all-stdout' '$tmp/all-stderr'"

check "password in no file of the outputs" sh -c \
    "! grep -r -q -F -e '$pw' '$tmp'/o* '$tmp'/OB*"

section end
stop_all
finish e2e_deliver
