// SPDX-License-Identifier: GPL-2.0
/* shim_print.c: printk for Rust's print.rs, and BUG() for its panic handler. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/printk.h>

#include "lunatik_rs.h"

void lk_printk(int level, const char *text, size_t len)
{
	int n = (int)min_t(size_t, len, INT_MAX);

	switch (level) {
	case LK_LOG_ERR:
		pr_err("%.*s\n", n, text);
		break;
	case LK_LOG_WARNING:
		pr_warn("%.*s\n", n, text);
		break;
	case LK_LOG_DEBUG:
		pr_debug("%.*s\n", n, text);
		break;
	default:
		pr_info("%.*s\n", n, text);
		break;
	}
}

void lk_bug(void)
{
	BUG();
}
