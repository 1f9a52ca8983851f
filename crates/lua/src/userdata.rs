//! Full userdata: a Rust payload with a metatable and user values.
//!
//! Bindings store their kernel objects as the payload (`Box<dyn Any>`), so the type of a
//! userdata is checked by downcasting, never by trusting a tag.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::any::Any;
use core::cell::Cell;
use core::ptr::NonNull;

use crate::gc::{free_box, Gc, GcHeader, Heap};
use crate::table::Table;
use crate::value::Value;

/// A full userdata object.
pub struct UserData {
    pub(crate) meta: Cell<Option<Gc<Table>>>,
    pub(crate) user_values: Vec<Value>,
    pub(crate) payload: Option<Box<dyn Any>>,
    /// Bytes accounted for the payload: its size, plus memory it owns outside the heap
    /// (`Lua::set_userdata_extra`).
    pub(crate) payload_bytes: Cell<usize>,
}

impl UserData {
    pub fn metatable(&self) -> Option<Gc<Table>> {
        self.meta.get()
    }

    /// The payload, if it is a `T`.
    pub fn downcast_ref<T: Any>(&self) -> Option<&T> {
        self.payload.as_ref()?.downcast_ref::<T>()
    }

    /// Mutable payload access, if it is a `T`.
    ///
    /// # Safety
    /// No other reference to the payload may be alive while the result is used.
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn downcast_mut<T: Any>(u: Gc<UserData>) -> Option<&'static mut T> {
        // SAFETY: the caller promises exclusivity; the object is live.
        unsafe { u.get_mut() }.payload.as_mut()?.downcast_mut::<T>()
    }

    /// Number of user values.
    pub fn user_value_count(&self) -> usize {
        self.user_values.len()
    }
}

/// Frees a dead userdata (its payload's `Drop` runs here).
///
/// # Safety
/// `h` is an unreachable userdata.
pub(crate) unsafe fn free(heap: &Heap, h: NonNull<GcHeader>) {
    // SAFETY: per the contract.
    let u = unsafe { Gc::<UserData>::from_header(h) };
    heap.release(u.user_values.capacity() * core::mem::size_of::<Value>() + u.payload_bytes.get());
    // SAFETY: per the contract.
    unsafe { free_box::<UserData>(heap, h, 0) };
}

impl crate::state::Lua {
    /// Creates a full userdata holding `value`, with `nuser` user values (nil).
    pub fn new_userdata<T: Any>(
        &mut self,
        value: T,
        nuser: usize,
    ) -> crate::error::LuaResult<Gc<UserData>> {
        let payload: Box<dyn Any> = crate::tvec::try_box(value)?;
        let mut user_values = Vec::new();
        crate::tvec::TryVec::try_resize(&mut user_values, nuser, Value::Nil)?;
        let payload_bytes = core::mem::size_of::<T>();
        self.heap
            .charge(payload_bytes + nuser * core::mem::size_of::<Value>())?;
        Ok(self.heap.alloc_box(
            crate::gc::Kind::UserData,
            UserData {
                meta: Cell::new(None),
                user_values,
                payload: Some(payload),
                payload_bytes: Cell::new(payload_bytes),
            },
            0,
        )?)
    }

    /// Accounts `extra` bytes, in place of what was accounted before, for memory `u`'s
    /// payload owns outside the heap (a kernel buffer), so that the memory limit and the
    /// collector's pace see it. Past the limit, a full collection runs before giving up.
    ///
    /// # Errors
    /// Out of memory: the accounting is left unchanged.
    pub fn set_userdata_extra<T: Any>(
        &mut self,
        u: Gc<UserData>,
        extra: usize,
    ) -> crate::error::LuaResult<()> {
        let base = core::mem::size_of::<T>();
        let old = u.payload_bytes.get();
        let new = base.checked_add(extra).ok_or(crate::error::Error::Memory)?;
        if new > old {
            if self.heap.charge(new - old).is_err() {
                // As PUC's emergency collection: garbage may hold what the limit needs.
                crate::collect::full(self);
                self.heap
                    .charge(new - old)
                    .map_err(|_| crate::error::Error::Memory)?;
            }
        } else {
            self.heap.release(old - new);
        }
        u.payload_bytes.set(new);
        Ok(())
    }

    /// User value `i` (0-based) of `u`; nil past the last.
    pub fn user_value(&self, u: Gc<UserData>, i: usize) -> Value {
        u.user_values.get(i).copied().unwrap_or(Value::Nil)
    }

    /// Sets user value `i` (0-based) of `u`; false if it has no such value.
    pub fn set_user_value(&mut self, u: Gc<UserData>, i: usize, v: Value) -> bool {
        // SAFETY: the state is single-threaded and no borrow of `u` is live across this.
        let um = unsafe { u.get_mut() };
        let Some(slot) = um.user_values.get_mut(i) else {
            return false;
        };
        *slot = v;
        crate::collect::barrier_forward(self, u.as_header_ptr(), &v);
        true
    }

    /// Sets a userdata's metatable (registering it for `__gc` if present).
    pub fn set_userdata_metatable(&mut self, u: Gc<UserData>, mt: Option<Gc<Table>>) {
        u.meta.set(mt);
        if let Some(m) = mt {
            crate::collect::barrier_forward(self, u.as_header_ptr(), &Value::Table(m));
        }
        crate::collect::check_finalizer(self, &Value::UserData(u), mt);
    }

    /// Registers a native function as a value.
    pub fn native(&self, f: crate::api::NativeFn) -> Value {
        Value::NativeFn(f)
    }
}
