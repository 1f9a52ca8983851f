// SPDX-License-Identifier: GPL-2.0
/*
 * shim_netfilter.c: netfilter hooks and the sk_buff accessors the netfilter and skb
 * modules need (netfilter.rs, skb.rs). Only what is a macro, an inline function or a
 * struct layout lives here; every decision is in Rust.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/netfilter/nf_conntrack.h>

#include "lunatik_rs.h"

/* A registered hook: the ops the kernel holds, the mark it filters on, its Rust owner. */
struct lk_nf_hook {
	struct nf_hook_ops ops;
	u32 mark;
	void *owner;
};

static unsigned int lk_nf_hookfn(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct lk_nf_hook *hook = priv;

	/* Packets of another mark never enter Lua. */
	if (skb->mark != hook->mark)
		return NF_ACCEPT;
	return lunatik_rs_nf_hook(hook->owner, skb);
}

/* Registers a hook in init_net; NULL with *err set on failure. Process context. */
void *lk_nf_register(int pf, int hooknum, int priority, u32 mark, void *owner, int *err)
{
	struct lk_nf_hook *hook = kzalloc(sizeof(*hook), GFP_KERNEL);

	if (!hook) {
		*err = -ENOMEM;
		return NULL;
	}
	hook->ops.hook = lk_nf_hookfn;
	hook->ops.pf = pf;
	hook->ops.hooknum = hooknum;
	hook->ops.priority = priority;
	hook->ops.priv = hook;
	hook->mark = mark;
	hook->owner = owner;
	*err = nf_register_net_hook(&init_net, &hook->ops);
	if (*err) {
		kfree(hook);
		return NULL;
	}
	return hook;
}

/* Unregisters and frees; returns after every running call of the hook ended. */
void lk_nf_unregister(void *hook)
{
	struct lk_nf_hook *h = hook;

	nf_unregister_net_hook(&init_net, &h->ops);
	kfree(h);
}

unsigned int lk_skb_len(const struct sk_buff *skb)
{
	return skb->len;
}

void lk_skb_set_mark(struct sk_buff *skb, u32 mark)
{
	skb->mark = mark;
}

/* The ingress (or egress) device's index, or -1. */
int lk_skb_ifindex(const struct sk_buff *skb)
{
	return skb->dev ? skb->dev->ifindex : -1;
}

/* The VLAN id, or -1 without a tag. */
int lk_skb_vlan(const struct sk_buff *skb)
{
	return skb_vlan_tag_present(skb) ? skb_vlan_tag_get_id(skb) : -1;
}

/*
 * Linearizes, then gives the linear area from the network header (mac 0) or the MAC
 * header (mac 1). -ENOMEM: linearization failed; -EINVAL: no MAC header.
 */
int lk_skb_linear(struct sk_buff *skb, int mac, u8 **ptr, size_t *len)
{
	if (skb_linearize(skb))
		return -ENOMEM;
	if (!mac) {
		*ptr = skb->data;
		*len = skb_headlen(skb);
		return 0;
	}
	if (!skb_mac_header_was_set(skb))
		return -EINVAL;
	*ptr = skb_mac_header(skb);
	*len = skb_headlen(skb) + skb_mac_header_len(skb);
	return 0;
}

/* Grows (skb_put) or trims the linear area to n bytes. -ENOMEM, -ENOSPC (tailroom). */
int lk_skb_resize(struct sk_buff *skb, unsigned int n)
{
	unsigned int len;

	if (skb_linearize(skb))
		return -ENOMEM;
	len = skb_headlen(skb);
	if (n > len) {
		if (skb_tailroom(skb) < (int)(n - len))
			return -ENOSPC;
		skb_put(skb, n - len);
	} else if (n < len) {
		skb_trim(skb, n);
	}
	return 0;
}

/* The TCP or UDP checksum field at th, and the transport length. */
static __sum16 *lk_l4_check(u8 proto, u8 *th, unsigned int l4len)
{
	if (proto == IPPROTO_TCP && l4len >= sizeof(struct tcphdr))
		return &((struct tcphdr *)th)->check;
	if (proto == IPPROTO_UDP && l4len >= sizeof(struct udphdr))
		return &((struct udphdr *)th)->check;
	return NULL;
}

/* Software checksums of the IP header (IPv4) and of TCP/UDP (IPv4, IPv6). */
void lk_skb_checksum(struct sk_buff *skb)
{
	unsigned int len;
	__sum16 *check;
	__wsum sum;
	u8 version, proto, *th;

	if (skb_linearize(skb))
		return;
	/* The header at skb->data, as skb:data() shows it. */
	len = skb_headlen(skb);
	version = len ? skb->data[0] >> 4 : 0;
	if (version == 4 && len >= sizeof(struct iphdr)) {
		struct iphdr *iph = (struct iphdr *)skb->data;
		unsigned int ihl = iph->ihl * 4, tot = ntohs(iph->tot_len);

		if (ihl < sizeof(*iph) || tot > len || tot < ihl)
			return;
		ip_send_check(iph);
		th = skb->data + ihl;
		proto = iph->protocol;
		check = lk_l4_check(proto, th, tot - ihl);
		if (!check)
			return;
		*check = 0;
		sum = csum_partial(th, tot - ihl, 0);
		*check = csum_tcpudp_magic(iph->saddr, iph->daddr, tot - ihl, iph->protocol, sum);
	} else if (version == 6 && len >= sizeof(struct ipv6hdr)) {
		struct ipv6hdr *ip6h = (struct ipv6hdr *)skb->data;
		unsigned int plen = ntohs(ip6h->payload_len);

		if (plen > len - sizeof(*ip6h))
			return;
		th = skb->data + sizeof(*ip6h);
		proto = ip6h->nexthdr;
		check = lk_l4_check(proto, th, plen);
		if (!check)
			return;
		*check = 0;
		sum = csum_partial(th, plen, 0);
		*check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, plen, ip6h->nexthdr, sum);
	} else {
		return;
	}
	/* For UDP, 0 means "no checksum". */
	if (proto == IPPROTO_UDP && *check == 0)
		*check = CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;
}

/* Clones the packet back to its MAC header and transmits it on skb->dev. */
int lk_skb_forward(struct sk_buff *skb)
{
	struct sk_buff *clone;

	if (!skb->dev)
		return -ENODEV;
	if (!skb_mac_header_was_set(skb))
		return -EINVAL;
	clone = skb_clone(skb, GFP_ATOMIC);
	if (!clone)
		return -ENOMEM;
	skb_push(clone, skb->data - skb_mac_header(skb));
	dev_queue_xmit(clone);
	return 0;
}

/* A linear deep copy; NULL with *err (-EINVAL: FRAGLIST GSO, -ENOMEM). */
struct sk_buff *lk_skb_copy(struct sk_buff *skb, int *err)
{
	struct sk_buff *copy;

	if (skb_is_gso(skb) && (skb_shinfo(skb)->gso_type & SKB_GSO_FRAGLIST)) {
		*err = -EINVAL;
		return NULL;
	}
	copy = skb_copy(skb, GFP_ATOMIC);
	*err = copy ? 0 : -ENOMEM;
	return copy;
}

void lk_skb_free(struct sk_buff *skb)
{
	dev_kfree_skb_any(skb);
}

/*
 * The conntrack mark (set to *mark first if set): 0, or -ENOENT without a conntrack
 * entry, -EOPNOTSUPP without CONFIG_NF_CONNTRACK_MARK.
 */
int lk_skb_connmark(struct sk_buff *skb, int set, u32 *mark)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK) && IS_ENABLED(CONFIG_NF_CONNTRACK_MARK)
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (!ct)
		return -ENOENT;
	if (set)
		WRITE_ONCE(ct->mark, *mark);
	*mark = READ_ONCE(ct->mark);
	return 0;
#else
	return -EOPNOTSUPP;
#endif
}
