// SPDX-License-Identifier: GPL-2.0
/*
 * shim_notifier.c: the netdevice, keyboard and VT notifier chains (notifier.rs). The
 * notifier_block and the layouts of the chains' parameters live here; every decision
 * (what to call, what to return) is in Rust.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/keyboard.h>
#include <linux/netdevice.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/vt_kern.h>

#include "lunatik_rs.h"

/* A registered notifier: the block the chain holds, its chain, its Rust owner. */
struct lk_notifier {
	struct notifier_block nb;
	int kind;
	void *owner;
};

static int lk_notifier_call(struct notifier_block *nb, unsigned long event,
			    void *data)
{
	struct lk_notifier *n = container_of(nb, struct lk_notifier, nb);
	struct keyboard_notifier_param *key = data;
	struct vt_notifier_param *vt = data;
	struct net_device *dev;

	switch (n->kind) {
	case LK_NOTIFIER_NETDEVICE:
		dev = netdev_notifier_info_to_dev(data);
		return lunatik_rs_notifier_call(n->owner, event, dev->name,
						0, 0, 0);
	case LK_NOTIFIER_KEYBOARD:
		return lunatik_rs_notifier_call(n->owner, event, NULL,
						key->down, key->shift,
						key->value);
	case LK_NOTIFIER_VTERM:
		return lunatik_rs_notifier_call(n->owner, event, NULL, vt->c,
						vt->vc ? vt->vc->vc_num : 0,
						0);
	}
	return NOTIFY_DONE;
}

static int lk_notifier_chain(int kind, struct notifier_block *nb, bool add)
{
	switch (kind) {
	case LK_NOTIFIER_NETDEVICE:
		return add ? register_netdevice_notifier(nb) :
			     unregister_netdevice_notifier(nb);
	case LK_NOTIFIER_KEYBOARD:
		return add ? register_keyboard_notifier(nb) :
			     unregister_keyboard_notifier(nb);
	case LK_NOTIFIER_VTERM:
		return add ? register_vt_notifier(nb) :
			     unregister_vt_notifier(nb);
	}
	return -EINVAL;
}

/*
 * Adds a notifier of `kind` whose calls go to `owner`; NULL with *err set on failure.
 * Process context (the netdevice chain takes RTNL and replays its devices from here).
 */
void *lk_notifier_register(int kind, void *owner, int *err)
{
	struct lk_notifier *n = kzalloc(sizeof(*n), GFP_KERNEL);

	if (!n) {
		*err = -ENOMEM;
		return NULL;
	}
	n->nb.notifier_call = lk_notifier_call;
	n->kind = kind;
	n->owner = owner;
	*err = lk_notifier_chain(kind, &n->nb, true);
	if (*err) {
		kfree(n);
		return NULL;
	}
	return n;
}

/* Removes and frees; returns after every running call of it ended. Sleeps. */
void lk_notifier_unregister(void *notifier)
{
	struct lk_notifier *n = notifier;

	lk_notifier_chain(n->kind, &n->nb, false);
	kfree(n);
}
