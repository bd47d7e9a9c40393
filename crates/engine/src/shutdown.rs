//! SIGINT/SIGTERM: the first signal stops claiming new work (cancels the token); the second exits at once.

use tokio_util::sync::CancellationToken;

/// Exit code of an interrupted process (docs/interfaces.md#exit-codes).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Listens for SIGINT and SIGTERM for the life of the process. Must be called inside a tokio runtime.
pub fn install(token: CancellationToken) {
    tokio::spawn(async move {
        let mut signals = 0u32;
        loop {
            let name = wait_for_signal().await;
            signals += 1;
            if signals == 1 {
                tracing::warn!(
                    signal = name,
                    "stopping: finishing or releasing in-flight work (signal again to exit now)"
                );
                token.cancel();
            } else {
                tracing::error!(signal = name, "second signal: exiting now");
                std::process::exit(EXIT_INTERRUPTED);
            }
        }
    });
}

#[cfg(unix)]
async fn wait_for_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut int), Ok(mut term)) = (signal(SignalKind::interrupt()), signal(SignalKind::terminate()))
    else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = int.recv() => "SIGINT",
        _ = term.recv() => "SIGTERM",
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() -> &'static str {
    let _ = tokio::signal::ctrl_c().await;
    "ctrl-c"
}
