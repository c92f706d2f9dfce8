// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated processes for the simulation-control API (<zswapsim.h>): the
 * mmap(), munmap(), memory accesses and madvise(MADV_PAGEOUT) of a
 * process whose anonymous memory the VM (this directory) manages. Each
 * call runs as a simulated task (on the first online CPU when made from
 * outside the machine) with current->mm the process's, as the process's
 * own system calls and faults would; a test that wants several processes
 * at once calls them from tasks of its own (zsim_spawn()).
 *
 * A process is an mm_struct charged to one memcg; a region is a
 * vm_area_struct (see internal.h).
 */
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/list.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <sim/cgroup.h>
#include <sim/memcg.h>
#include <sim/rawlock.h>
#include <zswapsim.h>

#include "internal.h"

/* The largest folio a region may use: a PMD (2 MiB). */
#define HPAGE_PMD_ORDER		9

struct zsim_process {
	struct mm_struct mm;
	struct list_head node;		/* on vm_procs */
};

/*
 * The machine's live processes (their regions are on their mm's vmas):
 * a handle is found here by its address alone, so a destroyed, unmapped
 * or earlier machine's one is refused without being read. The lock is
 * the simulator's, not the kernel's: a host lock with no scheduling point
 * (innermost, inside mm->lock, which writers of the vmas also hold), so
 * the checks leave controlled schedules as they were.
 */
static struct sim_rawlock vm_procs_lock = SIM_RAWLOCK_INIT;
static LIST_HEAD(vm_procs);

/* Each machine starts with none; an earlier machine's were freed with it. */
static int __init vm_procs_init(void)
{
	INIT_LIST_HEAD(&vm_procs);
	return 0;
}
core_initcall(vm_procs_init);

/* The region is the vma itself: zap_vma() frees it as one. */
struct zsim_region {
	struct vm_area_struct vma;
};
static_assert(offsetof(struct zsim_region, vma) == 0, "a region is its vma");

struct vm_req {
	int (*fn)(void *req);
	const char *call;		/* for the stale handle message */
	bool unlink;			/* take the process off vm_procs when found */
	const char *path;
	struct zsim_process *proc;
	struct zsim_region *region;
	unsigned long first, nr;
	unsigned int order;
	u64 seed;
	bool write;
	bool pageout;			/* madvise: MADV_PAGEOUT, else MADV_COLD */
	long result;
};

/* Under vm_procs_lock. */
static bool vm_proc_live(struct zsim_process *proc)
{
	struct zsim_process *p;

	list_for_each_entry(p, &vm_procs, node)
		if (p == proc)
			return true;
	return false;
}

/* Under vm_procs_lock: the mm of the live process that maps @region, or NULL. */
static struct mm_struct *vm_region_mm(struct zsim_region *region)
{
	struct vm_area_struct *vma;
	struct zsim_process *p;

	list_for_each_entry(p, &vm_procs, node)
		list_for_each_entry(vma, &p->mm.vmas, vm_list)
			if ((struct zsim_region *)vma == region)
				return &p->mm;
	return NULL;
}

/*
 * The mm of @req's process or region if it is live; a process to destroy
 * leaves vm_procs in the same critical section. A handle freed by another
 * task while a call on it runs is the caller's race, as in a program.
 */
static int vm_lookup(struct vm_req *req, struct mm_struct **mm)
{
	void *handle = req->proc ? (void *)req->proc : req->region;

	*mm = NULL;
	if (!handle)
		return 0;
	sim_rawlock_lock(&vm_procs_lock);
	if (req->proc && vm_proc_live(req->proc)) {
		*mm = &req->proc->mm;
		if (req->unlink)
			list_del(&req->proc->node);
	} else if (req->region) {
		*mm = vm_region_mm(req->region);
	}
	sim_rawlock_unlock(&vm_procs_lock);
	if (*mm)
		return 0;
	pr_warn("%s: %s %p is not live on this machine (freed, or from an earlier machine)\n",
		req->call, req->proc ? "process" : "region", handle);
	return -EINVAL;
}

/*
 * @req's function, once its handle is found live, with current->mm the
 * process's (none while creating it), then the return to user space:
 * resume_user_mode_work() reclaims what the call charged over memory.high
 * (an exit has no mm left by then).
 */
static int vm_as_process(void *arg)
{
	struct vm_req *req = arg;
	struct mm_struct *saved = current->mm;
	struct mm_struct *mm;
	int ret;

	ret = vm_lookup(req, &mm);
	if (ret)
		return ret;
	current->mm = mm;
	ret = req->fn(req);
	if (current->mm)
		mem_cgroup_handle_over_high(GFP_KERNEL);
	current->mm = saved;
	return ret;
}

static int vm_call(int (*fn)(void *), struct vm_req *req)
{
	req->fn = fn;
	if (current)
		return vm_as_process(req);
	if (!zsim_machine_running())
		return -ENODEV;
	return zsim_run(cpumask_first(cpu_online_mask), vm_as_process, req);
}

/* The live memcg at @path with a reference, the process counted in it. */
static struct mem_cgroup *memcg_join(const char *path)
{
	struct mem_cgroup *memcg = mem_cgroup_lookup(path ? path : "/");
	int ret;

	if (IS_ERR(memcg))
		return memcg;
	ret = cgroup_attach_proc(&memcg->css);
	if (ret) {
		mem_cgroup_put(memcg);
		return ERR_PTR(ret);
	}
	return memcg;
}

static void memcg_leave(struct mem_cgroup *memcg)
{
	cgroup_detach_proc(&memcg->css);
	mem_cgroup_put(memcg);
}

static int process_create_fn(void *arg)
{
	struct vm_req *req = arg;
	struct zsim_process *proc;
	struct mem_cgroup *memcg;

	memcg = memcg_join(req->path);
	if (IS_ERR(memcg))
		return PTR_ERR(memcg);
	proc = kzalloc(sizeof(*proc), GFP_KERNEL);
	if (!proc) {
		memcg_leave(memcg);
		return -ENOMEM;
	}
	proc->mm.memcg = memcg;
	spin_lock_init(&proc->mm.lock);
	INIT_LIST_HEAD(&proc->mm.vmas);
	sim_rawlock_lock(&vm_procs_lock);
	list_add_tail(&proc->node, &vm_procs);
	sim_rawlock_unlock(&vm_procs_lock);
	req->proc = proc;
	return 0;
}

int zsim_process_create(const char *memcg, struct zsim_process **proc)
{
	struct vm_req req = { .path = memcg };
	int ret;

	if (!proc)
		return -EINVAL;
	ret = vm_call(process_create_fn, &req);
	*proc = ret ? NULL : req.proc;
	return ret;
}

static void vma_unlink(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;

	spin_lock(&mm->lock);
	sim_rawlock_lock(&vm_procs_lock);
	list_del(&vma->vm_list);
	sim_rawlock_unlock(&vm_procs_lock);
	spin_unlock(&mm->lock);
}

static int process_destroy_fn(void *arg)
{
	struct zsim_process *proc = ((struct vm_req *)arg)->proc;
	struct vm_area_struct *vma;

	for (;;) {
		spin_lock(&proc->mm.lock);
		vma = list_first_entry_or_null(&proc->mm.vmas, struct vm_area_struct, vm_list);
		spin_unlock(&proc->mm.lock);
		if (!vma)
			break;
		vma_unlink(vma);
		zap_vma(vma);
	}
	/* exit_mm(): the task leaves the mm before it goes. */
	current->mm = NULL;
	memcg_leave(proc->mm.memcg);
	kfree(proc);
	return 0;
}

/*
 * The process's pid written to another cgroup's cgroup.procs (v2): its
 * new folios are charged there from now on, and what it charged stays
 * with the old memcg, as v2 moves no charges. Concurrent moves of one
 * process each leave the memcg they replaced.
 */
static int process_move_fn(void *arg)
{
	struct vm_req *req = arg;
	struct mem_cgroup *memcg = memcg_join(req->path);

	if (IS_ERR(memcg))
		return PTR_ERR(memcg);
	memcg_leave(xchg(&req->proc->mm.memcg, memcg));
	return 0;
}

int zsim_process_move(struct zsim_process *proc, const char *memcg)
{
	struct vm_req req = { .call = __func__, .proc = proc, .path = memcg };

	if (!proc)
		return -EINVAL;
	return vm_call(process_move_fn, &req);
}

int zsim_process_destroy(struct zsim_process *proc)
{
	struct vm_req req = { .call = __func__, .unlink = true, .proc = proc };

	if (!proc)
		return -EINVAL;
	return vm_call(process_destroy_fn, &req);
}

static int mmap_fn(void *arg)
{
	struct vm_req *req = arg;
	struct zsim_region *region;
	struct vm_area_struct *vma;

	region = kzalloc(sizeof(*region), GFP_KERNEL);
	if (!region)
		return -ENOMEM;
	vma = &region->vma;
	vma->ptes = kvcalloc(req->nr, sizeof(*vma->ptes), GFP_KERNEL);
	vma->gen = kvcalloc(req->nr, sizeof(*vma->gen), GFP_KERNEL);
	if (!vma->ptes || !vma->gen) {
		kvfree(vma->ptes);
		kvfree(vma->gen);
		kfree(region);
		return -ENOMEM;
	}
	vma->vm_mm = &req->proc->mm;
	vma->nr_pages = req->nr;
	vma->folio_order = req->order;
	vma->seed = req->seed;
	spin_lock_init(&vma->ptl);
	spin_lock(&vma->vm_mm->lock);
	sim_rawlock_lock(&vm_procs_lock);
	list_add_tail(&vma->vm_list, &vma->vm_mm->vmas);
	sim_rawlock_unlock(&vm_procs_lock);
	spin_unlock(&vma->vm_mm->lock);
	req->region = region;
	return 0;
}

int zsim_mmap(struct zsim_process *proc, unsigned long nr_pages, unsigned int folio_order,
	      uint64_t seed, struct zsim_region **region)
{
	struct vm_req req = { .call = __func__, .proc = proc, .nr = nr_pages, .order = folio_order,
			      .seed = seed };
	int ret;

	if (!region)
		return -EINVAL;
	*region = NULL;
	if (!proc || !nr_pages || nr_pages > (1UL << 32) || folio_order > HPAGE_PMD_ORDER) {
		pr_warn("zsim_mmap: %lu pages of order %u: want 1..2^32 pages, order 0..%d\n",
			nr_pages, folio_order, HPAGE_PMD_ORDER);
		return -EINVAL;
	}
	ret = vm_call(mmap_fn, &req);
	if (!ret)
		*region = req.region;
	return ret;
}

static int munmap_fn(void *arg)
{
	struct vm_area_struct *vma = &((struct vm_req *)arg)->region->vma;

	vma_unlink(vma);
	zap_vma(vma);
	return 0;
}

int zsim_munmap(struct zsim_region *region)
{
	struct vm_req req = { .call = __func__, .region = region };

	if (!region)
		return -EINVAL;
	return vm_call(munmap_fn, &req);
}

static int vm_fault_to_errno(vm_fault_t ret)
{
	if (ret & VM_FAULT_OOM)
		return -ENOMEM;
	if (ret & VM_FAULT_CORRUPT)
		return -EBADMSG;
	return -EIO;
}

/* Checked once vm_lookup() found the region: a stale one is not read. */
static bool region_range_ok(struct vm_req *req)
{
	unsigned long nr_pages = req->region->vma.nr_pages;

	return req->first <= nr_pages && req->nr <= nr_pages - req->first;
}

static int touch_fn(void *arg)
{
	struct vm_req *req = arg;
	struct vm_area_struct *vma = &req->region->vma;
	unsigned long i;
	vm_fault_t ret;
	bool faulted;

	if (!region_range_ok(req))
		return -EINVAL;
	for (i = req->first; i < req->first + req->nr; i++) {
		faulted = false;
		while ((ret = handle_mm_fault(vma, i, req->write)) & VM_FAULT_RETRY)
			faulted = true;
		if (ret & VM_FAULT_ERROR)
			return vm_fault_to_errno(ret);
		/* resume_user_mode_work(): memory.high is enforced here. */
		if (faulted)
			mem_cgroup_handle_over_high(GFP_KERNEL);
		cond_resched();
	}
	return 0;
}

int zsim_touch(struct zsim_region *region, unsigned long first, unsigned long nr, bool write)
{
	struct vm_req req = { .call = __func__, .region = region, .first = first, .nr = nr,
			      .write = write };

	if (!region)
		return -EINVAL;
	return vm_call(touch_fn, &req);
}

/* madvise() checks the range itself, as the kernel's does. */
static int madvise_fn(void *arg)
{
	struct vm_req *req = arg;

	return madvise_cold_or_pageout(&req->region->vma, req->first, req->nr, req->pageout);
}

static int region_madvise(const char *call, struct zsim_region *region, unsigned long first,
			  unsigned long nr, bool pageout)
{
	struct vm_req req = { .call = call, .region = region, .first = first, .nr = nr,
			      .pageout = pageout };

	if (!region)
		return -EINVAL;
	return vm_call(madvise_fn, &req);
}

int zsim_cold(struct zsim_region *region, unsigned long first, unsigned long nr)
{
	return region_madvise(__func__, region, first, nr, false);
}

int zsim_pageout(struct zsim_region *region, unsigned long first, unsigned long nr)
{
	return region_madvise(__func__, region, first, nr, true);
}

static int resident_fn(void *arg)
{
	struct vm_req *req = arg;
	struct vm_area_struct *vma = &req->region->vma;
	unsigned long i;

	req->result = 0;
	spin_lock(&vma->ptl);
	for (i = 0; i < vma->nr_pages; i++)
		req->result += pte_present(vma->ptes[i]);
	spin_unlock(&vma->ptl);
	return 0;
}

long zsim_region_resident(struct zsim_region *region)
{
	struct vm_req req = { .call = __func__, .region = region };
	int ret;

	if (!region)
		return -EINVAL;
	ret = vm_call(resident_fn, &req);
	return ret ? ret : req.result;
}
