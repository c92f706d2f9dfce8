// SPDX-License-Identifier: GPL-2.0-only
/*
 * Swap I/O (the kernel's mm/page_io.c) on the simulated medium of a swap
 * device, and the medium itself.
 *
 * The medium is either host memory (a private anonymous mapping of max
 * pages, reserved lazily by the host, outside the simulated RAM as a
 * disk's blocks are) or a host file given at swapon, read and written
 * with pread()/pwrite() at offset * PAGE_SIZE. Neither is kernel memory:
 * the leak checks do not see it, and it is released at swapoff (or at
 * machine stop).
 *
 * There is no block layer: the transfer happens in the call, followed by
 * the modelled device time, read_ns or write_ns per page. In the
 * controlled backend that time is charged to the virtual clock (as
 * udelay()); in the free-running backend the task sleeps on the host for
 * it after giving up its virtual CPU, as a task waiting for I/O does.
 *
 * Fault-injection sites "swap_read" and "swap_write" fail a transfer as a
 * device error (-EIO) would.
 *
 * Reclaim writes through swap_writeout() and swap-in reads through
 * swap_read_folio(), which put the swap core's zero map (si->zeromap, one
 * bit per slot whose page is all zeroes) and zswap in front of the
 * device, as the kernel does since 6.12. PSWPIN and PSWPOUT count device
 * transfers only (globally and for the folio's memcg).
 */
#include <linux/bitops.h>
#include <linux/fault-inject.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/printk.h>
#include <linux/swap.h>
#include <linux/time64.h>
#include <linux/vmstat.h>
#include <linux/zswap.h>
#include <sim/sched.h>
#include <sim/swap_probe.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "swap.h"

static DEFINE_FAULT_SITE(swap_read_fault, "swap_read");
static DEFINE_FAULT_SITE(swap_write_fault, "swap_write");

static int swap_file_open(struct swap_info_struct *si, const char *path, off_t len)
{
	struct stat st;
	int fd, err;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = -errno;
		pr_err("swapon: %s: %s\n", path, strerror(-err));
		return err;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
		goto fail;
	}
	if (swap_file_in_use(&st)) {
		err = -EBUSY;
		goto fail;
	}
	if (st.st_size < len && ftruncate(fd, len)) {
		err = -errno;
		goto fail;
	}
	si->swap_fd = fd;
	return 0;
fail:
	pr_err("swapon: %s: %s\n", path, err == -EINVAL ? "not a regular file" : strerror(-err));
	close(fd);
	return err;
}

int swap_medium_open(struct swap_info_struct *si, const char *path)
{
	size_t len = (size_t)si->max << PAGE_SHIFT;
	void *mem;

	if (path)
		return swap_file_open(si, path, (off_t)len);
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED) {
		pr_err("swapon: cannot map %zu bytes for the device: %s\n", len, strerror(errno));
		return -ENOMEM;
	}
	si->swap_mem = mem;
	return 0;
}

void swap_medium_close(struct swap_info_struct *si)
{
	if (si->swap_mem)
		munmap(si->swap_mem, (size_t)si->max << PAGE_SHIFT);
	if (si->swap_fd >= 0)
		close(si->swap_fd);
	si->swap_mem = NULL;
	si->swap_fd = -1;
}

/* Move @len bytes between @buf and the medium from slot @offset on. */
static int swap_medium_rw(struct swap_info_struct *si, pgoff_t offset, void *buf,
			  size_t len, bool write)
{
	off_t pos = (off_t)offset << PAGE_SHIFT;
	size_t done = 0;
	ssize_t ret;

	if (si->swap_mem) {
		char *slot = (char *)si->swap_mem + pos;

		if (write)
			memcpy(slot, buf, len);
		else
			memcpy(buf, slot, len);
		return 0;
	}
	while (done < len) {
		if (write)
			ret = pwrite(si->swap_fd, (char *)buf + done, len - done, pos + done);
		else
			ret = pread(si->swap_fd, (char *)buf + done, len - done, pos + done);
		if (ret < 0 && errno == EINTR)
			continue;
		/* 0: the file was cut short behind the device's back. */
		if (ret <= 0)
			return -EIO;
		done += ret;
	}
	return 0;
}

/* Spend @ns of device time (see the top of this file). */
static void swap_device_time(u64 ns)
{
	struct timespec ts = {
		.tv_sec = ns / NSEC_PER_SEC,
		.tv_nsec = ns % NSEC_PER_SEC,
	};

	if (!ns)
		return;
	if (sim_controlled()) {
		sched_charge_ns(ns);
		return;
	}
	sched_blocking_begin();
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	sched_blocking_end();
}

/* Every word of every page of @folio is zero (is_folio_zero_filled()). */
static bool is_folio_zero_filled(struct folio *folio)
{
	unsigned int pos, last = PAGE_SIZE / sizeof(unsigned long) - 1;
	unsigned long *data;
	long i;

	for (i = 0; i < folio_nr_pages(folio); i++) {
		data = kmap_local_folio(folio, i * PAGE_SIZE);
		/* The last word first: most pages that are not zero fail here. */
		if (data[last]) {
			kunmap_local(data);
			return false;
		}
		for (pos = 0; pos < last; pos++) {
			if (data[pos]) {
				kunmap_local(data);
				return false;
			}
		}
		kunmap_local(data);
	}
	return true;
}

static void swap_zeromap_folio_set(struct folio *folio)
{
	struct swap_info_struct *si = __swap_entry_to_info(folio->swap);
	pgoff_t offset = swp_offset(folio->swap);
	long i, nr = folio_nr_pages(folio);

	for (i = 0; i < nr; i++)
		set_bit(offset + i, si->zeromap);
	count_vm_events(SWPOUT_ZERO, nr);
	count_memcg_folio_events(folio, SWPOUT_ZERO, nr);
}

static void swap_zeromap_folio_clear(struct folio *folio)
{
	struct swap_info_struct *si = __swap_entry_to_info(folio->swap);
	pgoff_t offset = swp_offset(folio->swap);
	long i;

	for (i = 0; i < folio_nr_pages(folio); i++)
		clear_bit(offset + i, si->zeromap);
}

/* Slots from @offset of the @nr that are in the zero map. */
static long swap_zeromap_count(struct swap_info_struct *si, pgoff_t offset, long nr)
{
	long i, zero = 0;

	for (i = 0; i < nr; i++)
		zero += test_bit(offset + i, si->zeromap);
	return zero;
}

static const struct sim_swap_probe_ops *swap_probe;

void sim_swap_probe_register(const struct sim_swap_probe_ops *ops)
{
	WRITE_ONCE(swap_probe, ops);
}

/* zswap_store() with the probe around it (<sim/swap_probe.h>). */
static bool zswap_store_probed(struct folio *folio)
{
	const struct sim_swap_probe_ops *probe = READ_ONCE(swap_probe);
	long nr = folio_nr_pages(folio);
	u64 t0;
	bool ret;

	if (!probe || !probe->zswap_store)
		return zswap_store(folio);
	t0 = sched_task_clock_ns(current);
	ret = zswap_store(folio);
	probe->zswap_store(nr, sched_task_clock_ns(current) - t0, ret);
	return ret;
}

/* zswap_load() with the probe around it. */
static int zswap_load_probed(struct folio *folio)
{
	const struct sim_swap_probe_ops *probe = READ_ONCE(swap_probe);
	long nr = folio_nr_pages(folio);
	u64 t0;
	int ret;

	if (!probe || !probe->zswap_load)
		return zswap_load(folio);
	t0 = sched_task_clock_ns(current);
	ret = zswap_load(folio);
	probe->zswap_load(nr, sched_task_clock_ns(current) - t0, ret);
	return ret;
}

int swap_writeout(struct folio *folio, struct swap_iocb **swap_plug)
{
	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
	VM_BUG_ON_FOLIO(!folio_test_swapcache(folio), folio);

	/* Unmapped meanwhile: the slots are not needed, nothing to write. */
	if (folio_free_swap(folio))
		goto out_unlock;
	/*
	 * A zero-filled folio needs no I/O and no zswap entry: the bits say
	 * what a swap-in must produce.
	 */
	if (is_folio_zero_filled(folio)) {
		swap_zeromap_folio_set(folio);
		goto out_unlock;
	}
	/* Slots reused from a zero-filled folio must not read back as zeroes. */
	swap_zeromap_folio_clear(folio);
	if (zswap_store_probed(folio))
		goto out_unlock;
	/*
	 * Rejected by zswap, and the memcg keeps its pages off the device:
	 * reclaim must keep the folio (with zswap disabled, every memcg may
	 * write to the device).
	 */
	if (!mem_cgroup_zswap_writeback_enabled(folio_memcg(folio))) {
		folio_mark_dirty(folio);
		return AOP_WRITEPAGE_ACTIVATE;
	}
	__swap_writepage(folio, swap_plug);
	return 0;
out_unlock:
	folio_unlock(folio);
	return 0;
}

/*
 * Serve @folio from the zero map: false if none of its slots is there;
 * true otherwise, with the folio zeroed and uptodate if all are (a folio
 * only partly in the map is left not uptodate: an I/O error, as in the
 * kernel, which never swaps such a range in as one folio).
 */
static bool swap_read_folio_zeromap(struct folio *folio)
{
	struct swap_info_struct *si = __swap_entry_to_info(folio->swap);
	long nr = folio_nr_pages(folio);
	long zero = swap_zeromap_count(si, swp_offset(folio->swap), nr);

	if (!zero)
		return false;
	if (WARN_ON_ONCE(zero != nr))
		return true;
	folio_zero_range(folio, 0, folio_size(folio));
	count_vm_events(SWPIN_ZERO, nr);
	count_memcg_folio_events(folio, SWPIN_ZERO, nr);
	folio_mark_uptodate(folio);
	return true;
}

void swap_read_folio(struct folio *folio, struct swap_iocb **plug)
{
	struct swap_info_struct *si = __swap_entry_to_info(folio->swap);
	pgoff_t offset = swp_offset(folio->swap);
	int err;

	VM_BUG_ON_FOLIO(!folio_test_swapcache(folio), folio);
	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
	VM_BUG_ON_FOLIO(folio_test_uptodate(folio), folio);
	might_sleep();

	if (swap_read_folio_zeromap(folio)) {
		folio_unlock(folio);
		return;
	}
	/*
	 * Unless zswap has no copy (-ENOENT), the folio was served (or
	 * failed) from zswap, which unlocked it; the device is not read.
	 */
	if (zswap_load_probed(folio) != -ENOENT)
		return;
	/* From the slower device: zswap's shrinker protects one more entry. */
	zswap_folio_swapin(folio);
	count_vm_events(PSWPIN, folio_nr_pages(folio));
	count_memcg_folio_events(folio, PSWPIN, folio_nr_pages(folio));
	if (should_fail_site(&swap_read_fault))
		err = -EIO;
	else
		err = swap_medium_rw(si, offset, folio_address(folio), folio_size(folio), false);
	swap_device_time(folio_nr_pages(folio) * si->read_ns);
	if (err)
		pr_alert("Read-error on swap-device (%d:%lu)\n", si->type, offset);
	else
		folio_mark_uptodate(folio);
	folio_unlock(folio);
}

void __swap_writepage(struct folio *folio, struct swap_iocb **swap_plug)
{
	struct swap_info_struct *si = __swap_entry_to_info(folio->swap);
	pgoff_t offset = swp_offset(folio->swap);
	int err;

	VM_BUG_ON_FOLIO(!folio_test_swapcache(folio), folio);
	might_sleep();

	folio_start_writeback(folio);
	folio_unlock(folio);
	/* count_swpout_vm_event(): at submission, as the block layer path. */
	count_vm_events(PSWPOUT, folio_nr_pages(folio));
	count_memcg_folio_events(folio, PSWPOUT, folio_nr_pages(folio));
	if (should_fail_site(&swap_write_fault))
		err = -EIO;
	else
		err = swap_medium_rw(si, offset, folio_address(folio), folio_size(folio), true);
	swap_device_time(folio_nr_pages(folio) * si->write_ns);
	if (err) {
		/*
		 * As end_swap_bio_write(): the page stays dirty so that it
		 * is written again, and is not rotated for reclaim.
		 */
		folio_mark_dirty(folio);
		pr_alert("Write-error on swap-device (%d:%lu)\n", si->type, offset);
		folio_clear_reclaim(folio);
	}
	folio_end_writeback(folio);
}
