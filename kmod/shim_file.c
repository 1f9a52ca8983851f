// SPDX-License-Identifier: GPL-2.0
/* shim_file.c: reading script files through the VFS, for file.rs. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fs.h>

#include "lunatik_rs.h"

int lk_file_open(const char *path, struct file **out)
{
	struct file *file = filp_open(path, O_RDONLY, 0);

	if (IS_ERR(file))
		return PTR_ERR(file);
	*out = file;
	return 0;
}

ssize_t lk_file_read(struct file *file, void *buf, size_t len, loff_t *pos)
{
	return kernel_read(file, buf, len, pos);
}

void lk_file_close(struct file *file)
{
	filp_close(file, NULL);
}
