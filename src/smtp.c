/*
 * smtp: libcurl's SMTP.  One easy handle per session, so that libcurl
 * keeps the connection open from one message to the next.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "iom/msg.h"
#include "iom/smtp.h"

#define PASSWORD_MAX 4096

struct iom_smtp {
    const struct iom_smtp_config *c;
    CURL *curl;
    char errbuf[CURL_ERROR_SIZE];
};

/* Where the read callback is in the message being sent. */
struct upload {
    const char *p;
    size_t left;
};

static char *
env_copy(const char *name, enum iom_status *st)
{
    const char *v = getenv(name);
    char *copy;

    if (!v || !*v)
        return NULL;
    copy = strdup(v);
    if (!copy)
        *st = IOM_ENOMEM;
    return copy;
}

/* The first line of 'path', without its line end. */
static enum iom_status
read_password_file(const char *path, char **out)
{
    char *buf = calloc(1, PASSWORD_MAX + 1);
    FILE *f;
    size_t n;

    if (!buf)
        return IOM_ENOMEM;
    f = fopen(path, "rb");
    if (!f) {
        iom_errorf("cannot open IOMREPORT_SMTP_PASSWORD_FILE '%s': %s",
                   path, strerror(errno));
        free(buf);
        return IOM_EUSAGE;
    }
    n = fread(buf, 1, PASSWORD_MAX, f);
    fclose(f);
    buf[strcspn(buf, "\r\n")] = '\0';
    if (n == 0 || !*buf) {
        iom_errorf("IOMREPORT_SMTP_PASSWORD_FILE '%s' is empty", path);
        free(buf);
        return IOM_EUSAGE;
    }
    *out = buf;
    return IOM_OK;
}

enum iom_status
iom_smtp_config_load(struct iom_smtp_config *c, bool need_server)
{
    enum iom_status st = IOM_OK;
    const char *file = getenv("IOMREPORT_SMTP_PASSWORD_FILE");

    memset(c, 0, sizeof *c);
    c->attempts = 3;
    c->backoff_ms = 1000;
    c->url = env_copy("IOMREPORT_SMTP_URL", &st);
    c->user = env_copy("IOMREPORT_SMTP_USER", &st);
    c->password = env_copy("IOMREPORT_SMTP_PASSWORD", &st);
    c->from = env_copy("IOMREPORT_MAIL_FROM", &st);
    if (st != IOM_OK)
        return st;
    if (file && *file) {
        if (c->password) {
            iom_errorf("set IOMREPORT_SMTP_PASSWORD or "
                       "IOMREPORT_SMTP_PASSWORD_FILE, not both");
            return IOM_EUSAGE;
        }
        st = read_password_file(file, &c->password);
        if (st != IOM_OK)
            return st;
    }
    if (!need_server)
        return IOM_OK;
    if (!c->url) {
        iom_errorf("IOMREPORT_SMTP_URL is not set (smtp://HOST[:PORT] or "
                   "smtps://HOST[:PORT])");
        return IOM_EUSAGE;
    }
    if (strncasecmp(c->url, "smtp://", 7) != 0 &&
        strncasecmp(c->url, "smtps://", 8) != 0) {
        /* Not echoed: the URL may carry a login. */
        iom_errorf("IOMREPORT_SMTP_URL must start with smtp:// or "
                   "smtps://");
        return IOM_EUSAGE;
    }
    if (!c->from) {
        iom_errorf("IOMREPORT_MAIL_FROM is not set (the sender address)");
        return IOM_EUSAGE;
    }
    if (c->password && !c->user) {
        iom_errorf("a password is set but IOMREPORT_SMTP_USER is not");
        return IOM_EUSAGE;
    }
    return IOM_OK;
}

static void
wipe(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

void
iom_smtp_config_release(struct iom_smtp_config *c)
{
    wipe(c->url);
    wipe(c->password);
    free(c->user);
    free(c->from);
    memset(c, 0, sizeof *c);
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

enum iom_status
iom_smtp_new(const struct iom_smtp_config *c, struct iom_smtp **out)
{
    struct iom_smtp *s;
    CURL *h;

    assert(c && c->url && c->from);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return IOM_ENOMEM;
    s = calloc(1, sizeof *s);
    h = curl_easy_init();
    if (!s || !h) {
        free(s);
        curl_easy_cleanup(h);
        curl_global_cleanup();
        return IOM_ENOMEM;
    }
    s->c = c;
    s->curl = h;
    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, c->from);
    if (c->user)
        curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
    if (c->password)
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
    /* A server that stops answering mid-message is a server that is down. */
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->errbuf);
    *out = s;
    return IOM_OK;
}

void
iom_smtp_free(struct iom_smtp *s)
{
    if (!s)
        return;
    curl_easy_cleanup(s->curl);
    curl_global_cleanup();
    free(s);
}

static void
pause_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

/*
 * One try.  A reply of 400 or more to our commands is the server's answer
 * about this message (refused), except 421, the server going away; any
 * other failure is the server being out of reach.
 */
static enum iom_status
try_send(struct iom_smtp *s, struct curl_slist *rcpt, const char *msg,
         size_t len, CURLcode *rc, long *reply)
{
    struct upload u = { msg, len };

    s->errbuf[0] = '\0';
    *reply = 0;
    curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(s->curl, CURLOPT_READDATA, &u);
    curl_easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    *rc = curl_easy_perform(s->curl);
    curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, reply);
    if (*rc == CURLE_OK)
        return IOM_OK;
    if (*rc == CURLE_LOGIN_DENIED)
        return IOM_EUSAGE;
    if (*reply >= 400 && *reply != 421)
        return IOM_EREFUSED;
    return IOM_ESMTP;
}

enum iom_status
iom_smtp_send(struct iom_smtp *s, const char *rcpt, const char *msg,
              size_t len)
{
    struct curl_slist *list = curl_slist_append(NULL, rcpt);
    enum iom_status st = IOM_ESMTP;
    long wait = s->c->backoff_ms, reply = 0;
    CURLcode rc = CURLE_OK;
    int attempt;

    if (!list)
        return IOM_ENOMEM;
    for (attempt = 1; attempt <= s->c->attempts; attempt++) {
        if (attempt > 1) {
            iom_notef("mail server: %s; trying again in %ld ms",
                      s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc),
                      wait);
            pause_ms(wait);
            wait *= 2;
        }
        st = try_send(s, list, msg, len, &rc, &reply);
        if (st != IOM_ESMTP)
            break;
    }
    curl_slist_free_all(list);
    if (st == IOM_EREFUSED)
        iom_errorf("mail server refused the message to '%s' (reply %ld): "
                   "%s", rcpt, reply,
                   s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc));
    else if (st == IOM_EUSAGE)
        iom_errorf("mail server refused the login of "
                   "IOMREPORT_SMTP_USER: %s", curl_easy_strerror(rc));
    else if (st == IOM_ESMTP)
        iom_errorf("mail server unreachable after %d tries: %s",
                   s->c->attempts,
                   s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc));
    return st == IOM_EUSAGE ? IOM_ESMTP : st;
}
