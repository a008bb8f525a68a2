/*
 * failpdf: the wrapped HPDF_Page_CreateLinkAnnot and HPDF_SaveToFile (see
 * failpdf.h).
 */
#include <hpdf.h>

#include "failpdf.h"

HPDF_Annotation __real_HPDF_Page_CreateLinkAnnot(HPDF_Page page,
                                                 HPDF_Rect rect,
                                                 HPDF_Destination dst);
HPDF_Annotation __wrap_HPDF_Page_CreateLinkAnnot(HPDF_Page page,
                                                 HPDF_Rect rect,
                                                 HPDF_Destination dst);

static unsigned failing_link;   /* counted down to it; 0: none */

void
failpdf_link(unsigned nth)
{
    failing_link = nth;
}

HPDF_Annotation
__wrap_HPDF_Page_CreateLinkAnnot(HPDF_Page page, HPDF_Rect rect,
                                 HPDF_Destination dst)
{
    if (failing_link && --failing_link == 0)
        rect.bottom = -40000;       /* past HPDF_LIMIT_MIN_REAL */
    return __real_HPDF_Page_CreateLinkAnnot(page, rect, dst);
}

HPDF_STATUS __real_HPDF_SaveToFile(HPDF_Doc pdf, const char *file_name);
HPDF_STATUS __wrap_HPDF_SaveToFile(HPDF_Doc pdf, const char *file_name);

static HPDF_STATUS failing_save;     /* the error of the next save; 0: none */

void
failpdf_save(HPDF_STATUS err)
{
    failing_save = err;
}

HPDF_STATUS
__wrap_HPDF_SaveToFile(HPDF_Doc pdf, const char *file_name)
{
    HPDF_STATUS err = failing_save;

    failing_save = 0;
    if (err)
        return HPDF_RaiseError(&pdf->error, err, 0);
    return __real_HPDF_SaveToFile(pdf, file_name);
}
