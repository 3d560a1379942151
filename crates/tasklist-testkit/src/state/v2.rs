//! What the v2 API keeps of one server ([`V2State`]): the task images reads still show within
//! the consistency lag, the commands that arrived per task, and the audit log.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::lock::lock;
use crate::faults::CommandKind;
use crate::store::Task;

/// One applied command, as the audit log shows it (8.9+).
#[derive(Debug, Clone)]
pub(crate) struct AuditEntry {
    /// The audit log key.
    pub(crate) key: u64,
    /// The task after the command.
    pub(crate) task: Task,
    /// `ASSIGN`, `UNASSIGN`, `COMPLETE` or `UPDATE`.
    pub(crate) operation: &'static str,
    /// When the command was applied.
    pub(crate) timestamp: Timestamp,
    /// The user or client id.
    pub(crate) actor_id: Option<String>,
    /// `USER`, `CLIENT` or `ANONYMOUS`.
    pub(crate) actor_type: &'static str,
}

/// The v2 state of one server: the consistency lag with the task images reads still show,
/// command counters and the audit log.
#[derive(Default)]
pub(crate) struct V2State {
    /// The consistency lag, in microseconds.
    lag_micros: AtomicU64,
    /// Per task, the images from before each command still within the lag, oldest first.
    history: Mutex<HashMap<String, Vec<(Instant, Task)>>>,
    /// Commands that arrived, per task key and kind.
    commands: Mutex<HashMap<(String, CommandKind), usize>>,
    /// Applied commands.
    audit: Mutex<Vec<AuditEntry>>,
    /// The next audit log key.
    next_audit_key: AtomicU64,
}

impl V2State {
    /// A state with this consistency lag.
    pub(crate) fn new(lag: Duration) -> Self {
        let state = V2State::default();
        state.set_lag(lag);
        state
    }

    /// Sets the consistency lag.
    pub(crate) fn set_lag(&self, lag: Duration) {
        let micros = u64::try_from(lag.as_micros()).unwrap_or(u64::MAX);
        self.lag_micros.store(micros, Ordering::Relaxed);
    }

    /// The consistency lag.
    pub(crate) fn lag(&self) -> Duration {
        Duration::from_micros(self.lag_micros.load(Ordering::Relaxed))
    }

    /// Remembers `before`, the image of a task just before a command changed it, for reads
    /// within the lag.
    pub(crate) fn remember(&self, before: Task) {
        let lag = self.lag();
        if lag.is_zero() {
            return;
        }
        let mut history = lock(&self.history);
        let entries = history.entry(before.id.clone()).or_default();
        entries.retain(|(at, _)| at.elapsed() < lag);
        entries.push((Instant::now(), before));
    }

    /// What reads see of `current`: the image from before the oldest command still within the
    /// lag, or `current` itself.
    pub(crate) fn visible(&self, current: Task) -> Task {
        self.before_image(&current.id).unwrap_or(current)
    }

    /// The image of task `key` from before the oldest command still within the lag, if any:
    /// what reads see instead of the current task.
    pub(crate) fn before_image(&self, key: &str) -> Option<Task> {
        let lag = self.lag();
        if lag.is_zero() {
            return None;
        }
        let history = lock(&self.history);
        history
            .get(key)
            .and_then(|entries| entries.iter().find(|(at, _)| at.elapsed() < lag))
            .map(|(_, before)| before.clone())
    }

    /// Counts a command that arrived.
    pub(crate) fn count_command(&self, key: &str, kind: CommandKind) {
        *lock(&self.commands)
            .entry((key.to_owned(), kind))
            .or_insert(0) += 1;
    }

    /// Commands of `kind` that arrived for task `key`.
    pub(crate) fn command_count(&self, key: &str, kind: CommandKind) -> usize {
        lock(&self.commands)
            .get(&(key.to_owned(), kind))
            .copied()
            .unwrap_or(0)
    }

    /// Sets the command counters back to zero.
    pub(crate) fn reset_commands(&self) {
        lock(&self.commands).clear();
    }

    /// Appends an audit log entry for an applied command.
    pub(crate) fn audit(
        &self,
        task: Task,
        operation: &'static str,
        actor_id: Option<String>,
        actor_type: &'static str,
    ) {
        let key = 2_251_799_813_700_000 + self.next_audit_key.fetch_add(1, Ordering::Relaxed);
        lock(&self.audit).push(AuditEntry {
            key,
            task,
            operation,
            timestamp: Timestamp::now(),
            actor_id,
            actor_type,
        });
    }

    /// The audit log entries of task `key`.
    pub(crate) fn audit_of(&self, key: &str) -> Vec<AuditEntry> {
        lock(&self.audit)
            .iter()
            .filter(|e| e.task.id == key)
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_see_the_old_image_within_the_lag() {
        let state = V2State::new(Duration::from_millis(50));
        let mut task = Task::new("1", "a");
        state.remember(task.clone());
        task.assignee = Some("demo".to_owned());
        assert_eq!(state.visible(task.clone()).assignee, None);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(
            state.visible(task.clone()).assignee.as_deref(),
            Some("demo")
        );
        state.set_lag(Duration::ZERO);
        state.remember(task.clone());
        assert_eq!(state.visible(task).assignee.as_deref(), Some("demo"));
    }

    #[test]
    fn commands_are_counted_per_key_and_kind() {
        let state = V2State::default();
        state.count_command("1", CommandKind::Complete);
        state.count_command("1", CommandKind::Complete);
        state.count_command("2", CommandKind::Assign);
        assert_eq!(state.command_count("1", CommandKind::Complete), 2);
        assert_eq!(state.command_count("1", CommandKind::Assign), 0);
        state.reset_commands();
        assert_eq!(state.command_count("1", CommandKind::Complete), 0);
    }
}
