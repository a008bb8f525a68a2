/*
 * record: a validated project (struct iom_record) and the set that holds
 * every accepted project of a run together with the strings it points to.
 */
#ifndef IOM_RECORD_H
#define IOM_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "iom/hashset.h"
#include "iom/status.h"

/* The name under which an empty IDF Region or Project Type is grouped. */
#define IOM_UNSPECIFIED "Unspecified"

/* The years a record and a selection may name. */
#define IOM_YEAR_MIN 1951
#define IOM_YEAR_MAX 2100

enum iom_date_prec {
    IOM_DATE_NONE = 0,  /* field empty */
    IOM_DATE_YEAR,      /* YYYY */
    IOM_DATE_MONTH,     /* YYYY-MM */
    IOM_DATE_DAY,       /* YYYY-MM-DD */
    IOM_DATE_GIVEN      /* not a date these forms read: shown as given */
};

/* Small types: a million records are held at once. */
struct iom_date {
    short year;
    unsigned char month;  /* 0 when prec < IOM_DATE_MONTH */
    unsigned char day;    /* 0 when prec < IOM_DATE_DAY */
    unsigned char prec;   /* enum iom_date_prec */
};

/*
 * One accepted project.  Every string is valid UTF-8, trimmed, never NULL
 * ("" when the optional field was empty), and borrowed from the
 * iom_recset that holds the record -- except the fields a run does not keep
 * in memory (see iom_validator_keep()): those are NULL until the record is
 * read again whole from its offset (iom_source_load()).
 */
struct iom_record {
    const char *id;
    const char *title;
    const char *status;
    const char *type;        /* IOM_UNSPECIFIED when empty */
    const char *coverage;
    const char *region;      /* IOM_UNSPECIFIED when empty */
    const char **states;     /* benefiting member states, in file order */
    const char *description; /* line breaks kept, CRLF normalised to LF */
    const char *prima_id;
    /*
     * NULL unless a date is IOM_DATE_GIVEN: then the Start Date's text as
     * given, a NUL, and the End Date's ("" for a date that was read); see
     * iom_record_date_given().  One pointer for both: only the few dates
     * that cannot be read cost memory.
     */
    const char *dates_given;
    int64_t budget_cents;
    uint64_t offset;         /* its bytes in the input, to read it again */
    unsigned long line;      /* physical line on which the record starts */
    struct iom_date start;
    struct iom_date end;
    int year;                /* 1951..2100 */
    uint32_t n_states;
    uint32_t length;
};

/* All accepted records of a file, in file order. */
struct iom_recset {
    struct iom_record *recs;
    size_t n;
    size_t cap;
    struct iom_arena *arena; /* owns every string the records point to */
    struct iom_hashset shared; /* one copy of each shared string */
};

void iom_recset_init(struct iom_recset *rs);
/* Frees the records and every string they borrow. */
void iom_recset_release(struct iom_recset *rs);

/*
 * Copy 'len' bytes of 's' (plus a NUL) into the set's string store.  The
 * result stays valid until iom_recset_release(rs); callers never free it.
 * Returns NULL when out of memory.
 */
const char *iom_recset_intern(struct iom_recset *rs, const char *s,
                              size_t len);
/*
 * The same, but one copy per distinct string: for values that repeat from
 * record to record (regions, types, member states).
 */
const char *iom_recset_intern_shared(struct iom_recset *rs, const char *s,
                                     size_t len);
/*
 * The same, with 'tag' stored beside the copy, where iom_recset_tag()
 * finds it again: the line of a record kept with its ID at no pointer's
 * cost.
 */
const char *iom_recset_intern_tagged(struct iom_recset *rs, const char *s,
                                     size_t len, uint64_t tag);
uint64_t iom_recset_tag(const char *interned);
/* Same for an array of 'n' string pointers (the array, not the strings). */
const char **iom_recset_intern_list(struct iom_recset *rs, const char **v,
                                    size_t n);

/* Append a copy of 'rec' (its strings must already live in 'rs'). */
enum iom_status iom_recset_add(struct iom_recset *rs,
                               const struct iom_record *rec);

/* Days of 'month' (1-12) in 'year', by the Gregorian calendar. */
int iom_days_in_month(int year, int month);

/* "2001", "2001-05", "2001-05-28", or "" for IOM_DATE_NONE and
 * IOM_DATE_GIVEN. */
char *iom_date_format(const struct iom_date *d, char out[11]);

/*
 * The text of 'd' (&rec->start or &rec->end) as the input gives it when
 * it is IOM_DATE_GIVEN ("" when the record keeps no text); NULL for a
 * date that was read, or none.  Borrowed from the record's set.
 */
const char *iom_record_date_given(const struct iom_record *rec,
                                  const struct iom_date *d);

#endif
