// SPDX-License-Identifier: MIT
/*
 * hello_daos: the smallest libdaos application. Asks the loaded module for
 * its ABI version through libdaos and prints it.
 *
 *   cc hello_daos.c $(pkg-config --cflags --libs libdaos) -o hello_daos
 *   cc -static hello_daos.c $(pkg-config --static --cflags --libs libdaos)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <daos.h>
#include <linux/daos.h>		/* DAOS_FEATURE_* */

int main(void)
{
	uint32_t major, minor;
	uint64_t features;
	int lib_major, lib_minor, lib_fix;
	int rc;

	daos_api_version(&lib_major, &lib_minor, &lib_fix);
	printf("libdaos %d.%d.%d (built against %d.%d)\n", lib_major, lib_minor, lib_fix,
	       DAOS_API_VERSION_MAJOR, DAOS_API_VERSION_MINOR);
	rc = daos_version(&major, &minor, &features);
	if (rc == -ENODEV) {
		fprintf(stderr, "hello_daos: the DAOS module is not loaded\n");
		return 1;
	}
	if (rc < 0) {
		fprintf(stderr, "hello_daos: daos_version: %s\n", strerror(-rc));
		return 1;
	}
	printf("DAOS module ABI %u.%u, features 0x%llx%s\n", major, minor,
	       (unsigned long long)features,
	       features & DAOS_FEATURE_EQ ? " (event queues)" : "");
	return 0;
}
