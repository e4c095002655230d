//! Signals that end the session from outside: a dropped SSH connection or
//! a closed terminal (SIGHUP), `tmux kill-session` or `kill` (SIGTERM, and
//! SIGHUP from tmux), `kill -INT` (in raw mode Ctrl-c is a key, not this).
//! Left to their default action they would kill the process on the spot:
//! no terminal restored, the demo's kubeconfig left in the temp dir. Caught
//! here, they end the loop like `q` does, and every exit path cleans up.

use std::io;
use std::sync::atomic::{AtomicU8, Ordering};

use tokio::signal::unix::{Signal, SignalKind, signal};

/// The signal that ended the session, as a shell would report it
/// (128 + its number); 0 while none has.
static RECEIVED: AtomicU8 = AtomicU8::new(0);

/// Listens from creation on: create it before the work it must interrupt.
pub struct Leaving {
    hangup: Signal,
    terminate: Signal,
    interrupt: Signal,
}

impl Leaving {
    /// Needs the tokio runtime.
    pub fn listen() -> io::Result<Leaving> {
        Ok(Leaving {
            hangup: signal(SignalKind::hangup())?,
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
        })
    }

    /// Waits for one of the signals and records it for `exit_code`.
    pub async fn recv(&mut self) -> u8 {
        let number = tokio::select! {
            Some(()) = self.hangup.recv() => 1,
            Some(()) = self.terminate.recv() => 15,
            Some(()) = self.interrupt.recv() => 2,
            else => std::future::pending().await,
        };
        let code = 128 + number;
        RECEIVED.store(code, Ordering::SeqCst);
        code
    }
}

/// The exit code a process ended by a signal reports (143 for SIGTERM),
/// once one of `Leaving`'s signals has arrived.
pub fn exit_code() -> Option<u8> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        code => Some(code),
    }
}

/// Stops the process as Ctrl-z does in a cooked terminal, returning once
/// the shell continues it (`fg`). The caller restores the terminal first
/// and sets it up again after. A process whose shell cannot take it back
/// (an orphaned process group) is not stopped: the kernel drops the signal.
pub fn stop_self() -> io::Result<()> {
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)
}
