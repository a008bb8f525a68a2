/*
 * testpoint: named points in a run where the end-to-end tests can stop
 * it, so that a test acts on what the run has done (a lock taken, a file
 * rendered, a publication about to happen) and never on a delay.
 *
 * With IOMREPORT_TEST_PAUSE=POINT and IOMREPORT_TEST_FIFO=PATH (a FIFO
 * the test made) in the environment, a run reaching POINT writes "POINT"
 * and a newline into the FIFO, which blocks until the test reads it, and
 * then waits until the test writes a line into it (or closes it without
 * writing).  A stop signal ends the wait.  Without both variables the
 * points cost a getenv() each and do nothing.
 */
#ifndef IOM_TESTPOINT_H
#define IOM_TESTPOINT_H

/* The point "NAME" or, with a 'detail', "NAME:DETAIL". */
void iom_testpoint(const char *name, const char *detail);

#endif
