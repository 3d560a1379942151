//! The fault queues, the added latency and the request counters of one server
//! ([`FaultState`]).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::lock::lock;
use crate::faults::{Fault, Route};

/// Pending faults, latency and counters of one server.
#[derive(Default)]
pub(crate) struct FaultState {
    /// Requests seen, per route.
    counters: Mutex<HashMap<Route, u64>>,
    /// All requests seen.
    total: AtomicU64,
    /// Faults still to inject, per route, oldest first, each with its remaining count.
    pending: Mutex<HashMap<Route, VecDeque<(Fault, u32)>>>,
    /// Latency added to every request, in microseconds.
    latency_micros: AtomicU64,
}

impl FaultState {
    /// Counts one request to `route`.
    pub(crate) fn count(&self, route: Route) {
        self.total.fetch_add(1, Ordering::Relaxed);
        let mut counters = lock(&self.counters);
        *counters.entry(route).or_insert(0) += 1;
    }

    /// Requests seen for `route`.
    pub(crate) fn requests(&self, route: Route) -> u64 {
        lock(&self.counters).get(&route).copied().unwrap_or(0)
    }

    /// All requests seen.
    pub(crate) fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    /// Sets every counter back to zero.
    pub(crate) fn reset_counters(&self) {
        lock(&self.counters).clear();
        self.total.store(0, Ordering::Relaxed);
    }

    /// Queues `fault` for the next `times` requests to `route` (after those queued before).
    pub(crate) fn push(&self, route: Route, times: u32, fault: Fault) {
        if times == 0 {
            return;
        }
        lock(&self.pending)
            .entry(route)
            .or_default()
            .push_back((fault, times));
    }

    /// Takes the next pending fault of `route`, if any.
    pub(crate) fn take(&self, route: Route) -> Option<Fault> {
        let mut pending = lock(&self.pending);
        let queue = pending.get_mut(&route)?;
        let (fault, remaining) = queue.front_mut()?;
        let fault = fault.clone();
        *remaining -= 1;
        if *remaining == 0 {
            queue.pop_front();
        }
        Some(fault)
    }

    /// How many injections are still pending for `route`.
    pub(crate) fn pending(&self, route: Route) -> u64 {
        lock(&self.pending)
            .get(&route)
            .map(|q| q.iter().map(|(_, n)| u64::from(*n)).sum())
            .unwrap_or(0)
    }

    /// Drops every pending fault.
    pub(crate) fn clear(&self) {
        lock(&self.pending).clear();
    }

    /// Sets the latency added to every request.
    pub(crate) fn set_latency(&self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.latency_micros.store(micros, Ordering::Relaxed);
    }

    /// The latency added to every request.
    pub(crate) fn latency(&self) -> Duration {
        Duration::from_micros(self.latency_micros.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_used_up_in_order() {
        let state = FaultState::default();
        state.push(Route::GetTask, 2, Fault::Internal500);
        state.push(Route::GetTask, 1, Fault::Status401);
        state.push(Route::GetTask, 0, Fault::Csrf403);
        assert_eq!(state.pending(Route::GetTask), 3);
        assert_eq!(state.take(Route::SearchTasks), None);
        assert_eq!(state.take(Route::GetTask), Some(Fault::Internal500));
        assert_eq!(state.take(Route::GetTask), Some(Fault::Internal500));
        assert_eq!(state.take(Route::GetTask), Some(Fault::Status401));
        assert_eq!(state.take(Route::GetTask), None);
        assert_eq!(state.pending(Route::GetTask), 0);
    }

    #[test]
    fn latency_round_trips() {
        let state = FaultState::default();
        assert_eq!(state.latency(), Duration::ZERO);
        state.set_latency(Duration::from_millis(25));
        assert_eq!(state.latency(), Duration::from_millis(25));
    }
}
