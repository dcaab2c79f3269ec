/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * daos/daos_api.h - the path 2014 DAOS programs include: the same API as
 * <daos.h>.
 */
#include <daos.h>
