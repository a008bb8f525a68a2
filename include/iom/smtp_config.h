/*
 * smtp_config: the mail settings, which come from the environment only:
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
 *                                 for tests: the two timeouts of smtp.h, in
 *                                 milliseconds
 *
 * The password is never taken from the command line (other users see it
 * in ps), never printed, wiped from memory when released, and only ever
 * sent over TLS: with a login, from the variables or the URL (a .netrc is
 * never read), a server that offers no STARTTLS gets no login and no
 * message.
 */
#ifndef IOM_SMTP_CONFIG_H
#define IOM_SMTP_CONFIG_H

#include <signal.h>
#include <stdbool.h>

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

#endif
