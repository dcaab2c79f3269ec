// SPDX-License-Identifier: GPL-2.0

//! Module-wide state shared by every open file: the handle table.
//!
//! It lives in a global slot (`sys::global`) from module init to module exit;
//! each open file keeps a reference, so the state outlives every file.

use kernel::{
    prelude::*,
    sync::Arc,
};

use crate::{
    handle_table::HandleTable,
    sys,
};

#[pin_data]
pub(crate) struct Context {
    #[pin]
    pub(crate) handles: HandleTable,
}

impl Context {
    /// Creates the module-wide state and publishes it.
    pub(crate) fn init() -> Result {
        let context = Arc::pin_init(
            try_pin_init!(Context {
                handles <- HandleTable::new(),
            }),
            GFP_KERNEL,
        )?;
        sys::global::init(context);
        Ok(())
    }

    /// The module-wide state, for a new open file.
    pub(crate) fn get() -> Result<Arc<Context>> {
        sys::global::get().ok_or(ENODEV)
    }

    /// Module exit: takes the state down. Every file is closed by now, so no
    /// handle may remain.
    pub(crate) fn exit() {
        if let Some(context) = sys::global::take() {
            if !context.handles.is_empty() {
                pr_err!("handles left at module exit\n");
            }
        }
    }
}
