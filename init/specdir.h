/* The spec directory (specdir.c): its bundles as service slots, read at
 * boot and again by keelctl rescan. */
#ifndef KEEL_INIT_SPECDIR_H
#define KEEL_INIT_SPECDIR_H

#include "service.h"

#include <stddef.h>

/* specdir.c: scans SPECDIR/{onboot,services,onshutdown}; a bad bundle is
 * returned broken with its error. 0 or -errno (only for a fatal failure). */
int specdir_scan(const char *specdir, struct service **out, size_t *n);
/* keelctl rescan: compares the spec dir with arr[0..*n): marks RS_REMOVED
 * and RS_CHANGED entries, and adds new bundles as RS_ADDED (into the gone
 * slot of the same name, keeping its log, else at the end; at most
 * SPECDIR_MAX_BUNDLES slots). 0 or -errno. */
int specdir_rescan(const char *specdir, struct service *arr, size_t *n);
/* Re-reads a changed bundle (service.conf, checks, stamps) in place. */
void specdir_reload(struct service *s);

#endif
