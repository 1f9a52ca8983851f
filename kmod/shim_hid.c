// SPDX-License-Identifier: GPL-2.0
/*
 * shim_hid.c: HID drivers whose callbacks are Lua (hid.rs). The hid core is a module
 * (CONFIG_HID=m in Debian): its functions are looked up by name when a driver registers
 * (__symbol_get), so lunatik.ko does not depend on hid.ko and loads without it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hid.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "lunatik_rs.h"

/* The hid core's functions, held (symbol_get counts a reference) while registered. */
struct lk_hid_core {
	typeof(&__hid_register_driver) register_driver;
	typeof(&hid_unregister_driver) unregister_driver;
	typeof(&hid_open_report) open_report;
	typeof(&hid_hw_start) hw_start;
};

struct lk_hid {
	struct hid_driver drv;
	struct hid_device_id *ids;
	size_t nids;
	struct lk_hid_core core;
	void *owner;
	char name[256];
};

static struct lk_hid *lk_hid_of(struct hid_device *hdev)
{
	return container_of(hdev->driver, struct lk_hid, drv);
}

static int lk_hid_probe(struct hid_device *hdev, const struct hid_device_id *id)
{
	struct lk_hid *h = lk_hid_of(hdev);
	int err;

	err = lunatik_rs_hid_probe(h->owner, hdev, id - h->ids);
	if (err)
		return err;
	err = h->core.open_report(hdev);
	if (err)
		return err;
	return h->core.hw_start(hdev, HID_CONNECT_DEFAULT);
}

static lk_compat_hid_rdesc *lk_hid_report_fixup(struct hid_device *hdev, __u8 *buf,
						unsigned int *size)
{
	struct lk_hid *h = lk_hid_of(hdev);

	lunatik_rs_hid_report_fixup(h->owner, hdev, buf, *size);
	return buf;
}

static int lk_hid_raw_event(struct hid_device *hdev, struct hid_report *report,
			    u8 *data, int size)
{
	struct lk_hid *h = lk_hid_of(hdev);

	return lunatik_rs_hid_raw_event(h->owner, hdev, report->id, report->type,
					report->size, report->application,
					report->maxfield, data, size);
}

/* A driver named `name` with room for `nids` ids (set with lk_hid_set_id). */
void *lk_hid_new(void *owner, const char *name, size_t len, size_t nids,
		 bool probe, bool fixup, bool raw)
{
	struct lk_hid *h = kzalloc(sizeof(*h), GFP_KERNEL);

	if (!h)
		return NULL;
	h->ids = kcalloc(nids + 1, sizeof(*h->ids), GFP_KERNEL);
	if (!h->ids) {
		kfree(h);
		return NULL;
	}
	memcpy(h->name, name, min(len, sizeof(h->name) - 1));
	h->nids = nids;
	h->owner = owner;
	h->drv.name = h->name;
	h->drv.id_table = h->ids;
	/* Without probe the core parses and starts the device itself. */
	if (probe)
		h->drv.probe = lk_hid_probe;
	if (fixup)
		h->drv.report_fixup = lk_hid_report_fixup;
	if (raw)
		h->drv.raw_event = lk_hid_raw_event;
	return h;
}

void lk_hid_set_id(void *hid, size_t i, u16 bus, u16 group, u32 vendor, u32 product,
		   unsigned long driver_data)
{
	struct lk_hid *h = hid;

	if (i >= h->nids)
		return;
	h->ids[i].bus = bus;
	h->ids[i].group = group;
	h->ids[i].vendor = vendor;
	h->ids[i].product = product;
	h->ids[i].driver_data = driver_data;
}

static void lk_hid_put_core(struct lk_hid_core *core)
{
	if (core->register_driver)
		symbol_put(__hid_register_driver);
	if (core->unregister_driver)
		symbol_put(hid_unregister_driver);
	if (core->open_report)
		symbol_put(hid_open_report);
	if (core->hw_start)
		symbol_put(hid_hw_start);
	memset(core, 0, sizeof(*core));
}

/* Registers the driver: -ENOENT when the hid core is not loaded. Sleeps. */
int lk_hid_register(void *hid)
{
	struct lk_hid *h = hid;
	struct lk_hid_core *core = &h->core;
	int err;

	core->register_driver = __symbol_get("__hid_register_driver");
	core->unregister_driver = __symbol_get("hid_unregister_driver");
	core->open_report = __symbol_get("hid_open_report");
	core->hw_start = __symbol_get("hid_hw_start");
	if (!core->register_driver || !core->unregister_driver ||
	    !core->open_report || !core->hw_start) {
		lk_hid_put_core(core);
		return -ENOENT;
	}
	err = core->register_driver(&h->drv, THIS_MODULE, KBUILD_MODNAME);
	if (err)
		lk_hid_put_core(core);
	return err;
}

/* Unregisters (if registered) and frees; returns once no callback runs. Sleeps. */
void lk_hid_free(void *hid)
{
	struct lk_hid *h = hid;

	if (h->core.unregister_driver) {
		h->core.unregister_driver(&h->drv);
		lk_hid_put_core(&h->core);
	}
	kfree(h->ids);
	kfree(h);
}

/* The fields of a device scripts see; `name` points into the device. */
void lk_hid_device_info(const struct hid_device *hdev, u16 *bus, u16 *group,
			u32 *vendor, u32 *product, u32 *version, const char **name)
{
	*bus = hdev->bus;
	*group = hdev->group;
	*vendor = hdev->vendor;
	*product = hdev->product;
	*version = hdev->version;
	*name = hdev->name;
}
