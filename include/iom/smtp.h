/*
 * smtp: sending one message to one recipient through libcurl, with the
 * settings of smtp_config.h.
 *
 * The timeouts are RFC 5321's: 5 minutes for each reply and each piece of
 * the message, 10 for the reply to the message's end.  A connection is
 * used again only after a message went through: after any try that
 * failed (a timeout, a refusal, a dropped connection) the next starts on
 * a new one, so that no reply is read as the answer to another command.
 */
#ifndef IOM_SMTP_H
#define IOM_SMTP_H

#include <stddef.h>

#include "iom/smtp_config.h"
#include "iom/status.h"

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
