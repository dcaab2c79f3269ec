// SPDX-License-Identifier: MIT
/*
 * hello_daos: the smallest libdaos application. Asks the loaded module for
 * its ABI version through libdaos and prints it.
 *
 *   cc hello_daos.c $(pkg-config --cflags --libs libdaos) -o hello_daos
 */
#include <stdio.h>
#include <string.h>

#include <daos.h>

int main(void)
{
	uint32_t major, minor;
	uint64_t features;
	int rc;

	rc = daos_version(&major, &minor, &features);
	if (rc < 0) {
		fprintf(stderr, "daos_version: %s\n", strerror(-rc));
		return 1;
	}
	printf("DAOS module ABI %u.%u, features 0x%llx\n", major, minor,
	       (unsigned long long)features);
	return 0;
}
