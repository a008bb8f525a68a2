/*
 * failsync: fsync(2) and syncfs(2) of the unit tests, wrapped at link
 * time (the Makefile's SYNC_WRAP), so that a test can make the Nth call
 * fail with an errno of its choosing, as a disk that lost writes does.
 */
#ifndef IOM_TEST_FAILSYNC_H
#define IOM_TEST_FAILSYNC_H

/* From now on, the 'nth' (1: the next) call of fsync fails with 'err';
 * 0 makes every call real again.  Each failure is once. */
void failsync_fsync(unsigned nth, int err);
/* The same for syncfs. */
void failsync_syncfs(unsigned nth, int err);

#endif
