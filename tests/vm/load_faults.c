// SPDX-License-Identifier: GPL-2.0
/*
 * load_faults MODULE.ko: loads the module with its N-th allocation failing,
 * for N = 1, 2, ... until a load succeeds without reaching an N-th
 * allocation. Only allocations made under the module's own code count
 * (failslab's stack filter: a frame above the kernel image, where modules
 * live), so the walk covers the module's init, every step of it, and not
 * the kernel's generic module loading.
 *
 * Every failed load must fail with -ENOMEM and leave nothing behind: no
 * module, no /dev/daos; make check's kmemleak scan then checks the memory.
 * Exits 0 on success, 1 on a failed check.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "daos_selftest.h"

#define FAILSLAB "/sys/kernel/debug/failslab"
#define KUNIT_FILTER "/sys/module/kunit/parameters/filter_glob"

/* The address of kernel symbol `name`, or 0. */
static unsigned long symbol(const char *name)
{
	char line[256], sym[128], type;
	unsigned long addr, found = 0;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx %c %127s", &addr, &type, sym) == 3 && !strcmp(sym, name))
			found = addr;
	fclose(f);
	return found;
}

/* Sets this thread's fail-nth, or reads what is left of it. */
static int fail_nth(int set)
{
	char buf[32];
	int fd = open("/proc/thread-self/fail-nth", O_RDWR), n = -1;

	if (fd < 0)
		return -1;
	if (set >= 0) {
		snprintf(buf, sizeof(buf), "%d", set);
		n = write(fd, buf, strlen(buf)) > 0 ? 0 : -1;
	} else {
		ssize_t len = read(fd, buf, sizeof(buf) - 1);

		if (len > 0) {
			buf[len] = 0;
			n = atoi(buf);
		}
	}
	close(fd);
	return n;
}

static int gone(void)
{
	struct stat st;

	return stat("/dev/daos", &st) && stat("/sys/module/daos", &st);
}

int main(int argc, char **argv)
{
	unsigned long text_end = symbol("_etext");
	int fd, n, failed = 0, tolerated = 0;
	char start[32];

	if (argc != 2 || !text_end) {
		fprintf(stderr, "usage: load_faults MODULE.ko (needs /proc/kallsyms)\n");
		return 1;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	snprintf(start, sizeof(start), "%#lx", text_end);
	if (failslab_knob("ignore-gfp-wait", "N") || failslab_knob("verbose", "0") ||
	    failslab_knob("require-start", start) || failslab_knob("require-end", "0xffffffffffffffff")) {
		perror(FAILSLAB);
		return 1;
	}
	/*
	 * The loads that absorb a failure succeed: keep KUnit from running the
	 * module's suites each time (a glob no suite matches).
	 */
	write_str(KUNIT_FILTER, "load_faults_runs_no_suite");
	for (n = 1; n < 10000; n++) {
		int rc, err, left;

		if (fail_nth(n)) {
			perror("fail-nth");
			return 1;
		}
		rc = syscall(SYS_finit_module, fd, "", 0);
		err = errno;
		left = fail_nth(-1);
		fail_nth(0);
		if (rc == 0) {
			if (syscall(SYS_delete_module, "daos", O_NONBLOCK)) {
				perror("delete_module");
				return 1;
			}
			if (left > 0) {
				printf("%d loads failed, one per allocation of the module's, "
				       "%d failures were absorbed; then it loaded\n", failed, tolerated);
				break;
			}
			tolerated++;
			continue;
		}
		if (left > 0) {
			fprintf(stderr, "load %d failed with no failure injected: %s\n", n, strerror(err));
			return 1;
		}
		failed++;
		if (err != ENOMEM) {
			fprintf(stderr, "load %d failed with %s, not ENOMEM\n", n, strerror(err));
			return 1;
		}
		if (!gone()) {
			fprintf(stderr, "load %d failed but left the module or /dev/daos behind\n", n);
			return 1;
		}
	}
	failslab_knob("require-start", "0");
	failslab_knob("require-end", "0xffffffffffffffff");
	write_str(KUNIT_FILTER, "*.*");
	if (n == 10000 || failed == 0) {
		fprintf(stderr, "no allocation of the module's was failed\n");
		return 1;
	}
	return 0;
}
