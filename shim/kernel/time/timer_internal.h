/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Between the timer base and its users inside the shim (delayed work).
 * Not a kernel API.
 */
#ifndef _SHIM_KERNEL_TIME_TIMER_INTERNAL_H
#define _SHIM_KERNEL_TIME_TIMER_INTERNAL_H

#include <linux/timer.h>
#include <linux/types.h>

/* Record the wall clock's offset at machine start (timers_init()). */
void timekeeping_init(void);

/*
 * Arm @timer at @expires without a scheduling point, so a caller may hold
 * a sim_rawlock. Returns true when the timer kthread must be woken with
 * timer_kick() once the caller's lock is dropped.
 */
bool __timer_arm(struct timer_list *timer, unsigned long expires);
/* Disarm @timer without a scheduling point; true if it was pending. */
bool __timer_detach(struct timer_list *timer);
void timer_kick(void);

#endif /* _SHIM_KERNEL_TIME_TIMER_INTERNAL_H */
