// SPDX-License-Identifier: GPL-2.0
/*
 * shim_control.c: the /dev/lunatik misc device. Every file operation passes
 * straight to control.rs with the control cookie and the per-open cookie.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "lunatik_rs.h"

static void *lk_control;

static int lk_control_open(struct inode *inode, struct file *file)
{
	void *state;
	int ret;

	ret = stream_open(inode, file);
	if (ret)
		return ret;
	ret = lunatik_rs_open(lk_control, &state);
	if (ret)
		return ret;
	file->private_data = state;
	return 0;
}

static int lk_control_release(struct inode *inode, struct file *file)
{
	lunatik_rs_release(lk_control, file->private_data);
	return 0;
}

static ssize_t lk_control_read(struct file *file, char __user *buf,
			       size_t len, loff_t *ppos)
{
	return lunatik_rs_read(lk_control, file->private_data, buf, len);
}

static ssize_t lk_control_write(struct file *file, const char __user *buf,
				size_t len, loff_t *ppos)
{
	return lunatik_rs_write(lk_control, file->private_data, buf, len);
}

static const struct file_operations lk_control_fops = {
	.owner = THIS_MODULE,
	.open = lk_control_open,
	.release = lk_control_release,
	.read = lk_control_read,
	.write = lk_control_write,
};

static struct miscdevice lk_control_device = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "lunatik",
	.fops = &lk_control_fops,
	.mode = 0600,
};

int lk_control_register(void *control)
{
	lk_control = control;
	return misc_register(&lk_control_device);
}

void lk_control_deregister(void)
{
	misc_deregister(&lk_control_device);
	lk_control = NULL;
}

unsigned long lk_copy_from_user(void *dst, const void __user *src,
				unsigned long len)
{
	return copy_from_user(dst, src, len);
}

unsigned long lk_copy_to_user(void __user *dst, const void *src,
			      unsigned long len)
{
	return copy_to_user(dst, src, len);
}
