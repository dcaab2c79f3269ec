/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the selftests: raw ioctls, the clock, random numbers,
 * a signal ticker, and the module's parameters and counters in sysfs and
 * debugfs.
 */
#ifndef DAOS_SELFTEST_H
#define DAOS_SELFTEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* ioctl()'s result (0 or a count), or -errno. */
static inline int ioc(int fd, unsigned long cmd, void *arg)
{
	int rc = ioctl(fd, cmd, arg);

	return rc < 0 ? -errno : rc;
}

/* xorshift64: the fuzz tests' random numbers, reproducible from a seed. */
static inline uint64_t xorshift(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static inline void on_tick(int sig)
{
	(void)sig;
}

/*
 * A SIGALRM every 5 ms, without SA_RESTART, when @on: it interrupts the
 * blocking calls (untimed polls and waits, long synchronous requests).
 */
static inline void ticker(int on)
{
	struct sigaction sa = { .sa_handler = on_tick };
	struct itimerval it = { { 0, on ? 5000 : 0 }, { 0, on ? 5000 : 0 } };

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

/* The monotonic clock in microseconds. */
static inline uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

/* The number at the start of file `path`, or -1. */
static inline long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* Writes `value` to file `path`: 0 or -errno. */
static inline int write_str(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = write(fd, value, strlen(value)) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

#define DAOS_PARAM "/sys/module/daos/parameters/"

/* Sets failslab's debugfs knob `name`: 0 or -errno. */
static inline int failslab_knob(const char *name, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/debug/failslab/%s", name);
	return write_str(path, value);
}

/* Operations running in the module (debugfs), or -1. */
static inline long daos_operations(void)
{
	return read_long("/sys/kernel/debug/daos/operations");
}

#ifdef DAOS_IOC_EQ_CREATE
/* Opens /dev/daos and creates an EQ on it: the descriptor (or -errno), with
 * the EQ's handle in `eqh`. */
static inline int open_with_eq(__u64 *eqh)
{
	struct daos_ioc_eq_create c = { 0 };
	int fd = open("/dev/daos", O_RDWR | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = ioc(fd, DAOS_IOC_EQ_CREATE, &c);
	if (rc) {
		close(fd);
		return rc;
	}
	*eqh = c.eqh;
	return fd;
}
#endif

#endif /* DAOS_SELFTEST_H */
