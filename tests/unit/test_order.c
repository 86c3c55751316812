/* after= graph: unknown names, cycles (incl. self), blocked dependents, and
 * that unrelated services stay startable. */
#include "../../init/order.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>

#define MAXN 8

struct graph {
	struct service_conf conf[MAXN];
	struct order_node node[MAXN];
	char name[MAXN][SERVICE_NAME_MAX];
	size_t n;
};

/* spec: "name:dep,dep name2: ..." */
static void build(struct graph *g, const char *const *spec, size_t n)
{
	memset(g, 0, sizeof(*g));
	g->n = n;
	for (size_t i = 0; i < n; i++) {
		char buf[256], *colon;

		snprintf(buf, sizeof(buf), "%s", spec[i]);
		colon = strchr(buf, ':');
		*colon = '\0';
		service_conf_defaults(&g->conf[i]);
		for (char *d = strtok(colon + 1, ","); d; d = strtok(NULL, ","))
			snprintf(g->conf[i].after[g->conf[i].n_after++], SERVICE_NAME_MAX, "%s", d);
		snprintf(g->name[i], SERVICE_NAME_MAX, "%s", buf);
		g->node[i].name = g->name[i];
		g->node[i].conf = &g->conf[i];
	}
}

static void check_chain(void)
{
	static const char *const spec[] = {"web:db,log", "db:log", "log:"};
	struct graph g;

	build(&g, spec, 3);
	order_resolve(g.node, g.n);
	CHECK(g.node[0].status == ORDER_OK && g.node[1].status == ORDER_OK &&
		  g.node[2].status == ORDER_OK,
	      "a chain resolves");
	CHECK(g.node[0].dep[0] == 1 && g.node[0].dep[1] == 2 && g.node[1].dep[0] == 2,
	      "names resolve to indices");
}

static void check_bad(void)
{
	static const char *const spec[] = {"a:b", "b:c",     "c:a", "d:a",
					   "e:",  "f:ghost", "g:g", "h:e"};
	struct graph g;

	build(&g, spec, 8);
	order_resolve(g.node, g.n);
	CHECK(g.node[0].status == ORDER_CYCLE && g.node[1].status == ORDER_CYCLE &&
		  g.node[2].status == ORDER_CYCLE,
	      "a -> b -> c -> a are all in the cycle");
	CHECK(strstr(g.node[0].why, "a -> b -> c -> a") != NULL, "the cycle is named: %s",
	      g.node[0].why);
	CHECK(g.node[3].status == ORDER_BLOCKED && strstr(g.node[3].why, "after 'a'"),
	      "d after a is blocked: %s", g.node[3].why);
	CHECK(g.node[4].status == ORDER_OK && g.node[7].status == ORDER_OK,
	      "e and h (after e) are unaffected");
	CHECK(g.node[5].status == ORDER_UNKNOWN && strstr(g.node[5].why, "'ghost': no such"),
	      "unknown name: %s", g.node[5].why);
	CHECK(g.node[6].status == ORDER_CYCLE && strstr(g.node[6].why, "g -> g"), "self cycle: %s",
	      g.node[6].why);
}

static void check_bad_bundle(void)
{
	static const char *const spec[] = {"x:", "y:x", "z:y"};
	struct graph g;

	build(&g, spec, 3);
	g.node[0].status = ORDER_BAD;
	order_resolve(g.node, g.n);
	CHECK(g.node[1].status == ORDER_BLOCKED && g.node[2].status == ORDER_BLOCKED,
	      "a broken bundle blocks its transitive dependents");
}

/* Shutdown worst case: the longest chain of stop costs, not their sum, and
 * not just the largest one. */
static void check_stop_chain(void)
{
	static const char *const spec[] = {"web:db,log", "db:log", "log:", "solo:", "c:a", "a:c"};
	static const uint64_t cost[] = {100, 2000, 30, 5000, 99999, 99999};
	struct graph g;

	build(&g, spec, 6);
	order_resolve(g.node, g.n);
	CHECK(order_stop_chain_ms(g.node, g.n, cost) == 5000,
	      "an independent slow service (5000) outweighs web→db→log (2130); cycles ignored");
	g.node[3].status = ORDER_BAD;
	CHECK(order_stop_chain_ms(g.node, 4, cost) == 2130,
	      "chain web (100) + db (2000) + log (30): each its own stop time, in order");
}

int main(void)
{
	check_chain();
	check_stop_chain();
	check_bad();
	check_bad_bundle();
	return TAP_DONE();
}
