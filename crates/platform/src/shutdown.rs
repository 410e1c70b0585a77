//! Shutting down in order (SIGTERM, SIGINT): the signal the background tasks (the outbox
//! worker, the change delivery) watch between units of work.

/// Tells the background tasks that the process is shutting down (SIGTERM, SIGINT): each
/// finishes what it is doing — the running job, the message being sent, the event batch in
/// its transaction — and returns. Made with [`Stop::new`]; the [`StopSender`] asks.
#[derive(Clone, Debug)]
pub struct Stop(tokio::sync::watch::Receiver<bool>);

/// The side of [`Stop`] that asks the tasks to stop; dropping it asks too.
#[derive(Debug)]
pub struct StopSender(tokio::sync::watch::Sender<bool>);

impl Stop {
    pub fn new() -> (StopSender, Stop) {
        let (tx, rx) = tokio::sync::watch::channel(false);
        (StopSender(tx), Stop(rx))
    }

    /// Whether the process is shutting down.
    pub fn is_stopping(&self) -> bool {
        *self.0.borrow() || self.0.has_changed().is_err()
    }

    /// Waits until the process is shutting down.
    pub async fn stopping(&mut self) {
        // An error means the sender is gone: nobody is left to keep the task running.
        let _ = self.0.wait_for(|stop| *stop).await;
    }

    /// Sleeps for `d`, or less when the process starts shutting down; true when it did.
    pub async fn sleep(&mut self, d: std::time::Duration) -> bool {
        tokio::select! {
            () = tokio::time::sleep(d) => self.is_stopping(),
            () = self.stopping() => true,
        }
    }
}

impl StopSender {
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}
