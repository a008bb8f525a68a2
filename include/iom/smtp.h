/*
 * smtp: sending one message to one recipient through libcurl, and the
 * mail settings, which come from the environment only:
 *
 *   IOMREPORT_SMTP_URL            smtp://host[:port] (STARTTLS when the
 *                                 server offers it) or smtps://host[:port]
 *   IOMREPORT_SMTP_USER           login, when the server needs one
 *   IOMREPORT_SMTP_PASSWORD       its password, or
 *   IOMREPORT_SMTP_PASSWORD_FILE  a file whose first line is the password
 *   IOMREPORT_MAIL_FROM           the sender address
 *
 * The password is never taken from the command line (other users see it
 * in ps), never printed, and wiped from memory when released.
 */
#ifndef IOM_SMTP_H
#define IOM_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#include "iom/status.h"

struct iom_smtp_config {
    char *url;
    char *user;          /* NULL: no login */
    char *password;      /* NULL: none; secret */
    char *from;          /* NULL when unset */
    int attempts;        /* tries of a message while the server is down */
    long backoff_ms;     /* wait before the second try, doubled after */
};

/*
 * Fill 'c' from the environment.  'need_server' is false for --outbox,
 * which needs no URL.  IOM_EUSAGE (message printed) when a setting is
 * missing or wrong; 'c' must be released whatever this returns.
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
 * message (this message only: go on with the others); IOM_ESMTP when the
 * server cannot be reached after c->attempts tries or refuses the login
 * (stop sending).  Every failure is printed.
 */
enum iom_status iom_smtp_send(struct iom_smtp *s, const char *rcpt,
                              const char *msg, size_t len);

#endif
