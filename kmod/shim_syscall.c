// SPDX-License-Identifier: GPL-2.0
/* The syscall module's one kernel lookup: sys_call_table, found through kallsyms. */
#include <linux/kernel.h>
#include <asm/unistd.h>
#include "lunatik_rs.h"

/* Resolved once, in process context; read afterwards from any context. */
static unsigned long *lk_sys_call_table;

/*
 * kallsyms_lookup_name is not exported: its own address comes from a disabled kprobe
 * (lk_lookup, which sleeps), then it is called to find the (data) symbol sys_call_table.
 */
int lk_syscall_resolve(void)
{
	unsigned long (*lookup_name)(const char *name);
	unsigned long addr;

	if (READ_ONCE(lk_sys_call_table))
		return 0;
	addr = lk_lookup("kallsyms_lookup_name");
	if (!addr)
		return -ENXIO;
	lookup_name = (void *)addr;
	addr = lookup_name("sys_call_table");
	if (!addr)
		return -ENXIO;
	WRITE_ONCE(lk_sys_call_table, (unsigned long *)addr);
	return 0;
}

/* Entry nr of sys_call_table, or 0 when nr is out of range or the table is unresolved. */
unsigned long lk_syscall_address(long nr)
{
	unsigned long *table = READ_ONCE(lk_sys_call_table);

	if (!table || nr < 0 || nr >= NR_syscalls)
		return 0;
	return table[nr];
}

long lk_syscall_count(void)
{
	return NR_syscalls;
}
