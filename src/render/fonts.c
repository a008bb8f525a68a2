/*
 * fonts: the lookup order of the fonts, from the most explicit choice to
 * the system's copy.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iom/buf.h"
#include "iom/fonts.h"
#include "iom/msg.h"

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

enum iom_status
iom_fonts_search(const char *dir, const char *exe, const char *system_dir,
                 struct iom_fonts *out)
{
    const char *env = getenv("IOMREPORT_FONTS");
    char prefix[PATH_MAX], data[PATH_MAX + 32], tree[PATH_MAX + 8];
    const char *dirs[6];
    size_t n = 0, i;
    struct iom_buf tried = IOM_BUF_INIT;

    if (dir)
        dirs[n++] = dir;
    if (env && *env)
        dirs[n++] = env;
    dirs[n++] = "fonts";
    if (exe_prefix(exe, prefix)) {
        const char *sep = strcmp(prefix, "/") == 0 ? "" : "/";

        snprintf(data, sizeof data, "%s%sshare/iomreport/fonts", prefix, sep);
        snprintf(tree, sizeof tree, "%s%sfonts", prefix, sep);
        dirs[n++] = data;
        dirs[n++] = tree;
    }
    if (system_dir)
        dirs[n++] = system_dir;
    for (i = 0; i < n; i++) {
        char *regular = iom_strf("%s/%s", dirs[i], IOM_FONT_REGULAR);
        char *bold = iom_strf("%s/%s", dirs[i], IOM_FONT_BOLD);

        if (!regular || !bold) {
            free(regular);
            free(bold);
            iom_buf_release(&tried);
            return IOM_ENOMEM;
        }
        if (access(regular, R_OK) == 0 && access(bold, R_OK) == 0) {
            out->regular = regular;
            out->bold = bold;
            iom_buf_release(&tried);
            return IOM_OK;
        }
        if (i == 0 && dir)
            iom_warnf("no readable '%s' and '%s' in --fonts '%s'; looking "
                      "further", IOM_FONT_REGULAR, IOM_FONT_BOLD, dir);
        iom_buf_addf(&tried, "%s'%s/'", i ? ", " : "", dirs[i]);
        free(regular);
        free(bold);
    }
    iom_errorf("cannot find readable fonts '%s' and '%s' in %s "
               "(use --fonts DIR or IOMREPORT_FONTS)", IOM_FONT_REGULAR,
               IOM_FONT_BOLD, tried.data);
    iom_buf_release(&tried);
    return IOM_EFONT;
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
