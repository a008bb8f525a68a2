#!/bin/sh
# Delivery to stakeholders against a real SMTP server on
# loopback: tests/smtp_sink.py (aiosmtpd), which saves every message.
# Usage: tests/e2e_send.sh BINARY (from the repository root).
set -u
bin=${1:?usage: tests/e2e_send.sh BINARY}
. tests/lib.sh
scratch e2e_send
sink_pid=
stop_sink() {
    if [ -n "$sink_pid" ]; then
        kill "$sink_pid" 2>/dev/null
        wait "$sink_pid" 2>/dev/null
        sink_pid=
    fi
}
trap 'stop_sink; rm -rf "$tmp"' EXIT INT TERM

if ! $PY -c 'import aiosmtpd' 2>/dev/null; then
    echo "e2e_send: python3-aiosmtpd is missing (make test-deps)"
    exit 1
fi

pw='pw-Zebra-7731-do-not-leak'
# start_sink DIR: a fresh server saving into DIR (tests/lib.sh); $sink_refuse
# and $sink_max configure it (see tests/smtp_sink.py).
start_sink() {
    sink_start "$1" SINK_REFUSE="${sink_refuse:-}" SINK_MAX="${sink_max:-0}" ||
        bad "the SMTP sink did not start"
}
count() {
    ls "$1" 2>/dev/null | grep -c '\.eml$'
}
# send NAME STATUS ARG...: run iomreport with the mail settings; every
# output is kept, for the password check at the end.
send() {
    send_name=$1
    send_want=$2
    shift 2
    IOMREPORT_SMTP_URL=smtp://127.0.0.1:$port \
        IOMREPORT_MAIL_FROM=reports@example.org \
        IOMREPORT_SMTP_PLAINTEXT_LOGIN=loopback IOMREPORT_SMTP_USER=reports IOMREPORT_SMTP_PASSWORD=$pw \
        "$bin" "$@" >"$tmp/out.txt" 2>"$tmp/err.txt"
    send_got=$?
    cat "$tmp/out.txt" >>"$tmp/all-stdout"
    cat "$tmp/err.txt" >>"$tmp/all-stderr"
    if [ "$send_got" -eq "$send_want" ]; then
        ok
    else
        bad "$send_name (exit $send_got, expected $send_want)"
        sed 's/^/    /' "$tmp/err.txt" | head -n 20
    fi
}
people=input/stakeholders.csv
projects=input/projects.csv
n_people=$($PY -c "import csv; print(sum(1 for _ in csv.DictReader(open('$people', encoding='utf-8-sig'))))")

# 1. Every stakeholder gets exactly what matches, once.
start_sink "$tmp/sink1"
send "send after the run" 0 --year 2001 -o "$tmp/o1" --send
check "one message per stakeholder" test "$(count "$tmp/sink1")" -eq "$n_people"
check "attachments match and are the published bytes" \
    $PY tests/check_send.py "$tmp/o1/2001" "$people" "$projects" "$tmp/sink1"
check "delivery log of the label" test "$(wc -l <"$tmp/o1/.2001.delivery.log")" -eq "$n_people"
check "envelope recipient is the To address" sh -c \
    "for r in '$tmp'/sink1/*.rcpt; do grep -qi -F \"\$(cat \"\$r\")\" \"\${r%.rcpt}.eml\" || exit 1; done"

# 2. A rerun (a new run folder of the same input, other dates) sends
# nothing; neither does sending the published run again.
export SOURCE_DATE_EPOCH=86400
send "rerun" 0 --year 2001 -o "$tmp/o1" --send
unset SOURCE_DATE_EPOCH
check "rerun sends nothing" test "$(count "$tmp/sink1")" -eq "$n_people"
check "rerun carries the log over" test "$(wc -l <"$tmp/o1/.2001.delivery.log")" -eq "$n_people"
send "send LABEL" 0 send 2001 -o "$tmp/o1"
check "send LABEL sends nothing more" test "$(count "$tmp/sink1")" -eq "$n_people"
# 2b. After an upgrade: the log of an earlier version lived in the run
# folder (RUN/delivery.log, no identities).  What it says went is taken
# into the label's log; nothing is sent twice.
$PY - "$tmp/o1" <<'PYEOF'
import json, os, sys
out = sys.argv[1]
label_log = os.path.join(out, ".2001.delivery.log")
with open(label_log) as f, open(os.path.join(out, "2001", "delivery.log"), "w") as g:
    for line in f:
        e = json.loads(line)
        old = {k: e[k] for k in ("to", "message_id", "part", "parts", "sent", "attachments")}
        g.write(json.dumps(old) + "\n")
os.remove(label_log)
PYEOF
send "send LABEL after an upgrade" 0 send 2001 -o "$tmp/o1"
check "an earlier version's log: nothing sent twice" test "$(count "$tmp/sink1")" -eq "$n_people"
check "the label's log again holds one line per message" test "$(wc -l <"$tmp/o1/.2001.delivery.log")" -eq "$n_people"
stop_sink

# 3. The server goes down after 3 messages: exit 75; the next run
# finishes the delivery with no duplicate and nothing skipped.
sink_max=3 start_sink "$tmp/sink2"
send "server down mid-delivery" 75 --year 2001 -o "$tmp/o2" --send
sink_max=
wait "$sink_pid" 2>/dev/null
sink_pid=
check "3 messages before the outage" test "$(count "$tmp/sink2")" -eq 3
check "3 logged before the outage" test "$(wc -l <"$tmp/o2/.2001.delivery.log")" -eq 3
send "no server at all" 75 send 2001 -o "$tmp/o2"
start_sink "$tmp/sink2"
first=$(cd "$tmp/o2" && readlink 2001)
send "resume" 0 --year 2001 -o "$tmp/o2" --send
check "resumed: every stakeholder once" \
    $PY tests/check_send.py "$tmp/o2/2001" "$people" "$projects" \
    "$tmp/sink2" --also "$tmp/o2/$first"
check "resumed: the log is whole" test "$(wc -l <"$tmp/o2/.2001.delivery.log")" -eq "$n_people"
stop_sink

# 4. The server is down from the start; send LABEL resumes.
send "down from the start" 75 --year 2001 -o "$tmp/o3" --send
check "nothing logged while down" test ! -s "$tmp/o3/.2001.delivery.log"
start_sink "$tmp/sink3"
send "send LABEL after the outage" 0 send 2001 -o "$tmp/o3"
check "send LABEL delivered all" \
    $PY tests/check_send.py "$tmp/o3/2001" "$people" "$projects" "$tmp/sink3"
stop_sink

# 5. A refused recipient does not stop the others (exit 67); a rerun
# tries that one again only.
sink_refuse=j.mueller@example.org start_sink "$tmp/sink4"
send "refused recipient" 67 --year 2001 -o "$tmp/o4" --send
check "the others were served" $PY tests/check_send.py "$tmp/o4/2001" \
    "$people" "$projects" "$tmp/sink4" --absent j.mueller@example.org
check "refusal reported" grep -q "refused.*j.mueller@example.org" "$tmp/err.txt"
send "refused again" 67 send 2001 -o "$tmp/o4"
check "rerun sends only the refused one" test "$(count "$tmp/sink4")" -eq $((n_people - 1))
stop_sink
sink_refuse=

# 6. Password from a file; --outbox; parts over --max-message-mb.
printf '%s\n' "$pw" >"$tmp/pwfile"
start_sink "$tmp/sink5"
IOMREPORT_SMTP_URL=smtp://127.0.0.1:$port \
    IOMREPORT_MAIL_FROM=reports@example.org IOMREPORT_SMTP_USER=reports \
    IOMREPORT_SMTP_PLAINTEXT_LOGIN=loopback \
    IOMREPORT_SMTP_PASSWORD_FILE=$tmp/pwfile \
    "$bin" --year 2001 -o "$tmp/o5" --send --max-message-mb 0.05 \
    >>"$tmp/all-stdout" 2>>"$tmp/all-stderr"
check "password file: sent" test $? -eq 0
check "split into parts, each under the limit" $PY tests/check_send.py \
    "$tmp/o5/2001" "$people" "$projects" "$tmp/sink5" --parts \
    --max-bytes 50000
stop_sink
# Fixed dates from here: --changed-only below compares file digests.
export SOURCE_DATE_EPOCH=0
send "outbox" 0 --year 2001 -o "$tmp/o6" --outbox "$tmp/outbox" \
    --max-message-mb 0.05
check "outbox holds the messages" $PY tests/check_send.py "$tmp/o6/2001" \
    "$people" "$projects" "$tmp/outbox" --parts --max-bytes 50000
check "numbered part files" sh -c "ls '$tmp/outbox' | grep -q -- '-part2-of-'"
check "message text: quoted-printable, source and counts, briefs by ID" \
    $PY tests/check_mail_text.py "$tmp/outbox" 50 50 0
check "outbox logs nothing" test ! -e "$tmp/o6/.2001.delivery.log"
# Records rejected: the text says so under the projects' figures, as the
# summary's cover does (exit 65: published, some records rejected).
printf '%s\n' 'Name,Email,Regions,Member States,Send' \
    'Ann Reader,ann.reader@example.org,,,summary' >"$tmp/reader.csv"
send "outbox, records rejected" 65 -i tests/data/bad_records.csv \
    --max-rejected 100% -o "$tmp/o6r" --stakeholders "$tmp/reader.csv" --outbox "$tmp/outbox-r"
check "message text: the rejected records beside the figures" \
    $PY tests/check_mail_text.py "$tmp/outbox-r" 20 6 14 bad_records.csv

# 7. --changed-only: one brief changed, only it (and the changed
# summary and workbook) goes out.
sed 's/^T82-805,Information Campaign/T82-805,Revised Information Campaign/' \
    "$projects" >"$tmp/changed.csv"
check "fixture changed" sh -c "! cmp -s '$projects' '$tmp/changed.csv'"
prev=$(cd "$tmp/o6" && readlink 2001)
send "changed only" 0 --year 2001 -i "$tmp/changed.csv" -o "$tmp/o6" \
    --outbox "$tmp/outbox2" --changed-only
check "only the changed files" $PY tests/check_send.py "$tmp/o6/2001" \
    "$people" "$tmp/changed.csv" "$tmp/outbox2" --prev "$tmp/o6/$prev"
check "no unchanged brief" sh -c "! grep -l 'filename=\"T81-805.pdf\"' '$tmp'/outbox2/*.eml"

# 8. A bad stakeholder record is found before publishing: exit 65,
# nothing published, nothing mailed.
cp "$people" "$tmp/people.csv"
printf '%s\n' 'Bad Address,not-an-address,,,briefs' \
    'Injected,"x@example.org>, y@example.org",,,summary' >>"$tmp/people.csv"
send "bad stakeholder" 65 --year 2001 -o "$tmp/o7" --outbox "$tmp/outbox3" \
    --stakeholders "$tmp/people.csv"
check "reported with line and column" grep -q "people.csv:$((n_people + 2)): Email: 'not-an-address'" "$tmp/err.txt"
check "nothing written to the outbox" test "$(count "$tmp/outbox3")" -eq 0
check "nothing published" test ! -e "$tmp/o7/2001"
expect_exit "send needs a LABEL" 64 "$bin" send
expect_exit "--changed-only needs --send" 64 "$bin" --changed-only
expect_exit "no SMTP URL" 64 env -u IOMREPORT_SMTP_URL IOMREPORT_MAIL_FROM=a@example.org "$bin" --year 2001 -o "$tmp/o8" --send

# 9. The password never appears anywhere.
check "password not on stdout or stderr" sh -c \
    "! grep -q -F '$pw' '$tmp/all-stdout' '$tmp/all-stderr'"
check "password in no file of the output" sh -c \
    "! grep -r -q -F '$pw' '$tmp'/o* '$tmp'/outbox* '$tmp'/sink*"

stop_sink
finish e2e_send
