// SPDX-License-Identifier: GPL-2.0
/*
 * shim_device.c: character devices for device.rs. Each device has its own
 * dynamic major, a cdev and a node in the "luadevice" class; file operations
 * pass the device number and the per-open cookie to Rust.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/slab.h>

#include "compat.h"
#include "lunatik_rs.h"

struct lk_device {
	struct cdev *cdev;
	struct device *dev;
	dev_t devt;
	umode_t mode;
};

static struct class *lk_device_class;

/* Makes "is the name free?" and "take it" one step for concurrent creators. */
static DEFINE_MUTEX(lk_device_create_lock);

/* Whether a device of our class, or any /dev node, already has the name. */
static bool lk_device_name_taken(const char *name)
{
	struct device *dev = class_find_device_by_name(lk_device_class, name);
	struct path path;
	char *node;
	bool taken;

	if (dev) {
		put_device(dev);
		return true;
	}
	node = kasprintf(GFP_KERNEL, "/dev/%s", name);
	if (!node)
		return true;
	taken = !kern_path(node, 0, &path);
	if (taken)
		path_put(&path);
	kfree(node);
	return taken;
}

static int lk_device_open(struct inode *inode, struct file *file)
{
	void *state;
	int ret;

	ret = lunatik_rs_device_open(inode->i_rdev, &state);
	if (ret)
		return ret;
	file->private_data = state;
	return 0;
}

static int lk_device_release(struct inode *inode, struct file *file)
{
	lunatik_rs_device_release(file->private_data);
	return 0;
}

static ssize_t lk_device_read(struct file *file, char __user *buf,
			      size_t len, loff_t *pos)
{
	return lunatik_rs_device_read(file->private_data, buf, len, pos);
}

static ssize_t lk_device_write(struct file *file, const char __user *buf,
			       size_t len, loff_t *pos)
{
	return lunatik_rs_device_write(file->private_data, buf, len, pos);
}

static const struct file_operations lk_device_fops = {
	.owner = THIS_MODULE,
	.open = lk_device_open,
	.release = lk_device_release,
	.read = lk_device_read,
	.write = lk_device_write,
	.llseek = noop_llseek,
};

/* The mode of the device node comes from the script (devtmpfs asks here). */
static char *lk_device_devnode(LK_COMPAT_DEVNODE_CONST struct device *dev,
			       umode_t *mode)
{
	struct lk_device *device = dev_get_drvdata(dev);

	if (mode && device)
		*mode = device->mode;
	return NULL;
}

int lk_device_class_create(void)
{
	lk_device_class = lk_compat_class_create("luadevice");
	if (IS_ERR(lk_device_class))
		return PTR_ERR(lk_device_class);
	lk_device_class->devnode = lk_device_devnode;
	return 0;
}

void lk_device_class_destroy(void)
{
	class_destroy(lk_device_class);
}

static int lk_device_create_locked(const char *name, unsigned int mode,
				   struct lk_device **out, unsigned int *devt);

/* Creates a device named name, or fails with -EEXIST if the name is taken. */
int lk_device_create(const char *name, unsigned int mode,
		     struct lk_device **out, unsigned int *devt)
{
	int ret;

	mutex_lock(&lk_device_create_lock);
	ret = lk_device_create_locked(name, mode, out, devt);
	mutex_unlock(&lk_device_create_lock);
	return ret;
}

static int lk_device_create_locked(const char *name, unsigned int mode,
				   struct lk_device **out, unsigned int *devt)
{
	struct lk_device *device;
	int ret;

	if (lk_device_name_taken(name))
		return -EEXIST;
	device = kzalloc(sizeof(*device), GFP_KERNEL);
	if (!device)
		return -ENOMEM;
	device->mode = mode;
	ret = alloc_chrdev_region(&device->devt, 0, 1, name);
	if (ret)
		goto err_free;
	device->cdev = cdev_alloc();
	if (!device->cdev) {
		ret = -ENOMEM;
		goto err_unregister;
	}
	device->cdev->owner = THIS_MODULE;
	device->cdev->ops = &lk_device_fops;
	ret = cdev_add(device->cdev, device->devt, 1);
	if (ret)
		goto err_put_cdev;
	device->dev = device_create(lk_device_class, NULL, device->devt,
				    device, "%s", name);
	if (IS_ERR(device->dev)) {
		ret = PTR_ERR(device->dev);
		goto err_del_cdev;
	}
	*out = device;
	*devt = device->devt;
	return 0;

err_del_cdev:
	cdev_del(device->cdev);
	goto err_unregister;
err_put_cdev:
	kobject_put(&device->cdev->kobj);
err_unregister:
	unregister_chrdev_region(device->devt, 1);
err_free:
	kfree(device);
	return ret;
}

/* Removes the node; files still open keep the cdev until they close. */
void lk_device_destroy(struct lk_device *device)
{
	device_destroy(lk_device_class, device->devt);
	cdev_del(device->cdev);
	unregister_chrdev_region(device->devt, 1);
	kfree(device);
}
