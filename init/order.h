/* The services' "after =" graph: resolves names to indices, finds unknown
 * names and cycles, and marks everything that depends on a bad service.
 * Pure; the supervisor then starts a service once all its deps are ready. */
#ifndef KEEL_INIT_ORDER_H
#define KEEL_INIT_ORDER_H

#include <stddef.h>
#include <stdint.h>

#include "service_conf.h"

enum order_status {
	ORDER_OK,
	ORDER_BAD,     /* set by the caller: the bundle itself is broken */
	ORDER_UNKNOWN, /* names a service that does not exist */
	ORDER_CYCLE,   /* part of an after= cycle */
	ORDER_BLOCKED, /* comes after a service that cannot start */
};

struct order_node {
	const char *name;
	const struct service_conf *conf; /* after[] and n_after */
	enum order_status status;	 /* in: OK or BAD; out: final */
	int dep[SERVICE_AFTER_MAX];	 /* out: index per after[] name, -1 unknown */
	char why[160];			 /* out: the reason when status != OK */
};

/* Resolves every node; never fails. */
void order_resolve(struct order_node *nodes, size_t n);

const char *order_status_name(enum order_status s);

/* After order_resolve: the longest sum of cost[] along a chain of OK nodes
 * linked by after/needs, i.e. the worst-case time of a shutdown that stops
 * each node only once its dependents are down (cost[i]: node i's own worst
 * stop time). 0 when out of memory. */
uint64_t order_stop_chain_ms(const struct order_node *nodes, size_t n, const uint64_t *cost);

#endif
