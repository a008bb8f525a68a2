/*
 * smtp_config: the mail settings, from the environment only, each checked
 * before anything is published.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "iom/address.h"
#include "iom/msg.h"
#include "iom/smtp_config.h"

#define PASSWORD_MAX 4096

/* RFC 5321, 4.5.3.2: a reply (or a piece of the message) within 5 minutes;
 * the reply to the message's end, which the server may take to queue it,
 * within 10. */
#define COMMAND_TIMEOUT_MS (5 * 60 * 1000L)
#define END_TIMEOUT_MS (10 * 60 * 1000L)
#define TIMEOUT_MAX_MS (24 * 60 * 60 * 1000L)

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

/*
 * What IOMREPORT_SMTP_URL says besides its scheme: whether it carries a
 * login (user, password or login options), which needs TLS as much as
 * one from the variables, and whether its host is this machine, where a
 * login in clear stays local.
 */
static enum iom_status
read_url(const char *url, bool *login, bool *loopback)
{
    static const CURLUPart parts[] = { CURLUPART_USER, CURLUPART_PASSWORD,
                                       CURLUPART_OPTIONS };
    CURLU *u = curl_url();
    char *v = NULL;
    CURLUcode rc = u ? curl_url_set(u, CURLUPART_URL, url, 0) :
                   CURLUE_OUT_OF_MEMORY;
    size_t i;

    *login = *loopback = false;
    for (i = 0; rc == CURLUE_OK && i < sizeof parts / sizeof parts[0]; i++) {
        if (curl_url_get(u, parts[i], &v, 0) == CURLUE_OK)
            *login = true;
        curl_free(v);
        v = NULL;
    }
    if (rc == CURLUE_OK && curl_url_get(u, CURLUPART_HOST, &v, 0) == CURLUE_OK)
        *loopback = strcmp(v, "127.0.0.1") == 0 || strcmp(v, "[::1]") == 0 ||
                    strcasecmp(v, "localhost") == 0;
    curl_free(v);
    curl_url_cleanup(u);
    if (rc == CURLUE_OUT_OF_MEMORY)
        return IOM_ENOMEM;
    if (rc != CURLUE_OK) {
        /* Not echoed: the URL may carry a login. */
        iom_errorf("IOMREPORT_SMTP_URL is not a URL libcurl can read: %s",
                   curl_url_strerror(rc));
        return IOM_EUSAGE;
    }
    return IOM_OK;
}

/* IOMREPORT_MAIL_FROM into c->from and c->from_name. */
static enum iom_status
parse_from(struct iom_smtp_config *c, const char *v)
{
    const char *why;
    enum iom_status st = iom_mailbox_parse(v, &c->from_name, &c->from, &why);

    /* Not echoed: it may hold the very line break that is refused. */
    if (st == IOM_EUSAGE)
        iom_errorf("IOMREPORT_MAIL_FROM %s (expected 'addr' or "
                   "'Name <addr>')", why);
    return st;
}

/* The settings that need a server: URL, TLS policy, login. */
static enum iom_status
check_server(struct iom_smtp_config *c)
{
    bool url_login, loopback;
    enum iom_status st;

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
    st = read_url(c->url, &url_login, &loopback);
    if (st != IOM_OK)
        return st;
    if (!c->from) {
        iom_errorf("IOMREPORT_MAIL_FROM is not set (the sender address)");
        return IOM_EUSAGE;
    }
    /* libcurl would take the user from one and the password from the
     * other. */
    if (url_login && (c->user || c->password)) {
        iom_errorf("IOMREPORT_SMTP_URL carries a login and "
                   "IOMREPORT_SMTP_USER or a password is set too: give the "
                   "login in one place");
        return IOM_EUSAGE;
    }
    if (c->password && !c->user) {
        iom_errorf("a password is set but IOMREPORT_SMTP_USER is not");
        return IOM_EUSAGE;
    }
    c->login = url_login || c->user;
    if (c->plaintext_login && !loopback) {
        iom_errorf("IOMREPORT_SMTP_PLAINTEXT_LOGIN=loopback is only for a "
                   "relay on 127.0.0.1, ::1 or localhost, not for the host "
                   "of IOMREPORT_SMTP_URL");
        return IOM_EUSAGE;
    }
    return IOM_OK;
}

#ifdef IOM_TEST_POINTS
/*
 * IOMREPORT_TEST_SMTP_TIMEOUTS=COMMAND_MS,END_MS, so that a test of a
 * slow server waits seconds, not RFC 5321's minutes.  Test builds only,
 * as the pause points: a user's binary keeps RFC 5321's waits.
 */
static enum iom_status
read_timeouts(struct iom_smtp_config *c)
{
    const char *v = getenv("IOMREPORT_TEST_SMTP_TIMEOUTS");
    char *rest = NULL;
    long command_ms, end_ms = 0;
    bool ok;

    if (!v || !*v)
        return IOM_OK;
    errno = 0;
    command_ms = strtol(v, &rest, 10);
    ok = rest != v && *rest == ',';
    if (ok) {
        v = rest + 1;
        end_ms = strtol(v, &rest, 10);
        ok = rest != v && !*rest;
    }
    if (!ok || errno || command_ms <= 0 || end_ms <= 0 ||
        command_ms > TIMEOUT_MAX_MS || end_ms > TIMEOUT_MAX_MS) {
        iom_errorf("IOMREPORT_TEST_SMTP_TIMEOUTS must be COMMAND_MS,END_MS "
                   "(two numbers of milliseconds, at most %ld)",
                   TIMEOUT_MAX_MS);
        return IOM_EUSAGE;
    }
    c->command_ms = command_ms;
    c->end_ms = end_ms;
    return IOM_OK;
}
#else
static enum iom_status
read_timeouts(struct iom_smtp_config *c)
{
    (void)c;
    return IOM_OK;
}
#endif

enum iom_status
iom_smtp_config_load(struct iom_smtp_config *c, bool need_server)
{
    enum iom_status st = IOM_OK;
    const char *file = getenv("IOMREPORT_SMTP_PASSWORD_FILE");
    const char *from = getenv("IOMREPORT_MAIL_FROM");
    const char *plain = getenv("IOMREPORT_SMTP_PLAINTEXT_LOGIN");

    memset(c, 0, sizeof *c);
    c->attempts = 3;
    c->backoff_ms = 1000;
    c->command_ms = COMMAND_TIMEOUT_MS;
    c->end_ms = END_TIMEOUT_MS;
    c->url = env_copy("IOMREPORT_SMTP_URL", &st);
    c->user = env_copy("IOMREPORT_SMTP_USER", &st);
    c->password = env_copy("IOMREPORT_SMTP_PASSWORD", &st);
    c->ca_file = env_copy("IOMREPORT_SMTP_CA_FILE", &st);
    if (st != IOM_OK)
        return st;
    if (plain && *plain) {
        if (strcmp(plain, "loopback") != 0) {
            iom_errorf("IOMREPORT_SMTP_PLAINTEXT_LOGIN must be 'loopback' "
                       "or unset");
            return IOM_EUSAGE;
        }
        c->plaintext_login = true;
    }
    if (from && *from) {
        st = parse_from(c, from);
        if (st != IOM_OK)
            return st;
    }
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
    st = read_timeouts(c);
    if (st != IOM_OK)
        return st;
    if (c->ca_file && access(c->ca_file, R_OK) != 0) {
        iom_errorf("cannot read IOMREPORT_SMTP_CA_FILE '%s': %s", c->ca_file,
                   strerror(errno));
        return IOM_EUSAGE;
    }
    return need_server ? check_server(c) : IOM_OK;
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
    free(c->from_name);
    free(c->ca_file);
    memset(c, 0, sizeof *c);
}
