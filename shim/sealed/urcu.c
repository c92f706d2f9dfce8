// SPDX-License-Identifier: GPL-2.0-only
/*
 * liburcu (memb flavor) behind plain functions, for the free-running
 * backend's RCU. Compiled without the shim's headers: liburcu's own names
 * (rcu_read_lock, list_head, ...) would collide with the kernel's.
 */
/*
 * _LGPL_SOURCE: liburcu's read-side fast paths inline here (its static
 * API), not calls into the shared library through the PLT. The reader's
 * TLS stays liburcu's: a program linked with the static libzswapsim (the
 * tests and benchmarks) reaches it initial-exec once the linker relaxes
 * the access; the shared library still goes through __tls_get_addr().
 */
#define _LGPL_SOURCE
#include <urcu/urcu-memb.h>

#include "../include/sim/sealed.h"

void zsim_urcu_register_thread(void)
{
	urcu_memb_register_thread();
}

void zsim_urcu_unregister_thread(void)
{
	urcu_memb_unregister_thread();
}

void zsim_urcu_read_lock(void)
{
	urcu_memb_read_lock();
}

void zsim_urcu_read_unlock(void)
{
	urcu_memb_read_unlock();
}

int zsim_urcu_read_ongoing(void)
{
	return urcu_memb_read_ongoing();
}

void zsim_urcu_synchronize(void)
{
	urcu_memb_synchronize_rcu();
}
