/*
 * fonts: the lookup order of the fonts, from the most explicit choice to
 * the system's copy, each place's files tried as the renderers use them.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iom/buf.h"
#include "iom/fonts.h"
#include "iom/msg.h"
#include "iom/pdf_doc.h"

/*
 * The folder above the one holding 'exe' ("/opt/x/bin/iomreport" gives
 * "/opt/x"), into 'out'; false when 'exe' has no such folder.  The data
 * folder is found from there, so that an installed binary finds its fonts
 * whatever PREFIX it was installed to, and a binary in the build folder
 * those of the source tree.
 */
static bool
exe_prefix(const char *exe, char out[PATH_MAX])
{
    char *slash;

    if (!exe || snprintf(out, PATH_MAX, "%s", exe) >= PATH_MAX)
        return false;
    slash = strrchr(out, '/');
    if (!slash)
        return false;
    *slash = '\0';
    slash = strrchr(out, '/');
    if (!slash)
        return false;
    if (slash == out)
        slash[1] = '\0';
    else
        *slash = '\0';
    return true;
}

/* A folder of the lookup: where it comes from, when it was named. */
struct place {
    const char *dir;
    const char *named_by;     /* "--fonts", "IOMREPORT_FONTS", or NULL */
};

/*
 * Whether DIR holds both files, readable and usable as fonts: IOM_OK with
 * their paths into 'out'; IOM_ENOINPUT when one cannot be read, IOM_EFONT
 * when one is no font to use, with what is wrong into 'why' (the file
 * named); IOM_ENOMEM.
 */
static enum iom_status
try_place(const struct place *pl, struct iom_fonts *out, struct iom_buf *why)
{
    const char *files[] = { IOM_FONT_REGULAR, IOM_FONT_BOLD };
    char *paths[2] = { NULL, NULL };
    char said[IOM_PDF_WHY_MAX];
    enum iom_status st = IOM_OK;
    size_t i;

    iom_buf_reset(why);
    for (i = 0; st == IOM_OK && i < 2; i++)
        if (!(paths[i] = iom_strf("%s/%s", pl->dir, files[i])))
            st = IOM_ENOMEM;
    for (i = 0; st == IOM_OK && i < 2; i++) {
        if (access(paths[i], R_OK) != 0) {
            st = iom_buf_addf(why, "cannot read font '%s': %s", paths[i],
                              strerror(errno));
            if (st == IOM_OK)
                st = IOM_ENOINPUT;
        } else {
            st = iom_pdf_font_check(paths[i], said, sizeof said);
            if (st == IOM_EFONT && iom_buf_addf(why, "cannot load font "
                                                "'%s': %s", paths[i],
                                                said) != IOM_OK)
                st = IOM_ENOMEM;
        }
    }
    if (st == IOM_OK) {
        out->regular = paths[0];
        out->bold = paths[1];
    } else {
        free(paths[0]);
        free(paths[1]);
    }
    return st;
}

/*
 * A folder given by --fonts or IOMREPORT_FONTS is a choice: when its fonts
 * cannot be used, the run stops and says so, rather than draw with other
 * fonts than those meant.  The folders looked in by default are places
 * where fonts may be: fonts/ under the working directory may be anything
 * (cron starts in a home folder), so one that fails is passed over, and
 * the next place serves.
 */
enum iom_status
iom_fonts_search(const char *dir, const char *exe, const char *system_dir,
                 struct iom_fonts *out)
{
    const char *env = getenv("IOMREPORT_FONTS");
    char prefix[PATH_MAX], data[PATH_MAX + 32], tree[PATH_MAX + 8];
    struct place places[4];
    size_t n = 0, i;
    struct iom_buf tried = IOM_BUF_INIT, why = IOM_BUF_INIT;
    enum iom_status st = IOM_EFONT;

    if (dir)
        places[n++] = (struct place){ dir, "--fonts" };
    else if (env && *env)
        places[n++] = (struct place){ env, "IOMREPORT_FONTS" };
    if (n == 0) {
        places[n++] = (struct place){ "fonts", NULL };
        if (exe_prefix(exe, prefix)) {
            const char *sep = strcmp(prefix, "/") == 0 ? "" : "/";

            snprintf(data, sizeof data, "%s%sshare/iomreport/fonts", prefix,
                     sep);
            snprintf(tree, sizeof tree, "%s%sfonts", prefix, sep);
            places[n++] = (struct place){ data, NULL };
            places[n++] = (struct place){ tree, NULL };
        }
        if (system_dir)
            places[n++] = (struct place){ system_dir, NULL };
    }
    for (i = 0; i < n; i++) {
        st = try_place(&places[i], out, &why);
        if (st == IOM_OK || st == IOM_ENOMEM)
            break;
        if (places[i].named_by)
            iom_errorf("%s (%s '%s')", why.data, places[i].named_by,
                       places[i].dir);
        else if (st == IOM_EFONT)
            iom_notef("not using the fonts in '%s/': %s", places[i].dir,
                      why.data);
        /* A folder whose files are there but are no fonts is named with
         * why: the one line cron mails must say what to mend. */
        iom_buf_addf(&tried, "%s'%s/'%s%s%s", i ? ", " : "", places[i].dir,
                     st == IOM_EFONT ? " (" : "",
                     st == IOM_EFONT ? why.data : "",
                     st == IOM_EFONT ? ")" : "");
        st = IOM_EFONT;
    }
    if (st == IOM_EFONT && !places[0].named_by)
        iom_errorf("cannot find usable fonts '%s' and '%s' in %s "
                   "(use --fonts DIR or IOMREPORT_FONTS)", IOM_FONT_REGULAR,
                   IOM_FONT_BOLD, tried.data);
    iom_buf_release(&tried);
    iom_buf_release(&why);
    return st;
}

enum iom_status
iom_fonts_find(const char *dir, struct iom_fonts *out)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

    if (n > 0)
        exe[n] = '\0';
    return iom_fonts_search(dir, n > 0 ? exe : NULL, IOM_SYSTEM_FONTS, out);
}

void
iom_fonts_release(struct iom_fonts *f)
{
    free(f->regular);
    free(f->bold);
    f->regular = NULL;
    f->bold = NULL;
}
