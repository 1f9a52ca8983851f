// SPDX-License-Identifier: GPL-2.0
/*
 * shim_file.c: files through the VFS with the credentials of the calling task,
 * for file.rs (script files and the io module).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/fs.h>

#include "lunatik_rs.h"

/* The open(2) flags of a set of LK_FILE_* flags. */
static int lk_file_oflags(unsigned int flags)
{
	int oflags = O_LARGEFILE;

	if ((flags & LK_FILE_READ) && (flags & LK_FILE_WRITE))
		oflags |= O_RDWR;
	else if (flags & LK_FILE_WRITE)
		oflags |= O_WRONLY;
	else
		oflags |= O_RDONLY;
	if (flags & LK_FILE_CREATE)
		oflags |= O_CREAT;
	if (flags & LK_FILE_TRUNCATE)
		oflags |= O_TRUNC;
	if (flags & LK_FILE_APPEND)
		oflags |= O_APPEND;
	return oflags;
}

/* A file this call creates gets 0666 minus the task's umask (the VFS). */
int lk_file_open(const char *path, unsigned int flags, struct file **out)
{
	struct file *file = filp_open(path, lk_file_oflags(flags), 0666);

	if (IS_ERR(file))
		return PTR_ERR(file);
	*out = file;
	return 0;
}

ssize_t lk_file_read(struct file *file, void *buf, size_t len, loff_t *pos)
{
	return kernel_read(file, buf, len, pos);
}

ssize_t lk_file_write(struct file *file, const void *buf, size_t len,
		      loff_t *pos)
{
	return kernel_write(file, buf, len, pos);
}

bool lk_file_is_dir(struct file *file)
{
	return S_ISDIR(file_inode(file)->i_mode);
}

loff_t lk_file_llseek(struct file *file, loff_t offset, int whence)
{
	return vfs_llseek(file, offset,
			  whence == LK_SEEK_END ? SEEK_END : SEEK_SET);
}

void lk_file_close(struct file *file)
{
	filp_close(file, NULL);
}
