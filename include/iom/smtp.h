/*
 * smtp: sending one message to one recipient through libcurl, and the
 * mail settings, which come from the environment only:
 *
 *   IOMREPORT_SMTP_URL            smtp://host[:port] (STARTTLS when the
 *                                 server offers it) or smtps://host[:port];
 *                                 it may carry a login (user:password@)
 *   IOMREPORT_SMTP_USER           login, when the server needs one
 *   IOMREPORT_SMTP_PASSWORD       its password, or
 *   IOMREPORT_SMTP_PASSWORD_FILE  a file whose first line is the password
 *   IOMREPORT_MAIL_FROM           the sender, "addr" or "Name <addr>"
 *   IOMREPORT_SMTP_CA_FILE        CA certificates to check the server's
 *                                 TLS certificate with (default: the
 *                                 system's)
 *   IOMREPORT_SMTP_PLAINTEXT_LOGIN=loopback
 *                                 allow the login without TLS, for a
 *                                 trusted relay on 127.0.0.1, ::1 or
 *                                 localhost only
 *   IOMREPORT_TEST_SMTP_TIMEOUTS=COMMAND_MS,END_MS
 *                                 for tests: the two timeouts below, in
 *                                 milliseconds
 *
 * The password is never taken from the command line (other users see it
 * in ps), never printed, wiped from memory when released, and only ever
 * sent over TLS: with a login, from the variables or the URL (a .netrc is
 * never read), a server that offers no STARTTLS gets no login and no
 * message.
 *
 * The timeouts are RFC 5321's: 5 minutes for each reply and each piece of
 * the message, 10 for the reply to the message's end.  A connection is
 * used again only after a message went through: after any try that
 * failed (a timeout, a refusal, a dropped connection) the next starts on
 * a new one, so that no reply is read as the answer to another command.
 */
#ifndef IOM_SMTP_H
#define IOM_SMTP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "iom/status.h"

struct iom_smtp_config {
    char *url;
    char *user;          /* IOMREPORT_SMTP_USER; NULL: unset */
    char *password;      /* NULL: none; secret */
    char *from;          /* the sender's address; NULL when unset */
    char *from_name;     /* its display name, UTF-8; NULL when none */
    char *ca_file;       /* NULL: the system's CA certificates */
    bool login;          /* credentials from the variables or the URL */
    bool plaintext_login; /* the loopback opt-out is set */
    long command_ms;     /* the wait for a reply, or a piece of the message */
    long end_ms;         /* the wait for the reply to the message's end */
    int attempts;        /* tries of a message while the server is down */
    long backoff_ms;     /* wait before the second try, doubled after */
    /* Set by a signal handler: stop waiting and sending (IOM_EINTR). */
    const volatile sig_atomic_t *stop;
};

/*
 * Fill 'c' from the environment and check every setting, without
 * connecting.  'need_server' is false for --outbox, which needs no URL
 * (but a sender, when set, is checked).  IOM_EUSAGE (message printed)
 * when a setting is missing or wrong; 'c' must be released whatever this
 * returns.
 */
enum iom_status iom_smtp_config_load(struct iom_smtp_config *c,
                                     bool need_server);
void iom_smtp_config_release(struct iom_smtp_config *c);

struct iom_smtp;

/* 'c' is borrowed and must outlive the session. */
enum iom_status iom_smtp_new(const struct iom_smtp_config *c,
                             struct iom_smtp **out);
void iom_smtp_free(struct iom_smtp *s);           /* NULL: no-op */

/*
 * Send msg[0..len) (CRLF line ends) to 'rcpt'.  IOM_OK once the server
 * took it; IOM_EREFUSED when the server refused the recipient or the
 * message for good (a 5xx reply to RCPT TO, DATA or the message's end:
 * this message only, go on with the others); IOM_ESMTP when the server
 * cannot be reached, or answered 4xx (temporary), after c->attempts tries
 * with doubling waits, or refused the session itself (no TLS for the
 * login, the login refused, 530 authentication required, a 5xx reply to
 * MAIL FROM or before it: a setting to fix), which stops sending (the
 * next run resumes); IOM_EUNSURE when the server was sent the whole
 * message but its reply to the end did not come within the end's
 * timeout, or could not be read: it may have taken it, and the message
 * must not go again blindly; IOM_EINTR when *c->stop was set (the message
 * may not have gone).  Every failure but IOM_EUNSURE, which the caller
 * names, is printed.
 */
enum iom_status iom_smtp_send(struct iom_smtp *s, const char *rcpt,
                              const char *msg, size_t len);

#endif
