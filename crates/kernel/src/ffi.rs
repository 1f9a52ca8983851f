//! The only `extern "C"` block: the shim functions declared in `kmod/lunatik_rs.h`.
//!
//! Kernel objects are opaque here: Rust holds pointers to zero-sized markers and never sees a
//! kernel struct's layout. Every function is a thin call into the kernel; the safety
//! contracts are on the wrappers that use them.

use core::ffi::{c_char, c_int, c_long, c_uint, c_ulong, c_void};
use core::marker::{PhantomData, PhantomPinned};

/// Declares a zero-sized marker for a C object that is `!Send`, `!Sync` and `!Unpin`.
macro_rules! opaque {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[repr(C)]
        pub(crate) struct $name {
            _data: [u8; 0],
            _marker: PhantomData<(*mut u8, PhantomPinned)>,
        }
    };
}

opaque!(
    /// A kernel `struct mutex`.
    Mutex
);
opaque!(
    /// A kernel `spinlock_t`.
    SpinLock
);

opaque!(
    /// A kernel `struct completion`.
    Completion
);

opaque!(
    /// A kernel `struct file`.
    File
);

/// Open flags of `lk_file_open` (`enum lk_file_flags`).
pub(crate) const LK_FILE_READ: c_uint = 1;
pub(crate) const LK_FILE_WRITE: c_uint = 2;
pub(crate) const LK_FILE_CREATE: c_uint = 4;
pub(crate) const LK_FILE_TRUNCATE: c_uint = 8;
pub(crate) const LK_FILE_APPEND: c_uint = 16;
/// `enum lk_seek_whence`.
pub(crate) const LK_SEEK_SET: c_int = 0;
pub(crate) const LK_SEEK_END: c_int = 1;

opaque!(
    /// A kernel `struct task_struct`.
    Task
);
opaque!(
    /// `struct lk_device` of `shim_device.c`: a character device and its node.
    Device
);

opaque!(
    /// A kernel `struct sk_buff`.
    SkBuff
);
opaque!(
    /// `struct lk_nf_hook` of `shim_netfilter.c`: a registered netfilter hook.
    NfHook
);
opaque!(
    /// `struct lk_notifier` of `shim_notifier.c`: a notifier block on a chain.
    Notifier
);
opaque!(
    /// `struct lk_hid` of `shim_hid.c`: a HID driver and its id table.
    HidDriver
);
opaque!(
    /// A kernel `struct hid_device`.
    HidDevice
);
/// `enum lk_notifier_kind`.
pub(crate) const LK_NOTIFIER_NETDEVICE: c_int = 0;
pub(crate) const LK_NOTIFIER_KEYBOARD: c_int = 1;
pub(crate) const LK_NOTIFIER_VTERM: c_int = 2;

opaque!(
    /// A kernel `struct socket`.
    Socket
);

/// `LK_SOCKADDR_SIZE` in `lunatik_rs.h`: bytes of a `struct sockaddr_storage`, checked
/// by a `static_assert` in `shim_socket.c`.
pub(crate) const SOCKADDR_SIZE: usize = 128;
/// `enum lk_sock_events` in `lunatik_rs.h`.
pub(crate) const SOCK_READ: c_uint = 1;
pub(crate) const SOCK_WRITE: c_uint = 2;

opaque!(
    /// A kernel `struct rcu_head`, in [`RCU_HEAD_SIZE`] bytes that Rust reserves.
    RcuHead
);

/// `LK_RCU_HEAD_SIZE` in `lunatik_rs.h`: the bytes (8-aligned) of a `struct rcu_head`,
/// checked by a `static_assert` in `shim_rcu.c`.
pub(crate) const RCU_HEAD_SIZE: usize = 16;

/// `enum lk_log_level` in `lunatik_rs.h`.
pub(crate) const LOG_ERR: c_int = 3;
pub(crate) const LOG_WARNING: c_int = 4;
pub(crate) const LOG_INFO: c_int = 6;

/// `enum lk_cpu_mask` in `lunatik_rs.h`.
pub(crate) const CPU_POSSIBLE: c_int = 0;
pub(crate) const CPU_PRESENT: c_int = 1;
pub(crate) const CPU_ONLINE: c_int = 2;

opaque!(
    /// A kernel `struct shash_desc` with its transform (shim_crypto.c).
    ShashDesc
);
opaque!(
    /// A symmetric cipher transform with its request and IV (shim_crypto.c).
    Skcipher
);
opaque!(
    /// An AEAD transform with its request and IV (shim_crypto.c).
    Aead
);
opaque!(
    /// A kernel `struct crypto_rng`.
    CryptoRng
);
opaque!(
    /// A kernel `struct crypto_comp`.
    CryptoComp
);

extern "C" {
    // shim_alloc.c
    pub(crate) fn lk_kmalloc(size: usize, atomic: bool) -> *mut u8;
    pub(crate) fn lk_krealloc(ptr: *mut u8, size: usize, atomic: bool) -> *mut u8;
    pub(crate) fn lk_kfree(ptr: *const u8);
    pub(crate) fn lk_cannot_sleep() -> bool;
    pub(crate) fn lk_atomic_scope_enter();
    pub(crate) fn lk_atomic_scope_exit();

    // shim_print.c
    pub(crate) fn lk_printk(level: c_int, text: *const c_char, len: usize);
    // Declared as returning although BUG() does not: see panic.rs.
    pub(crate) fn lk_bug();

    // shim_stack.c
    pub(crate) fn lk_stack_bottom() -> c_ulong;

    // shim_sync.c
    pub(crate) fn lk_mutex_size() -> usize;
    pub(crate) fn lk_mutex_init(lock: *mut Mutex);
    pub(crate) fn lk_mutex_destroy(lock: *mut Mutex);
    pub(crate) fn lk_mutex_lock(lock: *mut Mutex);
    pub(crate) fn lk_mutex_lock_interruptible(lock: *mut Mutex) -> c_int;
    pub(crate) fn lk_mutex_unlock(lock: *mut Mutex);
    pub(crate) fn lk_mutex_trylock(lock: *mut Mutex) -> c_int;
    pub(crate) fn lk_spinlock_size() -> usize;
    pub(crate) fn lk_spin_lock_init(lock: *mut SpinLock);
    pub(crate) fn lk_spin_lock_bh(lock: *mut SpinLock);
    pub(crate) fn lk_spin_unlock_bh(lock: *mut SpinLock);
    pub(crate) fn lk_spin_trylock_bh(lock: *mut SpinLock) -> bool;
    pub(crate) fn lk_spin_trylock_irqsave(lock: *mut SpinLock, flags: *mut c_ulong) -> bool;
    pub(crate) fn lk_spin_lock_irqsave(lock: *mut SpinLock) -> c_ulong;
    pub(crate) fn lk_spin_unlock_irqrestore(lock: *mut SpinLock, flags: c_ulong);
    pub(crate) fn lk_completion_size() -> usize;
    pub(crate) fn lk_completion_init(c: *mut Completion);
    pub(crate) fn lk_complete(c: *mut Completion);
    pub(crate) fn lk_completion_wait(c: *mut Completion, ms: c_uint) -> c_long;

    // shim_cpu.c
    pub(crate) fn lk_cpu_count(which: c_int) -> c_uint;
    pub(crate) fn lk_cpu_next(which: c_int, prev: c_int) -> c_uint;
    pub(crate) fn lk_cpu_stats(cpu: c_uint, out: *mut u64, n: c_int) -> c_int;

    // shim_signal.c
    pub(crate) fn lk_signal_mask(sig: c_int, how: c_int) -> c_int;
    pub(crate) fn lk_signal_pending() -> bool;
    pub(crate) fn lk_signal_state(sig: c_int, which: c_int) -> bool;
    pub(crate) fn lk_signal_kill(pid: c_int, sig: c_int) -> c_int;

    // shim_worker.c
    pub(crate) fn lk_run_on_worker(
        f: unsafe extern "C" fn(*mut c_void),
        abort: unsafe extern "C" fn(*mut c_void),
        arg: *mut c_void,
    );

    // shim_control.c
    pub(crate) fn lk_control_register(control: *mut c_void) -> c_int;
    pub(crate) fn lk_control_deregister();
    pub(crate) fn lk_copy_from_user(dst: *mut c_void, src: *const c_void, len: c_ulong) -> c_ulong;
    pub(crate) fn lk_copy_to_user(dst: *mut c_void, src: *const c_void, len: c_ulong) -> c_ulong;

    // shim_runtime.c
    pub(crate) fn lk_cond_resched();
    pub(crate) fn lk_fatal_signal_pending() -> bool;
    pub(crate) fn lk_irqs_disabled() -> bool;
    pub(crate) fn lk_in_hardirq() -> bool;
    pub(crate) fn lk_current_task() -> *mut c_void;
    pub(crate) fn lk_param_memory_limit() -> c_ulong;
    pub(crate) fn lk_param_fuel_slice() -> c_ulong;
    pub(crate) fn lk_param_total_memory_limit() -> c_ulong;
    pub(crate) fn lk_param_allow_binary() -> bool;
    pub(crate) fn lk_param_stats() -> bool;
    pub(crate) fn lk_work_schedule();
    pub(crate) fn lk_work_flush();

    // shim_file.c
    pub(crate) fn lk_file_open(path: *const c_char, flags: c_uint, out: *mut *mut File) -> c_int;
    pub(crate) fn lk_file_read(
        file: *mut File,
        buf: *mut c_void,
        len: usize,
        pos: *mut i64,
    ) -> isize;
    pub(crate) fn lk_file_write(
        file: *mut File,
        buf: *const c_void,
        len: usize,
        pos: *mut i64,
    ) -> isize;
    pub(crate) fn lk_file_llseek(file: *mut File, offset: i64, whence: c_int) -> i64;
    pub(crate) fn lk_file_is_dir(file: *mut File) -> bool;
    pub(crate) fn lk_file_close(file: *mut File);

    // shim_linux.c
    pub(crate) fn lk_time_ns() -> i64;
    pub(crate) fn lk_clock_ns() -> u64;
    pub(crate) fn lk_random_u64() -> u64;
    pub(crate) fn lk_schedule_ms(ms: c_long, forever: bool, state: c_int) -> c_long;
    pub(crate) fn lk_tracing(on: c_int) -> bool;
    pub(crate) fn lk_lookup(name: *const c_char) -> c_ulong;
    pub(crate) fn lk_ifaddr(ifindex: c_int, buf: *mut u8, len: usize) -> c_int;
    pub(crate) fn lk_ifindex(name: *const c_char) -> c_int;
    pub(crate) fn lk_numcpus() -> c_uint;

    // shim_syscall.c
    pub(crate) fn lk_syscall_resolve() -> c_int;
    pub(crate) fn lk_syscall_address(nr: c_long) -> c_ulong;
    pub(crate) fn lk_syscall_count() -> c_long;

    // shim_thread.c
    pub(crate) fn lk_thread_run(
        cookie: *mut c_void,
        name: *const c_char,
        out: *mut *mut Task,
    ) -> c_int;
    pub(crate) fn lk_thread_stop(task: *mut Task) -> c_int;
    pub(crate) fn lk_thread_should_stop() -> bool;
    pub(crate) fn lk_is_kthread() -> bool;
    pub(crate) fn lk_task_get_current() -> *mut Task;
    pub(crate) fn lk_task_put(task: *mut Task);
    pub(crate) fn lk_task_info(
        task: *mut Task,
        pid: *mut c_int,
        tgid: *mut c_int,
        cpu: *mut c_int,
        comm: *mut c_char,
        len: usize,
    );

    // shim_device.c
    pub(crate) fn lk_device_class_create() -> c_int;
    pub(crate) fn lk_device_class_destroy();
    pub(crate) fn lk_device_create(
        name: *const c_char,
        mode: c_uint,
        out: *mut *mut Device,
        devt: *mut c_uint,
    ) -> c_int;
    pub(crate) fn lk_device_destroy(dev: *mut Device);

    // shim_rcu.c
    pub(crate) fn lk_rcu_read_lock();
    pub(crate) fn lk_rcu_read_unlock();
    pub(crate) fn lk_call_rcu(head: *mut RcuHead);
    pub(crate) fn lk_rcu_barrier();
    pub(crate) fn lk_kvcalloc(n: usize, size: usize, atomic: bool) -> *mut c_void;
    pub(crate) fn lk_kvfree(ptr: *const c_void);
    // shim_crypto.c
    pub(crate) fn lk_crypto_shash_new(alg: *const c_char, out: *mut *mut ShashDesc) -> c_int;
    pub(crate) fn lk_crypto_shash_free(desc: *mut ShashDesc);
    pub(crate) fn lk_crypto_shash_name(desc: *mut ShashDesc) -> *const c_char;
    pub(crate) fn lk_crypto_shash_size(desc: *mut ShashDesc, which: c_int) -> c_uint;
    pub(crate) fn lk_crypto_shash_setkey(
        desc: *mut ShashDesc,
        key: *const u8,
        len: c_uint,
    ) -> c_int;
    pub(crate) fn lk_crypto_shash_digest(
        desc: *mut ShashDesc,
        data: *const u8,
        len: c_uint,
        out: *mut u8,
    ) -> c_int;
    pub(crate) fn lk_crypto_shash_init(desc: *mut ShashDesc) -> c_int;
    pub(crate) fn lk_crypto_shash_update(
        desc: *mut ShashDesc,
        data: *const u8,
        len: c_uint,
    ) -> c_int;
    pub(crate) fn lk_crypto_shash_final(desc: *mut ShashDesc, out: *mut u8) -> c_int;
    pub(crate) fn lk_crypto_shash_finup(
        desc: *mut ShashDesc,
        data: *const u8,
        len: c_uint,
        out: *mut u8,
    ) -> c_int;
    pub(crate) fn lk_crypto_shash_export(desc: *mut ShashDesc, out: *mut u8) -> c_int;
    pub(crate) fn lk_crypto_shash_import(desc: *mut ShashDesc, state: *const u8) -> c_int;
    pub(crate) fn lk_crypto_skcipher_new(alg: *const c_char, out: *mut *mut Skcipher) -> c_int;
    pub(crate) fn lk_crypto_skcipher_free(h: *mut Skcipher);
    pub(crate) fn lk_crypto_skcipher_name(h: *mut Skcipher) -> *const c_char;
    pub(crate) fn lk_crypto_skcipher_size(h: *mut Skcipher, which: c_int) -> c_uint;
    pub(crate) fn lk_crypto_skcipher_setkey(h: *mut Skcipher, key: *const u8, len: c_uint)
        -> c_int;
    pub(crate) fn lk_crypto_skcipher_crypt(
        h: *mut Skcipher,
        encrypt: bool,
        iv: *const u8,
        buf: *mut u8,
        len: c_uint,
    ) -> c_int;
    pub(crate) fn lk_crypto_aead_new(alg: *const c_char, out: *mut *mut Aead) -> c_int;
    pub(crate) fn lk_crypto_aead_free(h: *mut Aead);
    pub(crate) fn lk_crypto_aead_name(h: *mut Aead) -> *const c_char;
    pub(crate) fn lk_crypto_aead_size(h: *mut Aead, which: c_int) -> c_uint;
    pub(crate) fn lk_crypto_aead_setkey(h: *mut Aead, key: *const u8, len: c_uint) -> c_int;
    pub(crate) fn lk_crypto_aead_setauthsize(h: *mut Aead, size: c_uint) -> c_int;
    pub(crate) fn lk_crypto_aead_crypt(
        h: *mut Aead,
        encrypt: bool,
        iv: *const u8,
        buf: *mut u8,
        assoclen: c_uint,
        cryptlen: c_uint,
    ) -> c_int;
    pub(crate) fn lk_crypto_rng_new(alg: *const c_char, out: *mut *mut CryptoRng) -> c_int;
    pub(crate) fn lk_crypto_rng_free(rng: *mut CryptoRng);
    pub(crate) fn lk_crypto_rng_name(rng: *mut CryptoRng, which: c_int) -> *const c_char;
    pub(crate) fn lk_crypto_rng_seedsize(rng: *mut CryptoRng) -> c_uint;
    pub(crate) fn lk_crypto_rng_generate(
        rng: *mut CryptoRng,
        seed: *const u8,
        slen: c_uint,
        dst: *mut u8,
        dlen: c_uint,
    ) -> c_int;
    pub(crate) fn lk_crypto_rng_reset(rng: *mut CryptoRng, seed: *const u8, slen: c_uint) -> c_int;
    pub(crate) fn lk_crypto_comp_new(alg: *const c_char, out: *mut *mut CryptoComp) -> c_int;
    pub(crate) fn lk_crypto_comp_free(comp: *mut CryptoComp);
    pub(crate) fn lk_crypto_comp_run(
        comp: *mut CryptoComp,
        compress: bool,
        src: *const u8,
        slen: c_uint,
        dst: *mut u8,
        dlen: *mut c_uint,
    ) -> c_int;

    // shim_netfilter.c
    pub(crate) fn lk_nf_register(
        pf: c_int,
        hooknum: c_int,
        priority: c_int,
        mark: u32,
        owner: *mut c_void,
        err: *mut c_int,
    ) -> *mut NfHook;
    pub(crate) fn lk_nf_unregister(hook: *mut NfHook);

    // shim_notifier.c
    pub(crate) fn lk_notifier_register(
        kind: c_int,
        owner: *mut c_void,
        err: *mut c_int,
    ) -> *mut Notifier;
    pub(crate) fn lk_notifier_unregister(notifier: *mut Notifier);

    // shim_hid.c
    pub(crate) fn lk_hid_new(
        owner: *mut c_void,
        name: *const u8,
        len: usize,
        nids: usize,
        probe: bool,
        fixup: bool,
        raw: bool,
    ) -> *mut HidDriver;
    pub(crate) fn lk_hid_set_id(
        hid: *mut HidDriver,
        i: usize,
        bus: u16,
        group: u16,
        vendor: u32,
        product: u32,
        driver_data: core::ffi::c_ulong,
    );
    pub(crate) fn lk_hid_register(hid: *mut HidDriver) -> c_int;
    pub(crate) fn lk_hid_free(hid: *mut HidDriver);
    pub(crate) fn lk_hid_device_info(
        hdev: *const HidDevice,
        bus: *mut u16,
        group: *mut u16,
        vendor: *mut u32,
        product: *mut u32,
        version: *mut u32,
        name: *mut *const core::ffi::c_char,
    );
    pub(crate) fn lk_skb_len(skb: *const SkBuff) -> c_uint;
    pub(crate) fn lk_skb_set_mark(skb: *mut SkBuff, mark: u32);
    pub(crate) fn lk_skb_ifindex(skb: *const SkBuff) -> c_int;
    pub(crate) fn lk_skb_vlan(skb: *const SkBuff) -> c_int;
    pub(crate) fn lk_skb_linear(
        skb: *mut SkBuff,
        mac: c_int,
        ptr: *mut *mut u8,
        len: *mut usize,
    ) -> c_int;
    pub(crate) fn lk_skb_resize(skb: *mut SkBuff, n: c_uint) -> c_int;
    pub(crate) fn lk_skb_checksum(skb: *mut SkBuff);
    pub(crate) fn lk_skb_forward(skb: *mut SkBuff) -> c_int;
    pub(crate) fn lk_skb_copy(skb: *mut SkBuff, err: *mut c_int) -> *mut SkBuff;
    pub(crate) fn lk_skb_free(skb: *mut SkBuff);
    pub(crate) fn lk_skb_connmark(skb: *mut SkBuff, set: c_int, mark: *mut u32) -> c_int;

    // shim_socket.c
    pub(crate) fn lk_sock_create(
        family: c_int,
        kind: c_int,
        proto: c_int,
        out: *mut *mut Socket,
    ) -> c_int;
    pub(crate) fn lk_sock_release(sock: *mut Socket);
    pub(crate) fn lk_sock_bind(sock: *mut Socket, addr: *const u8, len: c_int) -> c_int;
    pub(crate) fn lk_sock_listen(sock: *mut Socket, backlog: c_int) -> c_int;
    pub(crate) fn lk_sock_accept(sock: *mut Socket, out: *mut *mut Socket, flags: c_int) -> c_int;
    pub(crate) fn lk_sock_connect(
        sock: *mut Socket,
        addr: *const u8,
        len: c_int,
        flags: c_int,
    ) -> c_int;
    pub(crate) fn lk_sock_send(
        sock: *mut Socket,
        buf: *const u8,
        len: usize,
        addr: *const u8,
        addrlen: c_int,
        flags: c_int,
    ) -> c_int;
    pub(crate) fn lk_sock_recv(
        sock: *mut Socket,
        buf: *mut u8,
        len: usize,
        flags: c_int,
        addr: *mut u8,
        addrlen: *mut c_int,
    ) -> c_int;
    pub(crate) fn lk_sock_setsockopt(
        sock: *mut Socket,
        level: c_int,
        name: c_int,
        val: *const u8,
        len: c_uint,
    ) -> c_int;
    pub(crate) fn lk_sock_name(sock: *mut Socket, peer: bool, addr: *mut u8) -> c_int;
    pub(crate) fn lk_sock_timeout(sock: *mut Socket, send: bool) -> c_long;
    pub(crate) fn lk_sock_wait(sock: *mut Socket, events: c_uint, ms: *mut c_long) -> c_int;
}
