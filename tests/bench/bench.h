/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the benchmarks share: the clock and the result rows that
 * scripts/bench.sh collects into build/bench/results.tsv.
 */
#ifndef DAOS_BENCH_H
#define DAOS_BENCH_H

#include <stdio.h>
#include <time.h>

static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * One result: a row of the printed table, and the same numbers as a
 * tab-separated line "@@DAOS result NAME VALUE UNIT TARGET MET". `cmp`
 * ("<=" or ">=") and `target` give the row's target, or `cmp` is NULL for
 * none.
 */
static inline void row(const char *name, double value, const char *unit, const char *cmp, double target)
{
	char goal[32] = "-";
	const char *met = "-";

	if (cmp) {
		int ok = cmp[0] == '>' ? value >= target : value <= target;

		snprintf(goal, sizeof(goal), "%s %.2f", cmp, target);
		met = ok ? "yes" : "no";
	}
	printf("%-44s %10.2f %-6s %s%s%s\n", name, value, unit, cmp ? "(target " : "", cmp ? goal : "",
	       cmp ? (met[0] == 'y' ? ": met)" : ": NOT MET)") : "");
	printf("@@DAOS result\t%s\t%.2f\t%s\t%s\t%s\n", name, value, unit, goal, met);
}

#endif /* DAOS_BENCH_H */
