// SPDX-License-Identifier: GPL-2.0-only
/*
 * Wait queues (kernel/sched/wait.c): a list of sleepers under the queue's
 * lock; waking calls each entry's function, which wakes its task.
 */
#include <linux/wait.h>

void init_wait_entry(struct wait_queue_entry *wq_entry, int flags)
{
	wq_entry->flags = flags;
	wq_entry->private = current;
	wq_entry->func = autoremove_wake_function;
	INIT_LIST_HEAD(&wq_entry->entry);
}

void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	sim_rawlock_lock(&wq_head->lock);
	list_add(&wq_entry->entry, &wq_head->head);
	sim_rawlock_unlock(&wq_head->lock);
}

void add_wait_queue_exclusive(struct wait_queue_head *wq_head,
			      struct wait_queue_entry *wq_entry)
{
	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
	sim_rawlock_lock(&wq_head->lock);
	list_add_tail(&wq_entry->entry, &wq_head->head);
	sim_rawlock_unlock(&wq_head->lock);
}

void remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	sim_rawlock_lock(&wq_head->lock);
	list_del(&wq_entry->entry);
	sim_rawlock_unlock(&wq_head->lock);
}

/* Exclusive waiters queue at the tail, so non-exclusive ones wake first. */
static void queue_entry(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	if (list_empty(&wq_entry->entry)) {
		if (wq_entry->flags & WQ_FLAG_EXCLUSIVE)
			list_add_tail(&wq_entry->entry, &wq_head->head);
		else
			list_add(&wq_entry->entry, &wq_head->head);
	}
}

void prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
		     int state)
{
	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	sim_rawlock_lock(&wq_head->lock);
	queue_entry(wq_head, wq_entry);
	set_current_state(state);
	sim_rawlock_unlock(&wq_head->lock);
}

bool prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
			       struct wait_queue_entry *wq_entry, int state)
{
	bool was_empty;

	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
	sim_rawlock_lock(&wq_head->lock);
	was_empty = list_empty(&wq_head->head);
	queue_entry(wq_head, wq_entry);
	set_current_state(state);
	sim_rawlock_unlock(&wq_head->lock);
	return was_empty;
}

long prepare_to_wait_event(struct wait_queue_head *wq_head,
			   struct wait_queue_entry *wq_entry, int state)
{
	sim_rawlock_lock(&wq_head->lock);
	queue_entry(wq_head, wq_entry);
	set_current_state(state);
	sim_rawlock_unlock(&wq_head->lock);
	return 0;
}

void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	__set_current_state(TASK_RUNNING);
	if (!list_empty(&wq_entry->entry)) {
		sim_rawlock_lock(&wq_head->lock);
		list_del_init(&wq_entry->entry);
		sim_rawlock_unlock(&wq_head->lock);
	}
	current->blocked_on = NULL;
}

int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			  int flags, void *key)
{
	return wake_up_state(wq_entry->private, mode);
}

int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			     int flags, void *key)
{
	int ret = default_wake_function(wq_entry, mode, flags, key);

	if (ret)
		list_del_init(&wq_entry->entry);
	return ret;
}

void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive,
	       void *key)
{
	struct wait_queue_entry *curr, *next;

	sim_rawlock_lock(&wq_head->lock);
	list_for_each_entry_safe(curr, next, &wq_head->head, entry) {
		unsigned int flags = curr->flags;
		int ret = curr->func(curr, mode, 0, key);

		if (ret < 0)
			break;
		if (ret && (flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
	sim_rawlock_unlock(&wq_head->lock);
}
