/*
 * testpoint: named points in a run where the end-to-end tests can stop
 * it, so that a test acts on what the run has done (a lock taken, a file
 * rendered, a publication about to happen) and never on a delay.
 *
 * Only the test builds have them (IOM_TEST_POINTS, which make check, make
 * sanitize and make test define): in the binary make, make run and make
 * install build, a point is nothing at all, and no environment reaches
 * one.
 *
 * With IOMREPORT_TEST_PAUSE=POINT and IOMREPORT_TEST_FIFO=PATH (a FIFO
 * the test made) in the environment, a run reaching POINT writes "POINT"
 * and a newline into the FIFO, which blocks until the test reads it, and
 * then waits until the test writes a line into it (or closes it without
 * writing).  A stop signal ends the wait.  PATH that is not a FIFO (a
 * plain file, a link) is left alone and the point does nothing.  Without
 * both variables the points cost a getenv() each and do nothing.
 */
#ifndef IOM_TESTPOINT_H
#define IOM_TESTPOINT_H

#ifdef IOM_TEST_POINTS
/* The point "NAME" or, with a 'detail', "NAME:DETAIL". */
void iom_testpoint(const char *name, const char *detail);
#else
static inline void
iom_testpoint(const char *name, const char *detail)
{
    (void)name;
    (void)detail;
}
#endif

#endif
