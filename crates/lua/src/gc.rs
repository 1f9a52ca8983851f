//! The collector's object model: headers, typed handles, allocation with per-state
//! accounting, and the incremental tri-colour mark & sweep.
//!
//! Every collectable object is a `GcBox<T>`: a `GcHeader` followed by the payload. All
//! objects of a state are linked through `GcHeader::next` (the "all objects" list, swept
//! in place). Objects that have references to others are linked through `gray_next`
//! while gray, so marking never allocates.
//!
//! Colours (`GcHeader::mark`): an object is *white* when its white bit matches the
//! heap's current white, *gray* when marked but not yet traversed (it is on a gray list),
//! and *black* when traversed. Invariant while marking: no black object points to a white
//! one. Writes that could break it go through a barrier: tables and threads use the
//! backward barrier (the black object becomes gray again), everything else the forward
//! barrier (the white object is marked). The sweep flips the meaning of white so that
//! objects created during the sweep survive it.
//!
//! A collection step only runs at safe points chosen by the VM, when every live value is
//! reachable from the roots (thread stacks, the registry, type metatables). Native code
//! may therefore hold handles in Rust locals between safe points without rooting them.

use core::alloc::Layout;
use core::cell::Cell;
use core::marker::PhantomData;
use core::ptr::NonNull;

use crate::pool::Pool;
use crate::tvec::AllocError;

/// What a `GcBox` holds; the sweep uses it to drop and free the right type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    Str,
    Table,
    LuaClosure,
    NativeClosure,
    Proto,
    UpVal,
    UserData,
    Thread,
}

/// A link of an object list: a list head, or the `next` cell of an object.
type Link = Cell<Option<NonNull<GcHeader>>>;

/// Header of every collectable object.
#[repr(C)]
pub struct GcHeader {
    next: Cell<Option<NonNull<GcHeader>>>,
    gray_next: Cell<Option<NonNull<GcHeader>>>,
    kind: Kind,
    mark: Cell<u8>,
}

// Bits of `GcHeader::mark`.
const WHITE0: u8 = 1 << 0;
const WHITE1: u8 = 1 << 1;
const BLACK: u8 = 1 << 2;
/// The object has a `__gc` metamethod and has not been finalized yet.
const FINALIZE: u8 = 1 << 3;
/// The object is fixed: never collected (metamethod names, reserved words).
const FIXED: u8 = 1 << 4;
const WHITES: u8 = WHITE0 | WHITE1;

impl GcHeader {
    #[inline]
    pub fn kind(&self) -> Kind {
        self.kind
    }
}

/// A collectable object: header then payload.
#[repr(C)]
pub struct GcBox<T: ?Sized> {
    pub(crate) header: GcHeader,
    pub(crate) value: T,
}

/// A handle to a collected object. Copying it does not keep the object alive: only
/// reachability from the roots at a collection step does.
pub struct Gc<T> {
    ptr: NonNull<GcBox<T>>,
    _marker: PhantomData<*const T>,
}

impl<T> Clone for Gc<T> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Gc<T> {}

impl<T> PartialEq for Gc<T> {
    #[inline(always)]
    fn eq(&self, other: &Self) -> bool {
        self.ptr == other.ptr
    }
}
impl<T> Eq for Gc<T> {}

impl<T> core::fmt::Debug for Gc<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Gc({:p})", self.ptr)
    }
}

impl<T> Gc<T> {
    /// The object's address, for identity hashing and `%p`-style printing.
    #[inline(always)]
    pub fn addr(self) -> usize {
        self.ptr.as_ptr() as usize
    }

    #[inline(always)]
    pub(crate) fn header(self) -> &'static GcHeader {
        // SAFETY: a `Gc` is only created for a live object, and objects are freed only by
        // the sweep, which runs at safe points where no unreachable handle is used again.
        unsafe { &(*self.ptr.as_ptr()).header }
    }

    #[inline(always)]
    pub(crate) fn as_header_ptr(self) -> NonNull<GcHeader> {
        self.ptr.cast()
    }

    /// Rebuilds a handle from a header pointer.
    ///
    /// # Safety
    /// `h` must be the header of a live `GcBox<T>`.
    #[inline(always)]
    pub(crate) unsafe fn from_header(h: NonNull<GcHeader>) -> Self {
        Gc {
            ptr: h.cast(),
            _marker: PhantomData,
        }
    }

    /// Mutable access to the payload.
    ///
    /// # Safety
    /// No other reference to the payload may be alive while the result is used; the VM is
    /// single-threaded and every caller keeps the borrow local to one operation.
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub(crate) unsafe fn get_mut<'a>(self) -> &'a mut T {
        // SAFETY: the object is live (see `header`); exclusivity and the lifetime are the
        // caller's promise.
        unsafe { &mut (*self.ptr.as_ptr()).value }
    }

    #[inline(always)]
    pub(crate) fn raw(self) -> *mut GcBox<T> {
        self.ptr.as_ptr()
    }
}

impl<T> core::ops::Deref for Gc<T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        // SAFETY: the object is live (see `header`).
        unsafe { &(*self.ptr.as_ptr()).value }
    }
}

/// Memory accounting and the object lists of one state.
pub struct Heap {
    all: Cell<Option<NonNull<GcHeader>>>,
    /// Objects with a `__gc` not yet called, kept apart from `all` (PUC's `finobj`).
    finobj: Cell<Option<NonNull<GcHeader>>>,
    /// Unreachable objects whose `__gc` must run (PUC's `tobefnz`), in order.
    tobefnz: Cell<Option<NonNull<GcHeader>>>,
    gray: Cell<Option<NonNull<GcHeader>>>,
    /// Black objects written to during marking; traversed again in the atomic phase.
    gray_again: Cell<Option<NonNull<GcHeader>>>,
    /// Weak tables found in the atomic phase (linked through `gray_next`).
    weak: Cell<Option<NonNull<GcHeader>>>,
    current_white: Cell<u8>,
    /// Bytes allocated and still live (by our accounting).
    bytes: Cell<usize>,
    /// Allocation limit in bytes; 0 means unlimited.
    limit: Cell<usize>,
    /// Bytes that may be allocated before the next collector step.
    debt: Cell<isize>,
    pub(crate) phase: Cell<Phase>,
    /// Sweep cursor: the link to continue sweeping from.
    sweep_cursor: Cell<Option<NonNull<Link>>>,
    /// Which list the sweep is on: 0 all objects, 1 `finobj`, 2 `tobefnz`, 3 done.
    sweep_list: Cell<u8>,
    /// Collector parameters (percent values, like `collectgarbage("param")`).
    pub(crate) pause: Cell<u32>,
    pub(crate) step_mul: Cell<u32>,
    pub(crate) step_size: Cell<u32>,
    pub(crate) running: Cell<bool>,
    /// Mode last selected with `collectgarbage`; the collector is always incremental.
    pub(crate) generational: Cell<bool>,
    /// Parameters of the generational mode, kept for `collectgarbage("param")`.
    pub(crate) gen_params: Cell<[u32; 3]>,
    /// Total bytes ever allocated (diagnostics).
    pub(crate) estimate: Cell<usize>,
    /// Live objects, for leak checks and `collectgarbage("count")`-style reporting.
    objects: Cell<usize>,
    /// GC stress mode (`Lua::set_gc_stress`, for tests and fuzzing): `Some(steps taken)`
    /// makes every safe point run a tiny step (the debt stays at 0), with a full
    /// collection every `STRESS_FULL_EVERY` steps.
    stress: Cell<Option<u32>>,
    /// Freed small boxes kept for reuse; their bytes count against `limit`.
    pool: Pool,
}

/// GC stress mode: objects traversed or swept per step.
pub(crate) const STRESS_WORK: usize = 2;
/// GC stress mode: every this many steps, a full collection instead.
pub(crate) const STRESS_FULL_EVERY: u32 = 64;

/// Collector phases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Nothing in progress; the next step starts a cycle by marking the roots.
    Pause,
    /// Traversing gray objects.
    Propagate,
    /// Sweeping the lists.
    Sweep,
    /// Cycle done; finalizers may be pending.
    CallFin,
}

/// Outcome of an allocation request against the limit.
pub type AllocResult<T> = Result<T, AllocError>;

impl Heap {
    pub fn new() -> Self {
        Heap {
            all: Cell::new(None),
            finobj: Cell::new(None),
            tobefnz: Cell::new(None),
            gray: Cell::new(None),
            gray_again: Cell::new(None),
            weak: Cell::new(None),
            current_white: Cell::new(WHITE0),
            bytes: Cell::new(0),
            limit: Cell::new(0),
            debt: Cell::new(64 * 1024),
            phase: Cell::new(Phase::Pause),
            sweep_cursor: Cell::new(None),
            sweep_list: Cell::new(0),
            pause: Cell::new(200),
            step_mul: Cell::new(200),
            step_size: Cell::new(8 * 1024),
            running: Cell::new(true),
            generational: Cell::new(false),
            gen_params: Cell::new([20, 100, 100]),
            estimate: Cell::new(0),
            objects: Cell::new(0),
            stress: Cell::new(None),
            pool: Pool::new(),
        }
    }

    /// Bytes currently accounted to this state.
    pub fn bytes(&self) -> usize {
        self.bytes.get()
    }

    /// Live collectable objects.
    pub fn objects(&self) -> usize {
        self.objects.get()
    }

    /// Sets the memory limit (0: unlimited).
    pub fn set_limit(&self, limit: usize) {
        self.limit.set(limit);
    }

    pub fn limit(&self) -> usize {
        self.limit.get()
    }

    /// Charges `n` bytes, failing if that would pass the limit.
    #[inline]
    pub fn charge(&self, n: usize) -> AllocResult<()> {
        let new = self.bytes.get().checked_add(n).ok_or(AllocError)?;
        let limit = self.limit.get();
        if limit != 0 && new.saturating_add(self.pool.bytes()) > limit {
            // Pooled blocks are real memory: give them back before refusing.
            self.pool.drain();
            if new > limit {
                return Err(AllocError);
            }
        }
        self.bytes.set(new);
        self.debt.set(self.debt.get() - n as isize);
        Ok(())
    }

    /// The free lists small boxes and table parts are allocated from.
    #[inline(always)]
    pub(crate) fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Returns `n` bytes to the budget.
    #[inline]
    pub fn release(&self, n: usize) {
        self.bytes.set(self.bytes.get().saturating_sub(n));
    }

    /// Bytes allocated since the debt was last set to `step` (at least `step` once the
    /// debt is due).
    pub(crate) fn allocated_since_step(&self, step: usize) -> usize {
        step.saturating_add(self.debt.get().min(0).unsigned_abs())
    }

    /// True when enough was allocated since the last step that the collector should run.
    #[inline(always)]
    pub fn should_step(&self) -> bool {
        self.debt.get() <= 0
    }

    pub(crate) fn set_debt(&self, debt: isize) {
        // Under stress, no allowance: the next safe point steps again.
        self.debt
            .set(if self.stress.get().is_some() { 0 } else { debt });
    }

    /// Turns GC stress mode on or off.
    pub(crate) fn set_stress(&self, on: bool) {
        self.stress.set(if on { Some(0) } else { None });
        self.set_debt(64 * 1024);
    }

    /// Counts a step under stress mode: `None` when off, else `Some(true)` when this
    /// step must be a full collection.
    pub(crate) fn stress_tick(&self) -> Option<bool> {
        let n = self.stress.get()?.wrapping_add(1);
        self.stress.set(Some(n));
        Some(n.is_multiple_of(STRESS_FULL_EVERY))
    }

    /// Allocates a `GcBox<T>` plus `extra` trailing bytes, links it in the all-objects
    /// list as white, and charges it.
    ///
    /// # Errors
    /// `AllocError` past the limit or when the system allocator fails; nothing is
    /// charged then.
    pub(crate) fn alloc_box<T>(&self, kind: Kind, value: T, extra: usize) -> AllocResult<Gc<T>> {
        let layout = box_layout::<T>(extra).ok_or(AllocError)?;
        self.charge(layout.size())?;
        let raw = self.pool.alloc(layout) as *mut GcBox<T>;
        let Some(ptr) = NonNull::new(raw) else {
            self.release(layout.size());
            return Err(AllocError);
        };
        let header = GcHeader {
            next: Cell::new(self.all.get()),
            gray_next: Cell::new(None),
            kind,
            mark: Cell::new(self.current_white.get()),
        };
        // SAFETY: `ptr` is freshly allocated with room for a `GcBox<T>`.
        unsafe { ptr.as_ptr().write(GcBox { header, value }) };
        self.all.set(Some(ptr.cast()));
        self.objects.set(self.objects.get() + 1);
        self.estimate
            .set(self.estimate.get().wrapping_add(layout.size()));
        Ok(Gc {
            ptr,
            _marker: PhantomData,
        })
    }

    // ---- colours ----

    #[inline(always)]
    pub(crate) fn is_white(&self, h: &GcHeader) -> bool {
        h.mark.get() & WHITES != 0
    }

    #[inline(always)]
    pub(crate) fn is_black(h: &GcHeader) -> bool {
        h.mark.get() & BLACK != 0
    }

    /// White of the previous cycle: dead once the sweep reaches it.
    #[inline(always)]
    fn is_dead(&self, h: &GcHeader) -> bool {
        h.mark.get() & WHITES & !self.current_white.get() != 0 && h.mark.get() & FIXED == 0
    }

    /// Brings back an object the sweep has not reached yet (an interned string that is
    /// found again before being freed).
    #[inline]
    pub(crate) fn revive(&self, h: &GcHeader) {
        if self.is_dead(h) {
            self.make_white(h);
        }
    }

    #[inline(always)]
    fn make_white(&self, h: &GcHeader) {
        h.mark
            .set((h.mark.get() & !(WHITES | BLACK)) | self.current_white.get());
    }

    #[inline(always)]
    fn make_gray(h: &GcHeader) {
        h.mark.set(h.mark.get() & !(WHITES | BLACK));
    }

    #[inline(always)]
    pub(crate) fn make_black(h: &GcHeader) {
        h.mark.set((h.mark.get() & !WHITES) | BLACK);
    }

    /// Marks an object as never collected.
    pub(crate) fn fix(&self, h: &GcHeader) {
        h.mark.set(h.mark.get() | FIXED);
    }

    /// Marks a white object: leaves (strings) turn black, the rest gray.
    #[inline]
    pub(crate) fn mark_header(&self, h: NonNull<GcHeader>) {
        // SAFETY: callers pass headers of live objects reached from the roots.
        let hr = unsafe { h.as_ref() };
        if !self.is_white(hr) {
            return;
        }
        if hr.kind == Kind::Str {
            Self::make_black(hr);
        } else {
            Self::make_gray(hr);
            hr.gray_next.set(self.gray.get());
            self.gray.set(Some(h));
        }
    }

    /// Pops the next gray object.
    pub(crate) fn pop_gray(&self) -> Option<NonNull<GcHeader>> {
        let h = self.gray.get()?;
        // SAFETY: only live objects are on the gray list.
        let next = unsafe { h.as_ref() }.gray_next.get();
        self.gray.set(next);
        Some(h)
    }

    pub(crate) fn pop_gray_again(&self) -> Option<NonNull<GcHeader>> {
        let h = self.gray_again.get()?;
        // SAFETY: only live objects are on the gray-again list.
        let next = unsafe { h.as_ref() }.gray_next.get();
        self.gray_again.set(next);
        Some(h)
    }

    /// Keeps a (weak) table gray and puts it on the gray-again list for the atomic phase.
    pub(crate) fn defer_to_atomic(&self, h: NonNull<GcHeader>) {
        // SAFETY: `h` is a live object being traversed.
        let hr = unsafe { h.as_ref() };
        Self::make_gray(hr);
        hr.gray_next.set(self.gray_again.get());
        self.gray_again.set(Some(h));
    }

    /// Links a weak table on the atomic phase's weak list.
    pub(crate) fn push_weak(&self, h: NonNull<GcHeader>) {
        // SAFETY: `h` is live.
        unsafe { h.as_ref() }.gray_next.set(self.weak.get());
        self.weak.set(Some(h));
    }

    /// Walks the weak list.
    pub(crate) fn for_each_weak(&self, f: &mut dyn FnMut(NonNull<GcHeader>)) {
        let mut cur = self.weak.get();
        while let Some(h) = cur {
            // SAFETY: list members are live.
            cur = unsafe { h.as_ref() }.gray_next.get();
            f(h);
        }
    }

    /// Empties the weak list.
    pub(crate) fn clear_weak(&self) {
        self.weak.set(None);
    }

    /// True if a value is a collectable object that is still white (unmarked).
    #[inline]
    pub(crate) fn is_white_value(&self, h: NonNull<GcHeader>) -> bool {
        // SAFETY: `h` comes from a live value.
        self.is_white(unsafe { h.as_ref() })
    }

    pub(crate) fn has_gray(&self) -> bool {
        self.gray.get().is_some()
    }

    /// Backward barrier: a black object `h` now refers to a white one; make `h` gray
    /// again so the atomic phase traverses it once more.
    #[cold]
    pub(crate) fn barrier_back(&self, h: NonNull<GcHeader>) {
        // SAFETY: `h` is a live object the mutator just wrote to.
        let hr = unsafe { h.as_ref() };
        if Self::is_black(hr) {
            Self::make_gray(hr);
            hr.gray_next.set(self.gray_again.get());
            self.gray_again.set(Some(h));
        }
    }

    /// True while the black-to-white invariant must be kept.
    #[inline(always)]
    pub(crate) fn keeps_invariant(&self) -> bool {
        self.phase.get() == Phase::Propagate
    }

    // ---- sweeping ----

    /// Starts a sweep: flips the current white so that the objects that stayed white in
    /// this cycle are now "dead" and new objects are born with the new white.
    pub(crate) fn begin_sweep(&self) {
        self.current_white.set(self.current_white.get() ^ WHITES);
        self.sweep_cursor.set(Some(NonNull::from(&self.all)));
        self.sweep_list.set(0);
        self.phase.set(Phase::Sweep);
    }

    /// Sweeps up to `budget` objects, freeing dead ones through `free`. Returns true
    /// when the sweep is complete.
    pub(crate) fn sweep_step(
        &self,
        mut budget: usize,
        free: &mut dyn FnMut(NonNull<GcHeader>),
    ) -> bool {
        loop {
            let Some(link) = self.sweep_cursor.get() else {
                // `finobj` and `tobefnz` hold no dead objects (unreachable ones with
                // finalizers were resurrected), but their marks must be reset too.
                let next = self.sweep_list.get() + 1;
                self.sweep_list.set(next);
                match next {
                    1 => self.sweep_cursor.set(Some(NonNull::from(&self.finobj))),
                    2 => self.sweep_cursor.set(Some(NonNull::from(&self.tobefnz))),
                    _ => return true,
                }
                continue;
            };
            // SAFETY: `link` is either a list head in `self` or the `next` cell of a
            // live object; objects are only unlinked here.
            let link_ref = unsafe { link.as_ref() };
            let Some(obj) = link_ref.get() else {
                self.sweep_cursor.set(None);
                continue;
            };
            if budget == 0 {
                return false;
            }
            budget -= 1;
            // SAFETY: objects on the lists are live until freed below.
            let hr = unsafe { obj.as_ref() };
            // The walk is a chain of cache misses: start loading the next header while
            // this object is freed or re-whitened.
            if let Some(next) = hr.next.get() {
                prefetch(next.as_ptr() as *const u8);
            }
            if self.is_dead(hr) {
                link_ref.set(hr.next.get());
                self.objects.set(self.objects.get().saturating_sub(1));
                free(obj);
            } else {
                self.make_white(hr);
                self.sweep_cursor.set(Some(NonNull::from(&hr.next)));
            }
        }
    }

    /// Walks every object (for freeing the whole state).
    pub(crate) fn take_all(&self) -> Option<NonNull<GcHeader>> {
        let mut head = self.all.take();
        // Append the finalizer lists so everything is freed.
        for list in [&self.finobj, &self.tobefnz] {
            while let Some(h) = list.take() {
                // SAFETY: list members are live objects.
                let hr = unsafe { h.as_ref() };
                list.set(hr.next.get());
                hr.next.set(head);
                head = Some(h);
            }
        }
        self.objects.set(0);
        head
    }

    /// The object after `h` in a list returned by `take_all`.
    pub(crate) fn next_of(h: NonNull<GcHeader>) -> Option<NonNull<GcHeader>> {
        // SAFETY: callers pass live objects from `take_all`'s list.
        unsafe { h.as_ref() }.next.get()
    }

    // ---- finalizers ----

    /// Moves `obj` from the all-objects list to `finobj`, marking it as needing `__gc`
    /// (`luaC_checkfinalizer`). Does nothing if it is already there.
    pub(crate) fn register_finalizer(&self, obj: NonNull<GcHeader>) {
        // SAFETY: `obj` is live.
        let hr = unsafe { obj.as_ref() };
        if hr.mark.get() & FINALIZE != 0 {
            return;
        }
        // Finding the predecessor is linear, as in PUC Lua (it is rare).
        let mut link: &Cell<Option<NonNull<GcHeader>>> = &self.all;
        while let Some(cur) = link.get() {
            if cur == obj {
                if self.phase.get() == Phase::Sweep {
                    if let Some(cursor) = self.sweep_cursor.get() {
                        if core::ptr::eq(cursor.as_ptr(), &hr.next) {
                            self.sweep_cursor.set(Some(NonNull::from(link)));
                        }
                    }
                }
                link.set(hr.next.get());
                hr.next.set(self.finobj.get());
                self.finobj.set(Some(obj));
                hr.mark.set(hr.mark.get() | FINALIZE);
                return;
            }
            // SAFETY: list members are live.
            link = unsafe { &cur.as_ref().next };
        }
    }

    /// After marking: moves every unreachable object of `finobj` to `tobefnz` (PUC's
    /// `separatetobefnz`), in creation order, and returns how many moved.
    pub(crate) fn separate_unreachable(&self) -> usize {
        let mut moved = 0;
        let mut link: &Cell<Option<NonNull<GcHeader>>> = &self.finobj;
        // Find the tail of tobefnz so order is kept.
        let mut tail: &Cell<Option<NonNull<GcHeader>>> = &self.tobefnz;
        while let Some(t) = tail.get() {
            // SAFETY: list members are live.
            tail = unsafe { &t.as_ref().next };
        }
        while let Some(cur) = link.get() {
            // SAFETY: list members are live.
            let hr = unsafe { cur.as_ref() };
            if self.is_white(hr) {
                link.set(hr.next.get());
                hr.next.set(None);
                tail.set(Some(cur));
                tail = &hr.next;
                moved += 1;
            } else {
                link = &hr.next;
            }
        }
        moved
    }

    /// Iterates `tobefnz` (to mark it: those objects are resurrected for their `__gc`).
    pub(crate) fn for_each_tobefnz(&self, f: &mut dyn FnMut(NonNull<GcHeader>)) {
        let mut cur = self.tobefnz.get();
        while let Some(h) = cur {
            f(h);
            // SAFETY: list members are live.
            cur = unsafe { h.as_ref() }.next.get();
        }
    }

    /// Takes the next object whose finalizer must run, putting it back on the ordinary
    /// list (it may be collected normally afterwards: `__gc` runs once).
    pub(crate) fn pop_tobefnz(&self) -> Option<NonNull<GcHeader>> {
        let h = self.tobefnz.get()?;
        // SAFETY: list members are live.
        let hr = unsafe { h.as_ref() };
        self.tobefnz.set(hr.next.get());
        hr.next.set(self.all.get());
        self.all.set(Some(h));
        hr.mark.set(hr.mark.get() & !FINALIZE);
        // During a sweep it must not be freed by the ongoing sweep: give it current white.
        self.make_white(hr);
        Some(h)
    }

    /// Moves every object of `finobj` to `tobefnz` (closing the state calls all
    /// pending finalizers).
    pub(crate) fn separate_all(&self) {
        // Make everything on finobj look unreachable, then reuse `separate_unreachable`.
        let mut cur = self.finobj.get();
        while let Some(h) = cur {
            // SAFETY: list members are live.
            let hr = unsafe { h.as_ref() };
            self.make_white(hr);
            cur = hr.next.get();
        }
        self.separate_unreachable();
    }
}

impl Default for Heap {
    fn default() -> Self {
        Self::new()
    }
}

/// Layout of a `GcBox<T>` followed by `extra` bytes.
pub(crate) fn box_layout<T>(extra: usize) -> Option<Layout> {
    let base = Layout::new::<GcBox<T>>();
    let size = base.size().checked_add(extra)?;
    Layout::from_size_align(size, base.align()).ok()
}

/// Hints the CPU to start loading `p` (a no-op where there is no such instruction).
#[inline(always)]
fn prefetch(p: *const u8) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
    // SAFETY: prefetching is a hint; it never faults, whatever the address.
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(p as *const i8)
    };
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
    let _ = p;
}

/// Frees a `GcBox<T>` allocated with `extra` trailing bytes, dropping the payload.
///
/// # Safety
/// `h` must be an unreachable object of type `T` allocated by `alloc_box::<T>` with the
/// same `extra`, and must not be used again.
pub(crate) unsafe fn free_box<T>(heap: &Heap, h: NonNull<GcHeader>, extra: usize) {
    let ptr = h.as_ptr() as *mut GcBox<T>;
    // SAFETY: per the contract, `ptr` is a valid, initialised, unreachable `GcBox<T>`.
    unsafe { core::ptr::drop_in_place(ptr) };
    if let Some(layout) = box_layout::<T>(extra) {
        heap.release(layout.size());
        // SAFETY: allocated by `alloc_box` (from the pool) with exactly this layout.
        unsafe { heap.pool.free(ptr as *mut u8, layout) };
    }
}
