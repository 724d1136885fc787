// SPDX-License-Identifier: GPL-2.0
/*
 * Not part of any series: built into a debug test kernel by hand (docs/harness.md,
 * "The detectors, made to fire") to show that each detector reports and that
 * scripts/read-results.py catches the report.  Boot with detector_test=1.
 */
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/workqueue.h>

bool detector_test;
core_param(detector_test, detector_test, bool, 0444);

static int detector_index = 4;

static void stall_fn(struct work_struct *w)
{
	unsigned long end = jiffies + 25 * HZ;

	while (time_before(jiffies, end)) {
		mdelay(10);
		cond_resched();
	}
}
static DECLARE_WORK(stall_work, stall_fn);

static void dummy_fn(struct work_struct *w)
{
	pr_info("detector_test: the work behind the stall ran\n");
}
static DECLARE_WORK(dummy_work, dummy_fn);

static int detector_thread(void *unused)
{
	int a[4] = { 1, 2, 3, 4 };
	volatile int i = detector_index;

	ssleep(3);
	pr_info("detector_test: UBSAN\n");
	pr_info("detector_test: a[%d] = %d\n", i, a[i]);

	pr_info("detector_test: soft lockup\n");
	preempt_disable();
	mdelay(15000);
	preempt_enable();

	pr_info("detector_test: workqueue stall\n");
	schedule_work_on(1, &stall_work);
	schedule_work_on(1, &dummy_work);
	ssleep(30);

	pr_info("detector_test: hung task\n");
	schedule_timeout_uninterruptible(30 * HZ);
	pr_info("detector_test: done\n");
	return 0;
}

static int __init detector_init(void)
{
	if (detector_test)
		kthread_run(detector_thread, NULL, "detector_test");
	return 0;
}
late_initcall(detector_init);
