/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lunatik_rs.h: the whole border between the C shim and the Rust staticlib.
 *
 * lk_* functions are implemented in C (kmod/shim_*.c) and called from Rust;
 * lunatik_rs_* functions are implemented in Rust (crates/kernel) and called
 * from C. crates/kernel/src/ffi.rs mirrors this file: change both together.
 * Only scalars and opaque pointers cross; C never sees a Rust type and Rust
 * never sees a kernel struct's layout.
 */
#ifndef LUNATIK_RS_H
#define LUNATIK_RS_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

struct completion;

/* Log levels of lk_printk(). */
enum lk_log_level {
	LK_LOG_ERR = 3,
	LK_LOG_WARNING = 4,
	LK_LOG_INFO = 6,
	LK_LOG_DEBUG = 7,
};

/* shim_alloc.c: kmalloc family, always with __GFP_NOWARN. */
void *lk_kmalloc(size_t size, bool atomic);
void *lk_krealloc(void *ptr, size_t size, bool atomic);
void lk_kfree(const void *ptr);
bool lk_cannot_sleep(void);
void lk_atomic_scope_enter(void);
void lk_atomic_scope_exit(void);

/* shim_print.c */
void lk_printk(int level, const char *text, size_t len);
/* Declared as returning: see panic.rs for why. */
void lk_bug(void);

/* shim_stack.c */
unsigned long lk_stack_bottom(void);

/* shim_sync.c: the caller owns the memory (size from lk_*_size(), align 8). */
size_t lk_mutex_size(void);
void lk_mutex_init(struct mutex *lock);
void lk_mutex_destroy(struct mutex *lock);
void lk_mutex_lock(struct mutex *lock);
int lk_mutex_lock_interruptible(struct mutex *lock);
void lk_mutex_unlock(struct mutex *lock);
int lk_mutex_trylock(struct mutex *lock);
size_t lk_spinlock_size(void);
void lk_spin_lock_init(spinlock_t *lock);
void lk_spin_lock_bh(spinlock_t *lock);
void lk_spin_unlock_bh(spinlock_t *lock);
bool lk_spin_trylock_bh(spinlock_t *lock);
bool lk_spin_trylock_irqsave(spinlock_t *lock, unsigned long *flags);
unsigned long lk_spin_lock_irqsave(spinlock_t *lock);
void lk_spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags);
size_t lk_completion_size(void);
void lk_completion_init(struct completion *c);
void lk_complete(struct completion *c);
long lk_completion_wait(struct completion *c, unsigned int ms);

/* shim_cpu.c */
enum lk_cpu_mask { LK_CPU_POSSIBLE, LK_CPU_PRESENT, LK_CPU_ONLINE };
unsigned int lk_cpu_count(int which);
unsigned int lk_cpu_next(int which, int prev);
int lk_cpu_stats(unsigned int cpu, u64 *out, int n);

/* shim_signal.c */
int lk_signal_mask(int sig, int how);
bool lk_signal_pending(void);
bool lk_signal_state(int sig, int which);
int lk_signal_kill(int pid, int sig);

/* shim_worker.c */
void lk_run_on_worker(void (*fn)(void *arg), void (*abort)(void *arg), void *arg);

/* shim_control.c: /dev/lunatik and user copies. */
int lk_control_register(void *control);
void lk_control_deregister(void);
unsigned long lk_copy_from_user(void *dst, const void __user *src,
				unsigned long len);
unsigned long lk_copy_to_user(void __user *dst, const void *src,
			      unsigned long len);

/* shim_runtime.c: scheduling and context queries for runtimes. */
void lk_cond_resched(void);
bool lk_fatal_signal_pending(void);
bool lk_irqs_disabled(void);
bool lk_in_hardirq(void);
void *lk_current_task(void);
unsigned long lk_param_memory_limit(void);
unsigned long lk_param_fuel_slice(void);
unsigned long lk_param_total_memory_limit(void);
bool lk_param_allow_binary(void);
bool lk_param_stats(void);
void lk_work_schedule(void);
void lk_work_flush(void);

/*
 * shim_file.c: files through the VFS (script files, the io module). Open
 * flags combine freely (neither READ nor WRITE opens for reading). Positions
 * are the caller's: reads and writes take one by pointer, a seek returns the
 * new one.
 */
struct file;
enum lk_file_flags {
	LK_FILE_READ = 1,
	LK_FILE_WRITE = 2,
	LK_FILE_CREATE = 4,
	LK_FILE_TRUNCATE = 8,
	LK_FILE_APPEND = 16,
};
enum lk_seek_whence { LK_SEEK_SET, LK_SEEK_END };
int lk_file_open(const char *path, unsigned int flags, struct file **out);
ssize_t lk_file_read(struct file *file, void *buf, size_t len, loff_t *pos);
ssize_t lk_file_write(struct file *file, const void *buf, size_t len,
		      loff_t *pos);
loff_t lk_file_llseek(struct file *file, loff_t offset, int whence);
bool lk_file_is_dir(struct file *file);
void lk_file_close(struct file *file);

/* shim_linux.c: the linux module. */
s64 lk_time_ns(void);
u64 lk_clock_ns(void);
u64 lk_random_u64(void);
long lk_schedule_ms(long ms, bool forever, int state);
bool lk_tracing(int on);
unsigned long lk_lookup(const char *name);

/* shim_syscall.c */
int lk_syscall_resolve(void);
unsigned long lk_syscall_address(long nr);
long lk_syscall_count(void);
int lk_ifaddr(int ifindex, u8 *buf, size_t len);
int lk_ifindex(const char *name);
unsigned int lk_numcpus(void);

/* shim_thread.c: kernel threads. */
struct task_struct;
int lk_thread_run(void *cookie, const char *name, struct task_struct **out);
int lk_thread_stop(struct task_struct *task);
bool lk_thread_should_stop(void);
bool lk_is_kthread(void);
struct task_struct *lk_task_get_current(void);
void lk_task_put(struct task_struct *task);
void lk_task_info(struct task_struct *task, int *pid, int *tgid, int *cpu,
		  char *comm, size_t len);

/* shim_device.c: character devices of the device module. */
struct lk_device;
int lk_device_class_create(void);
void lk_device_class_destroy(void);
int lk_device_create(const char *name, unsigned int mode, struct lk_device **out,
		     unsigned int *devt);
void lk_device_destroy(struct lk_device *dev);

/* shim_rcu.c: RCU for the rcu module's tables. */
struct rcu_head;
enum { LK_RCU_HEAD_SIZE = 16 };
void lk_rcu_read_lock(void);
void lk_rcu_read_unlock(void);
void lk_call_rcu(struct rcu_head *head);
void lk_rcu_barrier(void);
void *lk_kvcalloc(size_t n, size_t size, bool atomic);
void lk_kvfree(const void *ptr);

/* shim_netfilter.c: netfilter hooks and sk_buff accessors. */
struct sk_buff;
void *lk_nf_register(int pf, int hooknum, int priority, u32 mark, void *owner, int *err);
void lk_nf_unregister(void *hook);

/* shim_notifier.c: notifier chains (enum lk_notifier_kind, mirrored in ffi.rs). */
enum lk_notifier_kind {
	LK_NOTIFIER_NETDEVICE,
	LK_NOTIFIER_KEYBOARD,
	LK_NOTIFIER_VTERM,
};
void *lk_notifier_register(int kind, void *owner, int *err);
void lk_notifier_unregister(void *notifier);

/* shim_hid.c: HID drivers; the hid core is found by name at registration. */
struct hid_device;
void *lk_hid_new(void *owner, const char *name, size_t len, size_t nids,
		 bool probe, bool fixup, bool raw);
void lk_hid_set_id(void *hid, size_t i, u16 bus, u16 group, u32 vendor, u32 product,
		   unsigned long driver_data);
int lk_hid_register(void *hid);
void lk_hid_free(void *hid);
void lk_hid_device_info(const struct hid_device *hdev, u16 *bus, u16 *group,
			u32 *vendor, u32 *product, u32 *version, const char **name);
unsigned int lk_skb_len(const struct sk_buff *skb);
void lk_skb_set_mark(struct sk_buff *skb, u32 mark);
int lk_skb_ifindex(const struct sk_buff *skb);
int lk_skb_vlan(const struct sk_buff *skb);
int lk_skb_linear(struct sk_buff *skb, int mac, u8 **ptr, size_t *len);
int lk_skb_resize(struct sk_buff *skb, unsigned int n);
void lk_skb_checksum(struct sk_buff *skb);
int lk_skb_forward(struct sk_buff *skb);
struct sk_buff *lk_skb_copy(struct sk_buff *skb, int *err);
void lk_skb_free(struct sk_buff *skb);
int lk_skb_connmark(struct sk_buff *skb, int set, u32 *mark);

/*
 * shim_socket.c: kernel sockets (init_net) of the socket module. Addresses
 * are sockaddr bytes of at most LK_SOCKADDR_SIZE (a sockaddr_storage).
 */
struct socket;
enum { LK_SOCKADDR_SIZE = 128 };
enum lk_sock_events { LK_SOCK_READ = 1, LK_SOCK_WRITE = 2 };
int lk_sock_create(int family, int type, int proto, struct socket **out);
void lk_sock_release(struct socket *sock);
int lk_sock_bind(struct socket *sock, const void *addr, int len);
int lk_sock_listen(struct socket *sock, int backlog);
int lk_sock_accept(struct socket *sock, struct socket **out, int flags);
int lk_sock_connect(struct socket *sock, const void *addr, int len, int flags);
int lk_sock_send(struct socket *sock, const void *buf, size_t len,
		 const void *addr, int addrlen, int flags);
int lk_sock_recv(struct socket *sock, void *buf, size_t len, int flags,
		 void *addr, int *addrlen);
int lk_sock_setsockopt(struct socket *sock, int level, int name,
		       const void *val, unsigned int len);
int lk_sock_name(struct socket *sock, bool peer, void *addr);
long lk_sock_timeout(struct socket *sock, bool send);
int lk_sock_wait(struct socket *sock, unsigned int events, long *ms);

/* Rust entry points (crates/kernel). */
int lunatik_rs_init(void **module);
void lunatik_rs_exit(void *module);
long lunatik_rs_live_allocations(void);
unsigned long lunatik_rs_memory_in_use(void);
int lunatik_rs_open(void *control, void **file);
void lunatik_rs_release(void *control, void *file);
ssize_t lunatik_rs_read(void *control, void *file, char __user *buf,
			size_t len);
ssize_t lunatik_rs_write(void *control, void *file, const char __user *buf,
			 size_t len);
void lunatik_rs_deferred_work(void);
int lunatik_rs_thread(void *cookie);
int lunatik_rs_device_open(unsigned int devt, void **file);
void lunatik_rs_device_release(void *file);
ssize_t lunatik_rs_device_read(void *file, char __user *buf, size_t len,
			       loff_t *pos);
ssize_t lunatik_rs_device_write(void *file, const char __user *buf,
				size_t len, loff_t *pos);
int lunatik_rs_stack_report(char *buf, size_t len);
int lunatik_rs_capi_create(const char *script, size_t len, int context,
			   void **out);
int lunatik_rs_capi_call(void *runtime, const char *func, size_t len,
			 const void *args, size_t nargs, long long *result);
void lunatik_rs_capi_stop(void *runtime);
void lunatik_rs_rcu_free(struct rcu_head *head);
unsigned int lunatik_rs_nf_hook(void *owner, struct sk_buff *skb);
int lunatik_rs_notifier_call(void *owner, unsigned long event, const char *name,
			     long a, long b, long c);
int lunatik_rs_hid_probe(void *owner, struct hid_device *hdev, size_t id);
void lunatik_rs_hid_report_fixup(void *owner, struct hid_device *hdev, u8 *buf,
				 unsigned int size);
int lunatik_rs_hid_raw_event(void *owner, struct hid_device *hdev, unsigned int id,
			     int type, unsigned int bits, unsigned int application,
			     unsigned int maxfield, u8 *data, int size);

/*
 * shim_crypto.c: kernel crypto transforms. Constructors return 0 and the
 * handle in *out, or a negative errno (-ENOENT for an unknown algorithm).
 */
struct shash_desc;
struct lk_skcipher;
struct lk_aead;
struct crypto_rng;
struct crypto_comp;
int lk_crypto_shash_new(const char *alg, struct shash_desc **out);
void lk_crypto_shash_free(struct shash_desc *desc);
const char *lk_crypto_shash_name(struct shash_desc *desc);
unsigned int lk_crypto_shash_size(struct shash_desc *desc, int which);
int lk_crypto_shash_setkey(struct shash_desc *desc, const u8 *key,
			   unsigned int len);
int lk_crypto_shash_digest(struct shash_desc *desc, const u8 *data,
			   unsigned int len, u8 *out);
int lk_crypto_shash_init(struct shash_desc *desc);
int lk_crypto_shash_update(struct shash_desc *desc, const u8 *data,
			   unsigned int len);
int lk_crypto_shash_final(struct shash_desc *desc, u8 *out);
int lk_crypto_shash_finup(struct shash_desc *desc, const u8 *data,
			  unsigned int len, u8 *out);
int lk_crypto_shash_export(struct shash_desc *desc, u8 *out);
int lk_crypto_shash_import(struct shash_desc *desc, const u8 *in);
int lk_crypto_skcipher_new(const char *alg, struct lk_skcipher **out);
void lk_crypto_skcipher_free(struct lk_skcipher *h);
const char *lk_crypto_skcipher_name(struct lk_skcipher *h);
unsigned int lk_crypto_skcipher_size(struct lk_skcipher *h, int which);
int lk_crypto_skcipher_setkey(struct lk_skcipher *h, const u8 *key,
			      unsigned int len);
int lk_crypto_skcipher_crypt(struct lk_skcipher *h, bool encrypt,
			     const u8 *iv, u8 *buf, unsigned int len);
int lk_crypto_aead_new(const char *alg, struct lk_aead **out);
void lk_crypto_aead_free(struct lk_aead *h);
const char *lk_crypto_aead_name(struct lk_aead *h);
unsigned int lk_crypto_aead_size(struct lk_aead *h, int which);
int lk_crypto_aead_setkey(struct lk_aead *h, const u8 *key, unsigned int len);
int lk_crypto_aead_setauthsize(struct lk_aead *h, unsigned int size);
int lk_crypto_aead_crypt(struct lk_aead *h, bool encrypt, const u8 *iv,
			 u8 *buf, unsigned int assoclen, unsigned int cryptlen);
int lk_crypto_rng_new(const char *alg, struct crypto_rng **out);
void lk_crypto_rng_free(struct crypto_rng *rng);
const char *lk_crypto_rng_name(struct crypto_rng *rng, int which);
unsigned int lk_crypto_rng_seedsize(struct crypto_rng *rng);
int lk_crypto_rng_generate(struct crypto_rng *rng, const u8 *seed,
			   unsigned int slen, u8 *dst, unsigned int dlen);
int lk_crypto_rng_reset(struct crypto_rng *rng, const u8 *seed,
			unsigned int slen);
int lk_crypto_comp_new(const char *alg, struct crypto_comp **out);
void lk_crypto_comp_free(struct crypto_comp *comp);
int lk_crypto_comp_run(struct crypto_comp *comp, bool compress, const u8 *src,
		       unsigned int slen, u8 *dst, unsigned int *dlen);

#endif /* LUNATIK_RS_H */
