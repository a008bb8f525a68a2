/*
 * address: e-mail addresses as iomreport accepts them, in the recipients
 * file and in IOMREPORT_MAIL_FROM.  Deliberately narrower than RFC 5322:
 * what passes can go into a header and an SMTP path without quoting, and
 * nothing that passes can carry a line break.
 */
#ifndef IOM_ADDRESS_H
#define IOM_ADDRESS_H

#include <stdbool.h>

#include "iom/status.h"

/* Longest address accepted (RFC 5321's path limit less the brackets). */
#define IOM_EMAIL_MAX 254
/* Longest display name accepted in a mailbox, in bytes. */
#define IOM_MAILBOX_NAME_MAX 256

/*
 * True when 'email' is an address we are willing to put in a header: an
 * RFC 5321 dot-atom local part, '@', and a domain of at least two
 * letter/digit/hyphen labels; no quoting, comments, spaces or control
 * characters.  On false, *why says what is wrong.
 */
bool iom_email_valid(const char *email, const char **why);

/*
 * Split a mailbox, "addr", "Name <addr>" or "\"Name\" <addr>", into its
 * display name (*name, UTF-8, NULL when there is none) and its address
 * (*addr), both new strings the caller frees.  IOM_EUSAGE with *why when
 * it is anything else: control characters (a CR or LF would add
 * headers), invalid UTF-8, text after the '>', an invalid address.
 */
enum iom_status iom_mailbox_parse(const char *s, char **name, char **addr,
                                  const char **why);

#endif
