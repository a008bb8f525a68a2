/*
 * smtp: libcurl's SMTP.  One easy handle per session, so that libcurl
 * keeps the connection open from one message to the next, and a new one
 * after a try that failed.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "iom/msg.h"
#include "iom/smtp.h"

/*
 * Where one try's dialogue is, read from the lines libcurl sends and
 * receives: the command whose reply is awaited.  The order matters: a
 * 5xx reply up to MAIL FROM is about the session, not a recipient.
 */
enum step {
    STEP_GREETING,
    STEP_EHLO,
    STEP_STARTTLS,
    STEP_AUTH,
    STEP_MAIL,
    STEP_RCPT,
    STEP_DATA,
    STEP_BODY,          /* the message going out, after DATA's 354 */
    STEP_END            /* all of it sent; the reply to its end */
};

struct dialogue {
    enum step step;
    enum step replied;      /* the step the last whole reply answered */
    long reply;             /* its code; 0: none yet */
    bool quitting;          /* libcurl said QUIT: what follows is not ours */
    bool timed_out;         /* the wait of 'step' ran out */
    struct timespec since;  /* the last line or bytes sent or received */
};

struct iom_smtp {
    const struct iom_smtp_config *c;
    CURL *curl;
    char errbuf[CURL_ERROR_SIZE];
    bool stopped;        /* a transfer or wait was cut short by a stop */
    size_t len;          /* the length of the message being sent */
    size_t out;          /* bytes of it sent, with libcurl's added dots */
    struct dialogue d;
};

/* Where the read callback is in the message being sent. */
struct upload {
    const char *p;
    size_t left;
};

static void
touch(struct dialogue *d)
{
    clock_gettime(CLOCK_MONOTONIC, &d->since);
}

static long
ms_since(const struct timespec *t)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - t->tv_sec) * 1000L +
           (now.tv_nsec - t->tv_nsec) / 1000000L;
}

static size_t
read_message(char *to, size_t size, size_t n, void *ctx)
{
    struct upload *u = ctx;
    size_t k = size * n < u->left ? size * n : u->left;

    memcpy(to, u->p, k);
    u->p += k;
    u->left -= k;
    return k;
}

static const char *
step_name(enum step step)
{
    static const char *const names[] = {
        "the greeting", "EHLO", "STARTTLS", "AUTH", "MAIL FROM", "RCPT TO",
        "DATA", "the message", "the end of the message"
    };

    return names[step];
}

/* A command line libcurl sent: the step whose reply comes next. */
static void
sent_command(struct dialogue *d, const char *line, size_t n)
{
    static const struct { const char *verb; enum step step; } verbs[] = {
        { "EHLO", STEP_EHLO }, { "HELO", STEP_EHLO },
        { "STARTTLS", STEP_STARTTLS }, { "AUTH", STEP_AUTH },
        { "MAIL", STEP_MAIL }, { "RCPT", STEP_RCPT }, { "DATA", STEP_DATA },
    };
    size_t i, k = 0;

    touch(d);
    /* After a 334 the client answers a challenge in base64, which may
     * spell a verb. */
    if (d->step == STEP_AUTH && d->replied == STEP_AUTH && d->reply == 334)
        return;
    while (k < n && line[k] != ' ' && line[k] != '\r' && line[k] != '\n')
        k++;
    if (k == 4 && strncasecmp(line, "QUIT", 4) == 0)
        d->quitting = true;
    for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (strlen(verbs[i].verb) == k && strncasecmp(line, verbs[i].verb,
                                                     k) == 0)
            d->step = verbs[i].step;
}

/* A reply line: "250-more follows", "250 last line". */
static void
heard_reply(struct dialogue *d, const char *line, size_t n)
{
    touch(d);
    if (d->quitting || n < 3 || !isdigit((unsigned char)line[0]) ||
        !isdigit((unsigned char)line[1]) || !isdigit((unsigned char)line[2]) ||
        (n > 3 && line[3] == '-'))
        return;
    d->reply = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    d->replied = d->step;
    if (d->step == STEP_DATA && d->reply == 354)
        d->step = STEP_BODY;
}

/*
 * Bytes of the message written to the connection.  libcurl doubles a dot
 * that starts a line, so once as many bytes as the message has are out,
 * at most those few added dots are left before its end, which libcurl
 * sends next: from then on the server may take the message.
 */
static void
sent_data(struct iom_smtp *s, size_t n)
{
    touch(&s->d);
    s->out += n;
    if (s->d.step == STEP_BODY && s->out >= s->len)
        s->d.step = STEP_END;
}

/*
 * libcurl's trace (CURLOPT_VERBOSE), read only for where the dialogue is;
 * nothing of it is kept or printed: it holds the AUTH lines.
 */
static int
on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *ctx)
{
    struct iom_smtp *s = ctx;

    (void)h;
    if (type == CURLINFO_HEADER_OUT)
        sent_command(&s->d, data, size);
    else if (type == CURLINFO_HEADER_IN)
        heard_reply(&s->d, data, size);
    else if (type == CURLINFO_DATA_OUT)
        sent_data(s, size);
    return 0;
}

/*
 * Called about once a second while libcurl waits: abort when a stop was
 * asked for, or when the server has been silent longer than the step
 * allows.  libcurl has one timeout for every reply; the end of a message
 * is allowed twice as long.
 */
static int
on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow,
            curl_off_t ultotal, curl_off_t ulnow)
{
    struct iom_smtp *s = ctx;
    long limit = s->d.step == STEP_END ? s->c->end_ms : s->c->command_ms;

    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    if (s->c->stop && *s->c->stop)
        return 1;
    if (ms_since(&s->d.since) > limit) {
        s->d.timed_out = true;
        return 1;
    }
    return 0;
}

/*
 * TLS: required as soon as there is a login (STARTTLS, or smtps://),
 * unless the loopback opt-out is set; otherwise used when offered.
 * libcurl's own timers only stand behind on_progress()'s: the response
 * timeout counts whole seconds, and the connection's covers every reply
 * up to the login (at most five, and the TLS handshake).
 */
static CURLcode
set_options(struct iom_smtp *s)
{
    const struct iom_smtp_config *c = s->c;
    CURL *h = s->curl;
    long tls = c->login && !c->plaintext_login ? (long)CURLUSESSL_ALL :
               (long)CURLUSESSL_TRY;
    CURLcode rc = curl_easy_setopt(h, CURLOPT_URL, c->url);

    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_USE_SSL, tls);
    /* A login libcurl found in ~/.netrc would not be counted above. */
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
    if (rc == CURLE_OK && c->ca_file)
        rc = curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_MAIL_FROM, c->from);
    if (rc == CURLE_OK && c->user)
        rc = curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
    if (rc == CURLE_OK && c->password)
        rc = curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                              6 * c->command_ms);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                              c->end_ms / 1000 + 2);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_DEBUGDATA, (void *)s);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)s);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->errbuf);
    return rc;
}

/* A new easy handle, so a new connection for the next message. */
static enum iom_status
session_open(struct iom_smtp *s)
{
    CURLcode rc;

    s->curl = curl_easy_init();
    rc = s->curl ? set_options(s) : CURLE_OUT_OF_MEMORY;
    if (rc == CURLE_OK)
        return IOM_OK;
    iom_errorf("cannot set up libcurl for SMTP: %s", curl_easy_strerror(rc));
    return rc == CURLE_OUT_OF_MEMORY ? IOM_ENOMEM : IOM_EUSAGE;
}

/*
 * libcurl closes a connection by saying QUIT and waiting for the reply,
 * as long as for any reply (which on_progress() no longer bounds).
 * 'cut' closes it without a word: after a stop, a timeout or a failed
 * try, the server may still be answering what came before, and that
 * answer would be read as the reply to QUIT, or to the next command.
 */
static void
session_close(struct iom_smtp *s, bool cut)
{
    curl_socket_t fd;

    if (!s->curl)
        return;
    if (cut &&
        curl_easy_getinfo(s->curl, CURLINFO_ACTIVESOCKET, &fd) == CURLE_OK &&
        fd != CURL_SOCKET_BAD)
        shutdown(fd, SHUT_RDWR);
    (void)curl_easy_setopt(s->curl, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                           s->c->command_ms / 1000 + 1);
    curl_easy_cleanup(s->curl);
    s->curl = NULL;
}

enum iom_status
iom_smtp_new(const struct iom_smtp_config *c, struct iom_smtp **out)
{
    struct iom_smtp *s;
    enum iom_status st;

    assert(c && c->url && c->from);
    *out = NULL;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return IOM_ENOMEM;
    s = calloc(1, sizeof *s);
    if (!s) {
        curl_global_cleanup();
        return IOM_ENOMEM;
    }
    s->c = c;
    st = session_open(s);
    if (st != IOM_OK) {
        iom_smtp_free(s);
        return st;
    }
    *out = s;
    return IOM_OK;
}

void
iom_smtp_free(struct iom_smtp *s)
{
    if (!s)
        return;
    session_close(s, s->stopped);
    curl_global_cleanup();
    free(s);
}

/* Wait 'ms' milliseconds; false when a stop was asked for meanwhile. */
static bool
pause_ms(const struct iom_smtp_config *c, long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

    /* A stop signal ends nanosleep() early with EINTR. */
    while (!(c->stop && *c->stop) && nanosleep(&t, &t) != 0 &&
           errno == EINTR)
        ;
    return !(c->stop && *c->stop);
}

/* What one try came to. */
enum outcome {
    SENT,
    TEMPORARY,      /* unreachable, dropped, or a 4xx reply: try again */
    PERMANENT,      /* a 5xx reply about this recipient or message */
    SESSION,        /* the server refused the session: a setting to fix */
    NO_TLS,         /* a login without the TLS it needs */
    LOGIN_DENIED,
    UNSURE,         /* the whole message went, its reply did not come */
    STOPPED
};

/*
 * A try that failed, judged by the step it failed at.  Once the whole
 * message is out, only a reply to its end tells whether the server took
 * it.  A server silent past the end's timeout may be busy taking it, and
 * one that answers out of turn cannot be read: either leaves the
 * message's fate unknown (RFC 5321, 6.1: sending it again may deliver it
 * twice).  A server that ends the connection without a word is taken at
 * that word: it did not say it took the message, which is tried again
 * under the same Message-ID.
 */
static enum outcome
judge(const struct dialogue *d, CURLcode rc, long *reply)
{
    long code = d->replied == d->step ? d->reply : 0;
    bool end = d->step == STEP_END;

    *reply = code;
    if (d->timed_out || rc == CURLE_OPERATION_TIMEDOUT)
        return end ? UNSURE : TEMPORARY;
    if (rc == CURLE_ABORTED_BY_CALLBACK)
        return STOPPED;
    if (rc == CURLE_USE_SSL_FAILED)
        return NO_TLS;
    if (rc == CURLE_LOGIN_DENIED)
        return LOGIN_DENIED;
    /* libcurl takes only 250 for the message taken. */
    if (end && code >= 200 && code <= 299)
        return SENT;
    if (code >= 400 && code <= 499)
        return TEMPORARY;
    if (code == 530 || (code >= 500 && code <= 599 && d->step <= STEP_MAIL))
        return SESSION;
    if (code >= 500 && code <= 599)
        return PERMANENT;
    if (end && (code || rc == CURLE_WEIRD_SERVER_REPLY))
        return UNSURE;
    return TEMPORARY;
}

static enum outcome
try_send(struct iom_smtp *s, struct curl_slist *rcpt, const char *msg,
         size_t len, CURLcode *rc, long *reply)
{
    struct upload u = { msg, len };
    long limit;

    s->errbuf[0] = '\0';
    s->len = len;
    s->out = 0;
    memset(&s->d, 0, sizeof s->d);
    touch(&s->d);
    *rc = curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, rcpt);
    if (*rc == CURLE_OK)
        *rc = curl_easy_setopt(s->curl, CURLOPT_READDATA, &u);
    if (*rc == CURLE_OK)
        *rc = curl_easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE,
                               (curl_off_t)len);
    if (*rc == CURLE_OK)
        *rc = curl_easy_perform(s->curl);
    if (*rc == CURLE_OK)
        return SENT;
    if (s->d.timed_out || *rc == CURLE_OPERATION_TIMEDOUT) {
        limit = s->d.step == STEP_END ? s->c->end_ms : s->c->command_ms;
        snprintf(s->errbuf, sizeof s->errbuf, "the server was silent for "
                 "%.1f s at %s", (double)limit / 1000.0,
                 step_name(s->d.step));
    }
    return judge(&s->d, *rc, reply);
}

static const char *
reason(const struct iom_smtp *s, CURLcode rc)
{
    return s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc);
}

/* The line of a try that ended the sending, or IOM_OK. */
static enum iom_status
report(struct iom_smtp *s, enum outcome o, const char *rcpt, CURLcode rc,
       long reply)
{
    switch (o) {
    case SENT:
        return IOM_OK;
    case STOPPED:
        s->stopped = true;
        return IOM_EINTR;
    case PERMANENT:
        iom_errorf("mail server refused the message to '%s' for good "
                   "(reply %ld to %s): %s", rcpt, reply,
                   step_name(s->d.replied), reason(s, rc));
        return IOM_EREFUSED;
    case SESSION:
        iom_errorf("mail server refused the session (reply %ld to %s): %s; "
                   "no message can go until the login "
                   "(IOMREPORT_SMTP_USER, IOMREPORT_SMTP_URL) or the sender "
                   "(IOMREPORT_MAIL_FROM) is put right", reply,
                   step_name(s->d.replied), reason(s, rc));
        return IOM_ESMTP;
    case NO_TLS:
        iom_errorf("mail server offers no TLS (STARTTLS): the login is not "
                   "sent in clear; use smtps://, a server with STARTTLS, or "
                   "for a relay on this machine "
                   "IOMREPORT_SMTP_PLAINTEXT_LOGIN=loopback");
        return IOM_ESMTP;
    case LOGIN_DENIED:
        iom_errorf("mail server refused the login: %s",
                   curl_easy_strerror(rc));
        return IOM_ESMTP;
    case UNSURE:
        iom_notef("mail server: %s", reason(s, rc));
        return IOM_EUNSURE;
    case TEMPORARY:
        break;
    }
    if (reply >= 400 && reply <= 499)
        iom_errorf("mail server answered temporarily (reply %ld to %s) "
                   "after %d tries: %s", reply, step_name(s->d.replied),
                   s->c->attempts, reason(s, rc));
    else
        iom_errorf("mail server unreachable after %d tries: %s",
                   s->c->attempts, reason(s, rc));
    return IOM_ESMTP;
}

enum iom_status
iom_smtp_send(struct iom_smtp *s, const char *rcpt, const char *msg,
              size_t len)
{
    struct curl_slist *list = curl_slist_append(NULL, rcpt);
    enum outcome o = TEMPORARY;
    enum iom_status st = IOM_OK;
    long wait = s->c->backoff_ms, reply = 0;
    CURLcode rc = CURLE_OK;
    int attempt;

    if (!list)
        return IOM_ENOMEM;
    for (attempt = 1; attempt <= s->c->attempts; attempt++) {
        if (attempt > 1) {
            iom_notef("mail server: %s; trying again in %ld ms",
                      reason(s, rc), wait);
            if (!pause_ms(s->c, wait)) {
                o = STOPPED;
                break;
            }
            wait *= 2;
        }
        o = try_send(s, list, msg, len, &rc, &reply);
        /* The connection of a failed try is never used again. */
        if (rc != CURLE_OK && o != STOPPED) {
            session_close(s, true);
            st = session_open(s);
        }
        if (o != TEMPORARY || st != IOM_OK)
            break;
    }
    curl_slist_free_all(list);
    return st != IOM_OK ? st : report(s, o, rcpt, rc, reply);
}
