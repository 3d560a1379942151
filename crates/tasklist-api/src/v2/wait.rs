//! A bounded wait until an eventually consistent read shows what a command did.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;

use crate::client::{Client, into_future};
use crate::error::Error;
use crate::v2::models::{KeyError, UserTask, UserTaskKey, UserTaskState};

/// The time source of a [`WaitFor`]: what time it is, and how to let time pass.
///
/// [`TokioClock`] is the default. Tests inject their own to wait without waiting.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use std::time::{Duration, Instant};
/// use futures::future::BoxFuture;
/// use tasklist_api::v2::Clock;
///
/// /// A clock that jumps instead of sleeping.
/// struct Jumping(Mutex<Instant>);
///
/// impl Clock for Jumping {
///     fn now(&self) -> Instant {
///         *self.0.lock().unwrap()
///     }
///     fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
///         *self.0.lock().unwrap() += duration;
///         Box::pin(async {})
///     }
/// }
/// let clock = Jumping(Mutex::new(Instant::now()));
/// let before = clock.now();
/// futures::executor::block_on(clock.sleep(Duration::from_secs(5)));
/// assert_eq!(clock.now() - before, Duration::from_secs(5));
/// ```
pub trait Clock: Send + Sync {
    /// The current instant.
    ///
    /// ```
    /// use tasklist_api::v2::{Clock, TokioClock};
    /// let _ = TokioClock.now();
    /// ```
    fn now(&self) -> Instant;

    /// A future that completes after `duration`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use std::time::Duration;
    /// use tasklist_api::v2::{Clock, TokioClock};
    /// TokioClock.sleep(Duration::from_millis(1)).await;
    /// # }
    /// ```
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// Tokio's clock: `tokio::time::Instant` and `tokio::time::sleep` (so a test runtime with
/// paused time drives it too). Needs a Tokio runtime with time enabled.
///
/// ```
/// use tasklist_api::v2::{Clock, TokioClock};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let start = TokioClock.now();
/// TokioClock.sleep(std::time::Duration::from_millis(2)).await;
/// assert!(TokioClock.now() >= start);
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioClock;

impl Clock for TokioClock {
    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// The longest a [`WaitFor`] waits unless told otherwise.
///
/// ```
/// assert_eq!(tasklist_api::v2::DEFAULT_WAIT, std::time::Duration::from_secs(10));
/// ```
pub const DEFAULT_WAIT: Duration = Duration::from_secs(10);

/// What the waited-for task must show.
#[derive(Clone)]
enum Condition {
    /// Any read of it (it exists, to reads).
    Visible,
    State(UserTaskState),
    Assignee(Option<String>),
    Custom(Arc<dyn Fn(&UserTask) -> bool + Send + Sync>),
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::Visible => f.write_str("Visible"),
            Condition::State(state) => f.debug_tuple("State").field(state).finish(),
            Condition::Assignee(assignee) => f.debug_tuple("Assignee").field(assignee).finish(),
            Condition::Custom(_) => f.write_str("Custom(..)"),
        }
    }
}

impl Condition {
    fn holds(&self, task: &UserTask) -> bool {
        match self {
            Condition::Visible => true,
            Condition::State(state) => task.state.as_ref() == Some(state),
            Condition::Assignee(assignee) => task.assignee.as_deref() == assignee.as_deref(),
            Condition::Custom(check) => check(task),
        }
    }
}

/// Waits until a read of a user task shows what is expected, from
/// [`UserTasksApi::wait_for`](crate::v2::UserTasksApi::wait_for).
///
/// API v2 reads come from secondary storage, which lags behind the engine: right after a
/// command succeeds, `GET` may still show the old task (or `404` for a task just created).
/// This reads the task again and again, with back-off (100 ms, doubling, at most 2 s between
/// reads, unless set otherwise), until the condition holds (then it returns the task) or the
/// time is up ([`Error::ConsistencyTimeout`], naming what the last read showed). A `404` is
/// read as "not visible yet"; any other error ends the wait at once.
///
/// Without a condition it waits until the task is visible at all.
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// use std::time::Duration;
///
/// let tasks = client.user_tasks();
/// tasks.assign("2251799813685251", "demo").await?;
/// let task = tasks
///     .wait_for("2251799813685251")
///     .assignee("demo")
///     .timeout(Duration::from_secs(5))
///     .backoff(Duration::from_millis(50), Duration::from_millis(500))
///     .await?;
/// assert_eq!(task.assignee.as_deref(), Some("demo"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
#[must_use = "a wait does nothing until it is sent or awaited"]
pub struct WaitFor {
    client: Client,
    key: Result<UserTaskKey, KeyError>,
    condition: Condition,
    timeout: Duration,
    first_delay: Duration,
    max_delay: Duration,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for WaitFor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitFor")
            .field("key", &self.key)
            .field("condition", &self.condition)
            .field("timeout", &self.timeout)
            .field("first_delay", &self.first_delay)
            .field("max_delay", &self.max_delay)
            .finish_non_exhaustive()
    }
}

impl WaitFor {
    pub(crate) fn new(client: Client, key: Result<UserTaskKey, KeyError>) -> Self {
        WaitFor {
            client,
            key,
            condition: Condition::Visible,
            timeout: DEFAULT_WAIT,
            first_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            clock: Arc::new(TokioClock),
        }
    }

    /// Waits until the task is in `state`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::v2::models::UserTaskState;
    /// let wait = client.user_tasks().wait_for("1").state(UserTaskState::Completed);
    /// # let _ = wait;
    /// # }
    /// ```
    pub fn state(mut self, state: UserTaskState) -> Self {
        self.condition = Condition::State(state);
        self
    }

    /// Waits until the task is assigned to `assignee`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let wait = client.user_tasks().wait_for("1").assignee("demo");
    /// # let _ = wait;
    /// # }
    /// ```
    pub fn assignee(mut self, assignee: impl Into<String>) -> Self {
        self.condition = Condition::Assignee(Some(assignee.into()));
        self
    }

    /// Waits until the task has no assignee.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let wait = client.user_tasks().wait_for("1").unassigned();
    /// # let _ = wait;
    /// # }
    /// ```
    pub fn unassigned(mut self) -> Self {
        self.condition = Condition::Assignee(None);
        self
    }

    /// Waits until `check` holds for the task.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let wait = client.user_tasks().wait_for("1").until(|task| task.priority == Some(80));
    /// # let _ = wait;
    /// # }
    /// ```
    pub fn until(mut self, check: impl Fn(&UserTask) -> bool + Send + Sync + 'static) -> Self {
        self.condition = Condition::Custom(Arc::new(check));
        self
    }

    /// The longest to wait ([`DEFAULT_WAIT`] unless set).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// let wait = client.user_tasks().wait_for("1").timeout(std::time::Duration::from_secs(60));
    /// # let _ = wait;
    /// # }
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The pause after the first read (`first`), doubled after each read up to `max`.
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use std::time::Duration;
    /// let wait = client
    ///     .user_tasks()
    ///     .wait_for("1")
    ///     .backoff(Duration::from_millis(20), Duration::from_millis(200));
    /// # let _ = wait;
    /// # }
    /// ```
    pub fn backoff(mut self, first: Duration, max: Duration) -> Self {
        self.first_delay = first;
        self.max_delay = max.max(first);
        self
    }

    /// The clock to read the time from and sleep on ([`TokioClock`] unless set).
    ///
    /// ```
    /// # fn example(client: tasklist_api::Client) {
    /// use tasklist_api::v2::TokioClock;
    /// let wait = client.user_tasks().wait_for("1").clock(TokioClock);
    /// # let _ = wait;
    /// # }
    /// ```
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Waits.
    ///
    /// # Errors
    ///
    /// [`Error::ConsistencyTimeout`] when the time is up; the error of a read that failed
    /// other than with `404`; [`Error::InvalidArgument`] for an unusable key.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let task = client.user_tasks().wait_for("1").send().await?;
    /// # let _ = task; Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<UserTask> {
        Box::pin(async move {
            let key = self
                .key
                .map_err(|e| Error::invalid(format!("the user task key is not usable: {e}")))?;
            let start = self.clock.now();
            let mut delay = self.first_delay;
            loop {
                let last = match self.client.user_tasks().get(&key).send().await {
                    Ok(task) if self.condition.holds(&task) => return Ok(task),
                    Ok(task) => describe(&task),
                    Err(Error::NotFound(_)) => "not found".to_owned(),
                    Err(other) => return Err(other),
                };
                let waited = self.clock.now().saturating_duration_since(start);
                let Some(left) = self.timeout.checked_sub(waited).filter(|d| !d.is_zero()) else {
                    return Err(Error::ConsistencyTimeout {
                        task: key.into_string(),
                        waited,
                        last,
                    });
                };
                self.clock.sleep(delay.min(left)).await;
                delay = delay.saturating_mul(2).min(self.max_delay);
            }
        })
    }
}

into_future!(WaitFor => UserTask);

/// What a read showed of a task, for [`Error::ConsistencyTimeout`].
fn describe(task: &UserTask) -> String {
    let state = task.state.as_ref().map_or_else(
        || "no state".to_owned(),
        |s| format!("state {}", crate::wire::echo(s.as_str())),
    );
    match task.assignee.as_deref() {
        Some(assignee) => format!("{state}, assigned to `{}`", crate::wire::echo(assignee)),
        None => format!("{state}, unassigned"),
    }
}
