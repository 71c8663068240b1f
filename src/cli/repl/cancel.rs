//! Ctrl-C while a statement runs. At the prompt rustyline reads Ctrl-C as a
//! key (it clears the input); while a statement runs the terminal is back in
//! its normal mode, Ctrl-C raises SIGINT, and the handler installed here sets
//! the flag the evaluator polls every few thousand steps. The statement then
//! stops with a `Cancelled` error and the shell returns to the prompt.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Clone)]
pub struct Cancel {
    flag: Arc<AtomicBool>,
}

impl Cancel {
    /// Installs the SIGINT handler (once per process). Without it (another
    /// handler was already installed), Ctrl-C during a statement does what
    /// that handler does.
    pub fn install() -> Cancel {
        let flag = Arc::new(AtomicBool::new(false));
        let f = flag.clone();
        if let Err(e) = ctrlc::set_handler(move || f.store(true, Ordering::SeqCst)) {
            eprintln!("warning: Ctrl-C cannot cancel statements: {e}");
        }
        Cancel { flag }
    }

    /// The flag to hand to the session's limits.
    pub fn flag(&self) -> Arc<AtomicBool> {
        self.flag.clone()
    }

    /// Clears a Ctrl-C pressed before the statement about to run.
    pub fn reset(&self) {
        self.flag.store(false, Ordering::SeqCst);
    }
}
