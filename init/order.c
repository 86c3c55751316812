/* after= graph: a depth-first search with three colours finds cycles (a
 * back edge to a grey node); every node on the stack from that node up is in
 * the cycle. Blocked status then spreads to dependents until nothing changes. */
#include "order.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum colour { WHITE, GREY, BLACK };

static const char *const status_names[] = {
    [ORDER_OK] = "ok",	     [ORDER_BAD] = "bad bundle",  [ORDER_UNKNOWN] = "unknown dependency",
    [ORDER_CYCLE] = "cycle", [ORDER_BLOCKED] = "blocked",
};

const char *order_status_name(enum order_status s)
{
	return status_names[s];
}

static int find(const struct order_node *nodes, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(nodes[i].name, name))
			return (int)i;
	return -1;
}

static void resolve_names(struct order_node *nodes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct order_node *nd = &nodes[i];

		for (unsigned k = 0; k < nd->conf->n_after; k++) {
			nd->dep[k] = find(nodes, n, nd->conf->after[k]);
			if (nd->dep[k] < 0 && nd->status == ORDER_OK) {
				nd->status = ORDER_UNKNOWN;
				snprintf(nd->why, sizeof(nd->why), "after '%s': no such service",
					 nd->conf->after[k]);
			}
		}
	}
}

/* Marks the cycle stack[from..depth-1] and writes "a -> b -> a" into each. */
static void mark_cycle(struct order_node *nodes, const int *stack, size_t from, size_t depth)
{
	char path[sizeof(nodes[0].why)];
	int len = snprintf(path, sizeof(path), "after cycle:");

	for (size_t s = from; s <= depth && len < (int)sizeof(path); s++)
		len += snprintf(path + len, sizeof(path) - (size_t)len, " %s%s",
				nodes[stack[s == depth ? from : s]].name, s == depth ? "" : " ->");
	for (size_t s = from; s < depth; s++) {
		nodes[stack[s]].status = ORDER_CYCLE;
		memcpy(nodes[stack[s]].why, path, sizeof(path));
	}
}

static void visit(struct order_node *nodes, enum colour *col, int *stack, size_t depth, int i)
{
	const struct order_node *nd = &nodes[i];

	col[i] = GREY;
	stack[depth] = i;
	for (unsigned k = 0; k < nd->conf->n_after; k++) {
		int d = nd->dep[k];

		if (d < 0)
			continue;
		if (col[d] == WHITE) {
			visit(nodes, col, stack, depth + 1, d);
		} else if (col[d] == GREY) {
			size_t from = depth;
			while (stack[from] != d)
				from--;
			mark_cycle(nodes, stack, from, depth + 1);
		}
	}
	col[i] = BLACK;
}

static void spread_blocked(struct order_node *nodes, size_t n)
{
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t i = 0; i < n; i++) {
			struct order_node *nd = &nodes[i];

			for (unsigned k = 0; k < nd->conf->n_after && nd->status == ORDER_OK; k++) {
				int d = nd->dep[k];
				if (d < 0 || nodes[d].status == ORDER_OK)
					continue;
				nd->status = ORDER_BLOCKED;
				snprintf(nd->why, sizeof(nd->why),
					 "after '%s', which cannot start (%s)", nodes[d].name,
					 status_names[nodes[d].status]);
				changed = 1;
			}
		}
	}
}

void order_resolve(struct order_node *nodes, size_t n)
{
	enum colour *col = calloc(n ? n : 1, sizeof(*col));
	int *stack = calloc(n + 1, sizeof(*stack));

	resolve_names(nodes, n);
	if (!col || !stack) {
		/* Out of memory in PID 1: refuse to order rather than guess. */
		for (size_t i = 0; i < n; i++)
			if (nodes[i].status == ORDER_OK && nodes[i].conf->n_after) {
				nodes[i].status = ORDER_BLOCKED;
				snprintf(nodes[i].why, sizeof(nodes[i].why), "out of memory");
			}
	} else {
		for (size_t i = 0; i < n; i++)
			if (col[i] == WHITE)
				visit(nodes, col, stack, 0, (int)i);
		spread_blocked(nodes, n);
	}
	free(col);
	free(stack);
}

/* Longest "stop chain" ending at i: i stops only after everything that
 * comes after it (its dependents) is down. memo[i] < 0: not computed. */
static int64_t chain_from(const struct order_node *nodes, size_t n, const uint64_t *cost,
			  int64_t *memo, size_t i)
{
	int64_t longest = 0;

	if (memo[i] >= 0)
		return memo[i];
	memo[i] = 0; /* a cycle (not OK nodes only) cannot recurse forever */
	for (size_t j = 0; j < n; j++) {
		if (nodes[j].status != ORDER_OK)
			continue;
		for (unsigned k = 0; k < nodes[j].conf->n_after; k++)
			if (nodes[j].dep[k] == (int)i) {
				int64_t c = chain_from(nodes, n, cost, memo, j);
				longest = c > longest ? c : longest;
				break;
			}
	}
	memo[i] = (int64_t)cost[i] + longest;
	return memo[i];
}

uint64_t order_stop_chain_ms(const struct order_node *nodes, size_t n, const uint64_t *cost)
{
	int64_t *memo = malloc((n ? n : 1) * sizeof(*memo));
	uint64_t worst = 0;

	if (!memo)
		return 0;
	for (size_t i = 0; i < n; i++)
		memo[i] = -1;
	for (size_t i = 0; i < n; i++)
		if (nodes[i].status == ORDER_OK) {
			uint64_t c = (uint64_t)chain_from(nodes, n, cost, memo, i);
			worst = c > worst ? c : worst;
		}
	free(memo);
	return worst;
}
