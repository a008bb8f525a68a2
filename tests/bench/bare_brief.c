/*
 * bare_brief: the floor a libharu brief can reach.  Builds N one-page
 * documents with the text of a typical brief (about 40 lines, shown with
 * HPDF_Page_ShowText, no layout logic), in the given TrueType fonts,
 * compressed, each saved to OUT, and prints the milliseconds per document,
 * wall and CPU (the CPU figure holds on a machine shared with other work).
 *
 *     bare_brief N OUT.pdf REGULAR.ttf [BOLD.ttf]
 *
 * With a bold font the header, title and labels use it, as in a brief.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <hpdf.h>

static const char *const facts[][2] = {
    {"Projects ID", "T81-805"},
    {"Start Date", "2001-05-28"},
    {"End Date", "2002"},
    {"Project Status", "Completed"},
    {"Project Type", "Migration Policy Activities"},
    {"Budget Amount (USD)", "USD 237,450.00"},
    {"Coverage", "Regional"},
    {"Year", "2001"},
    {"IDF Region", "Africa"},
    {"Benefiting Member States", "Côte d'Ivoire"},
    {"", "São Tomé and Príncipe"},
    {"", "United Republic of Tanzania"},
    {"", "Democratic Republic of the Congo"},
};

static const char *const description[] = {
    "IOM and the Government convened a migration policy seminar for the",
    "region from 28 May to 1 June 2001, as a follow-up to the regional",
    "meeting held in November 2000 – the first of its kind in the region.",
    "The major aims of the seminar were to find common solutions to the",
    "challenges posed by labour migration, migrant trafficking and",
    "irregular migration in general, under the title “Safe Migration”.",
    "The beneficiaries’ officials welcomed the follow-up meeting, which",
    "translated the findings into practical work plans.",
    "The main activities were:",
    "1. a baseline study of current practices;",
    "2. a review of the legal framework;",
    "3. training modules for front-line officials;",
    "4. a regional workshop and its report.",
    "The steering committee facilitated standard operating procedures for",
    "border posts in order to translate the findings into practical work",
    "plans. The Ministry of Labour coordinated the collection and analysis",
    "of migration data building on the results of the first phase.",
    "The national migration authority facilitated a health assessment of",
    "migrants in transit in close cooperation with the governments.",
};

struct fonts {
    HPDF_Font regular;
    HPDF_Font bold;
};

static void
on_error(HPDF_STATUS err, HPDF_STATUS detail, void *data)
{
    (void)data;
    fprintf(stderr, "bare_brief: libharu error 0x%04X (detail %u)\n",
            (unsigned)err, (unsigned)detail);
    exit(1);
}

static double
now_ms(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
line(HPDF_Page page, HPDF_Font font, float size, float x, float y,
     const char *text)
{
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font, size);
    HPDF_Page_TextOut(page, x, y, text);
    HPDF_Page_EndText(page);
}

static void
draw(HPDF_Page page, const struct fonts *f)
{
    float top = HPDF_Page_GetHeight(page);
    float y;
    size_t i;

    HPDF_Page_SetRGBFill(page, 0.0f, 0.2f, 0.63f);
    HPDF_Page_Rectangle(page, 0, top - 62, HPDF_Page_GetWidth(page), 62);
    HPDF_Page_Fill(page);
    HPDF_Page_SetRGBFill(page, 1, 1, 1);
    line(page, f->bold, 13, 57, top - 37, "IOM Development Fund");
    line(page, f->regular, 11, 460, top - 37, "Project Brief");
    HPDF_Page_SetRGBFill(page, 0, 0, 0);
    line(page, f->bold, 18, 57, top - 100,
         "International Migration Policy Seminar for the");
    line(page, f->bold, 18, 57, top - 122, "Caribbean Region");
    y = top - 160;
    for (i = 0; i < sizeof facts / sizeof facts[0]; i++, y -= 14) {
        line(page, f->bold, 9, 57, y, facts[i][0]);
        line(page, f->regular, 9, 200, y, facts[i][1]);
    }
    y -= 14;
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, f->regular, 10);
    HPDF_Page_SetTextLeading(page, 13.5f);
    HPDF_Page_MoveTextPos(page, 57, y);
    for (i = 0; i < sizeof description / sizeof description[0]; i++) {
        HPDF_Page_ShowText(page, description[i]);
        HPDF_Page_MoveToNextLine(page);
    }
    HPDF_Page_EndText(page);
    line(page, f->regular, 8, 57, 34, "T81-805");
    line(page, f->regular, 8, 480, 34, "Page 1 of 1");
}

static void
one_document(const char *out, const char *regular, const char *bold)
{
    HPDF_Doc pdf = HPDF_New(on_error, NULL);
    HPDF_Date date = {2001, 9, 9, 1, 46, 40, '+', 0, 0};
    struct fonts f;
    HPDF_Page page;

    if (pdf == NULL) {
        fprintf(stderr, "bare_brief: out of memory\n");
        exit(1);
    }
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    f.regular = HPDF_GetFont(pdf, HPDF_LoadTTFontFromFile(pdf, regular,
                                                          HPDF_TRUE),
                             "UTF-8");
    f.bold = bold == NULL ? f.regular :
        HPDF_GetFont(pdf, HPDF_LoadTTFontFromFile(pdf, bold, HPDF_TRUE),
                     "UTF-8");
    HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE,
                     "International Migration Policy Seminar");
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "bare_brief");
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
    page = HPDF_AddPage(pdf);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    draw(page, &f);
    HPDF_SaveToFile(pdf, out);
    HPDF_Free(pdf);
}

int
main(int argc, char **argv)
{
    struct stat st;
    double start, cpu_start;
    long n, i;

    if (argc < 4 || argc > 5 || (n = strtol(argv[1], NULL, 10)) < 1) {
        fprintf(stderr,
                "usage: bare_brief N OUT.pdf REGULAR.ttf [BOLD.ttf]\n");
        return 2;
    }
    /* One untimed document warms the page cache and the allocator. */
    one_document(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
    start = now_ms(CLOCK_MONOTONIC);
    cpu_start = now_ms(CLOCK_PROCESS_CPUTIME_ID);
    for (i = 0; i < n; i++)
        one_document(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
    if (stat(argv[2], &st) != 0) {
        perror(argv[2]);
        return 1;
    }
    printf("%.3f ms/doc %.3f cpu-ms/doc %lld bytes\n",
           (now_ms(CLOCK_MONOTONIC) - start) / n,
           (now_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu_start) / n,
           (long long)st.st_size);
    return 0;
}
