//! A deterministic generator of seed data: N tasks across a handful of processes, with
//! candidate groups and users, dates in every combination, priorities, variables of every JSON
//! type (including strings with quotes, newlines and non-ASCII text, and values longer than the
//! truncation threshold), and embedded and deployed forms.
//!
//! The same [`SeedSpec`] always yields the same data, so tests may rely on it.
//!
//! ```
//! use tasklist_testkit::seed::SeedSpec;
//! use tasklist_testkit::store::{Store, TaskState};
//!
//! let store = Store::new();
//! store.seed(&SeedSpec::new(100, 42));
//! let tasks = store.tasks();
//! assert_eq!(tasks.len(), 100);
//! assert!(tasks.iter().filter(|t| t.state == TaskState::Created).count() > 50);
//! assert!(!store.forms().is_empty());
//! ```

use jiff::Timestamp;
use serde_json::json;

use crate::store::{CONTEXT_VARIABLE, Form, Store, Task, TaskImplementation, TaskState, Variable};

/// The length, in characters, of the long string values the generator writes by default: above
/// Tasklist's default truncation threshold of 8191.
///
/// ```
/// assert!(tasklist_testkit::seed::DEFAULT_LONG_VALUE_CHARS > 8191);
/// ```
pub const DEFAULT_LONG_VALUE_CHARS: usize = 10_000;

/// What to generate: how many tasks, from which seed value.
///
/// ```
/// use tasklist_testkit::seed::SeedSpec;
/// let spec = SeedSpec::new(10, 3).long_value_chars(9000);
/// assert_eq!((spec.tasks, spec.seed, spec.long_value_chars), (10, 3, 9000));
/// assert_eq!(SeedSpec::default().tasks, 0);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedSpec {
    /// How many tasks to generate.
    pub tasks: usize,
    /// The seed of the pseudo-random choices.
    pub seed: u64,
    /// The length of the long string variable values (some tasks have one).
    pub long_value_chars: usize,
}

impl SeedSpec {
    /// `tasks` tasks from seed value `seed`, long values of [`DEFAULT_LONG_VALUE_CHARS`].
    ///
    /// ```
    /// use tasklist_testkit::seed::SeedSpec;
    /// assert_eq!(SeedSpec::new(5, 1).tasks, 5);
    /// ```
    pub fn new(tasks: usize, seed: u64) -> Self {
        SeedSpec {
            tasks,
            seed,
            long_value_chars: DEFAULT_LONG_VALUE_CHARS,
        }
    }

    /// The same spec with long string values of `chars` characters.
    ///
    /// ```
    /// use tasklist_testkit::seed::SeedSpec;
    /// assert_eq!(SeedSpec::new(5, 1).long_value_chars(20).long_value_chars, 20);
    /// ```
    pub fn long_value_chars(mut self, chars: usize) -> Self {
        self.long_value_chars = chars;
        self
    }
}

impl Default for SeedSpec {
    fn default() -> Self {
        SeedSpec::new(0, 0)
    }
}

/// One generated task with its variables.
#[derive(Debug, Clone)]
pub(crate) struct SeededTask {
    pub(crate) task: Task,
    pub(crate) variables: Vec<Variable>,
    pub(crate) snapshot: Vec<Variable>,
}

/// Everything one spec generates.
#[derive(Debug, Clone, Default)]
pub(crate) struct SeedData {
    pub(crate) tasks: Vec<SeededTask>,
    pub(crate) forms: Vec<Form>,
}

/// A process model of the generated data: BPMN process id, name, user tasks (element id, name).
struct Process {
    bpmn_id: &'static str,
    name: &'static str,
    user_tasks: &'static [(&'static str, &'static str)],
}

const PROCESSES: &[Process] = &[
    Process {
        bpmn_id: "invoice-approval",
        name: "Invoice Approval",
        user_tasks: &[
            ("approve_invoice", "Approve invoice"),
            ("check_payment", "Check payment"),
        ],
    },
    Process {
        bpmn_id: "order-fulfilment",
        name: "Order Fulfilment",
        user_tasks: &[("pack_order", "Pack order"), ("ship_order", "Ship order")],
    },
    Process {
        bpmn_id: "loan-application",
        name: "Loan Application",
        user_tasks: &[
            ("review_application", "Review application"),
            ("request_documents", "Request documents"),
        ],
    },
    Process {
        bpmn_id: "support-ticket",
        name: "Support Ticket",
        user_tasks: &[
            ("triage_ticket", "Triage ticket"),
            ("answer_customer", "Answer customer"),
        ],
    },
    Process {
        bpmn_id: "vacation-request",
        name: "Vacation Request",
        user_tasks: &[("approve_vacation", "Approve vacation")],
    },
    Process {
        bpmn_id: "employee-onboarding",
        name: "Employee Onboarding",
        user_tasks: &[
            ("prepare_workplace", "Prepare workplace"),
            ("sign_contract", "Sign contract"),
        ],
    },
];

const USERS: &[&str] = &["demo", "john", "jane", "mary", "peter"];
const GROUPS: &[&str] = &["accounting", "sales", "management", "support", "hr"];
const CUSTOMERS: &[&str] = &[
    "ACME Corp.",
    "Müller & Söhne GmbH",
    "Zoë's Café",
    "株式会社サンプル",
    "O'Brien \"Holdings\"",
];
const COMMENTS: &[&str] = &[
    "Looks good to me.",
    "He said \"ship it\" — then left.",
    "Line one\nLine two\n\tindented",
    "Unicode: ünïcödé ✓ 🎉 日本語",
    "Backslash \\ and slash / and tab\tdone",
    "",
];

/// Process definition keys start here (decimal, like Zeebe keys).
const PROCESS_KEY_BASE: u64 = 2_251_799_813_685_249;
/// Task keys start here.
const TASK_KEY_BASE: u64 = 2_251_799_813_700_001;
/// Deployed form keys start here.
const FORM_KEY_BASE: u64 = 2_251_799_813_690_001;
/// 2024-03-01T08:00:00Z, the earliest creation date.
const START_MILLIS: i64 = 1_709_280_000_000;
const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

fn at(millis: i64) -> Timestamp {
    Timestamp::from_millisecond(millis).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The BPMN id of process `p`'s embedded form.
fn embedded_form_id(p: usize) -> String {
    format!("userTaskForm_{p}")
}

/// The id of process `p`'s deployed form.
fn deployed_form_id(p: usize) -> String {
    format!("{}-form", PROCESSES[p].bpmn_id)
}

fn process_key(p: usize) -> String {
    (PROCESS_KEY_BASE + p as u64).to_string()
}

/// A form-js schema for a form with these fields.
fn form_schema(id: &str, fields: &[&str]) -> String {
    let components: Vec<serde_json::Value> = fields
        .iter()
        .map(|f| json!({"key": f, "label": f, "type": "textfield", "id": format!("Field_{f}")}))
        .collect();
    json!({
        "id": id,
        "type": "default",
        "schemaVersion": 16,
        "components": components,
    })
    .to_string()
}

/// Generates the data of `spec`.
pub(crate) fn generate(spec: &SeedSpec) -> SeedData {
    let mut rng = fastrand::Rng::with_seed(spec.seed);
    let mut data = SeedData::default();
    if spec.tasks == 0 {
        return data;
    }

    for (p, process) in PROCESSES.iter().enumerate() {
        let key = process_key(p);
        data.forms.push(Form::embedded(
            embedded_form_id(p),
            key.clone(),
            form_schema(&embedded_form_id(p), &["amount", "comment"]),
        ));
        for version in 1..=2 {
            data.forms.push(Form::deployed(
                deployed_form_id(p),
                version,
                key.clone(),
                form_schema(
                    &deployed_form_id(p),
                    &["approved", "customer"][..version as usize],
                ),
            ));
        }
        // One deleted newer version, which only an explicit `version` finds.
        if p % 2 == 0 {
            let mut deleted = Form::deployed(
                deployed_form_id(p),
                3,
                key,
                form_schema(process.bpmn_id, &[]),
            );
            deleted.is_deleted = true;
            data.forms.push(deleted);
        }
    }

    let mut previous_creation = START_MILLIS;
    for i in 0..spec.tasks {
        let p = rng.usize(..PROCESSES.len());
        let process = &PROCESSES[p];
        let t = rng.usize(..process.user_tasks.len());
        let (element_id, task_name) = process.user_tasks[t];
        let id = (TASK_KEY_BASE + 3 * i as u64).to_string();
        let instance_key = (TASK_KEY_BASE + 3 * i as u64 + 1).to_string();

        let mut task = Task::new(id.clone(), task_name);
        task.task_definition_id = element_id.to_owned();
        task.process_name = process.name.to_owned();
        task.process_definition_key = process_key(p);
        task.process_instance_key = instance_key;

        // Creation dates over ~90 days, whole seconds; every tenth task shares the previous
        // task's creation date so that the key breaks the tie.
        let creation = if i % 10 == 9 {
            previous_creation
        } else {
            START_MILLIS + rng.i64(0..90 * DAY) / 1000 * 1000
        };
        previous_creation = creation;
        task.creation_date = at(creation);

        let roll = rng.u32(..100);
        task.state = if roll < 80 {
            TaskState::Created
        } else if roll < 93 {
            TaskState::Completed
        } else {
            TaskState::Canceled
        };
        if task.state != TaskState::Created {
            task.completion_date = Some(at(creation + rng.i64(HOUR..5 * DAY)));
        }
        let assign_chance = match task.state {
            TaskState::Completed => 100,
            TaskState::Created => 35,
            _ => 30,
        };
        if rng.u32(..100) < assign_chance {
            task.assignee = Some(USERS[rng.usize(..USERS.len())].to_owned());
        }
        if rng.u32(..100) < 60 {
            task.candidate_groups = Some(pick(&mut rng, GROUPS));
        }
        if rng.u32(..100) < 30 {
            task.candidate_users = Some(pick(&mut rng, USERS));
        }
        if rng.bool() {
            task.due_date = Some(at(creation + rng.i64(DAY..14 * DAY) / HOUR * HOUR));
        }
        if rng.u32(..100) < 30 {
            task.follow_up_date = Some(at(creation + rng.i64(0..7 * DAY) / HOUR * HOUR));
        }
        if rng.u32(..100) < 40 {
            task.implementation = TaskImplementation::ZeebeUserTask;
            task.priority = Some(rng.i32(0..=100));
        }
        if rng.u32(..100) >= 20 {
            if t == 0 {
                task.form_key = Some(format!("camunda-forms:bpmn:{}", embedded_form_id(p)));
                task.is_form_embedded = Some(true);
            } else {
                task.form_key = Some((FORM_KEY_BASE + p as u64).to_string());
                task.form_id = Some(deployed_form_id(p));
                task.form_version = Some(2);
                task.is_form_embedded = Some(false);
            }
        }

        let values = variable_values(&mut rng, i, spec.long_value_chars);
        let variables: Vec<Variable> = values
            .iter()
            .map(|(name, value)| {
                Variable::new(
                    format!("{}-{name}", task.process_instance_key),
                    *name,
                    value,
                )
            })
            .collect();
        let snapshot = if task.state == TaskState::Completed {
            values
                .iter()
                .map(|(name, value)| Variable::new(format!("{id}-{name}"), *name, value))
                .collect()
        } else {
            Vec::new()
        };
        data.tasks.push(SeededTask {
            task,
            variables,
            snapshot,
        });
    }
    data
}

/// One to two distinct entries of `from`.
fn pick(rng: &mut fastrand::Rng, from: &[&str]) -> Vec<String> {
    let first = rng.usize(..from.len());
    let mut picked = vec![from[first].to_owned()];
    if rng.bool() {
        let second = (first + 1 + rng.usize(..from.len() - 1)) % from.len();
        picked.push(from[second].to_owned());
    }
    picked
}

/// The variables of task number `i`: one of every JSON type, sometimes a long string and a
/// context text. Values are JSON text.
fn variable_values(
    rng: &mut fastrand::Rng,
    i: usize,
    long_chars: usize,
) -> Vec<(&'static str, String)> {
    let customer = CUSTOMERS[rng.usize(..CUSTOMERS.len())];
    let comment = COMMENTS[rng.usize(..COMMENTS.len())];
    let amount = f64::from(rng.u32(100..10_000_000)) / 100.0;
    let mut values = vec![
        ("amount", json!(amount).to_string()),
        ("count", json!(rng.i64(-5..1000)).to_string()),
        ("approved", json!(rng.bool()).to_string()),
        ("comment", json!(comment).to_string()),
        ("nothing", "null".to_owned()),
        (
            "items",
            json!([rng.u8(..), "two", {"three": 3}, [true, null], 4.5]).to_string(),
        ),
        (
            "customer",
            json!({
                "name": customer,
                "address": {"street": "Hauptstraße 1", "city": "Berlin", "zip": "10115"},
                "tags": ["vip", "b2b"],
                "since": 2019 + rng.u32(..6),
            })
            .to_string(),
        ),
    ];
    if i.is_multiple_of(4) {
        values.push(("document", json!(long_text(rng, long_chars)).to_string()));
    }
    if i.is_multiple_of(3) {
        values.push((
            CONTEXT_VARIABLE,
            json!(format!("Case #{} for {customer}", 1000 + i)).to_string(),
        ));
    }
    values
}

/// `chars` characters of text, mixing ASCII with some multi-byte characters.
fn long_text(rng: &mut fastrand::Rng, chars: usize) -> String {
    const WORDS: &[&str] = &[
        "lorem", "ipsum", "dolor", "sit", "amet", "größe", "naïve", "✓",
    ];
    let mut text = String::with_capacity(chars + 8);
    let mut count = 0;
    while count < chars {
        let word = WORDS[rng.usize(..WORDS.len())];
        for c in word.chars().chain(std::iter::once(' ')) {
            if count == chars {
                break;
            }
            text.push(c);
            count += 1;
        }
    }
    text
}

impl Store {
    /// Adds the deterministic data set of `spec` (tasks, their variables, forms); a task with an
    /// id already present replaces it.
    ///
    /// ```
    /// use tasklist_testkit::seed::SeedSpec;
    /// use tasklist_testkit::store::Store;
    ///
    /// let a = Store::new();
    /// a.seed(&SeedSpec::new(5, 1));
    /// let b = Store::new();
    /// b.seed(&SeedSpec::new(5, 1));
    /// assert_eq!(a.tasks(), b.tasks());
    ///
    /// // Seeding again replaces rather than duplicates.
    /// let forms = a.forms().len();
    /// a.seed(&SeedSpec::new(5, 1));
    /// assert_eq!((a.tasks().len(), a.forms().len()), (5, forms));
    /// ```
    pub fn seed(&self, spec: &SeedSpec) {
        let data = generate(spec);
        self.insert_all(
            data.tasks
                .into_iter()
                .map(|seeded| (seeded.task, seeded.variables, seeded.snapshot)),
            data.forms,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::validate_json_text;

    #[test]
    fn same_spec_same_data() {
        let a = generate(&SeedSpec::new(50, 9));
        let b = generate(&SeedSpec::new(50, 9));
        let c = generate(&SeedSpec::new(50, 10));
        let tasks = |d: &SeedData| d.tasks.iter().map(|t| t.task.clone()).collect::<Vec<_>>();
        assert_eq!(tasks(&a), tasks(&b));
        assert_ne!(tasks(&a), tasks(&c));
    }

    #[test]
    fn data_covers_the_interesting_cases() {
        let data = generate(&SeedSpec::new(200, 1));
        let tasks: Vec<&Task> = data.tasks.iter().map(|t| &t.task).collect();
        let count = |f: &dyn Fn(&Task) -> bool| tasks.iter().filter(|t| f(t)).count();
        assert!(count(&|t| t.state == TaskState::Created) > 120);
        assert!(count(&|t| t.state == TaskState::Completed) > 5);
        assert!(count(&|t| t.state == TaskState::Canceled) > 2);
        assert!(count(&|t| t.assignee.is_some()) > 20);
        assert!(count(&|t| t.candidate_groups.is_some()) > 50);
        assert!(count(&|t| t.candidate_users.is_some()) > 20);
        assert!(count(&|t| t.due_date.is_some()) > 50);
        assert!(count(&|t| t.follow_up_date.is_some()) > 20);
        assert!(count(&|t| t.priority.is_some()) > 40);
        assert!(count(&|t| t.is_form_embedded == Some(true)) > 10);
        assert!(count(&|t| t.form_id.is_some()) > 10);
        assert!(count(&|t| t.form_key.is_none()) > 5);
        assert!(
            tasks
                .iter()
                .all(|t| t.priority.is_none_or(|p| (0..=100).contains(&p)))
        );
        // Some creation dates tie.
        let mut dates: Vec<_> = tasks.iter().map(|t| t.creation_date).collect();
        dates.sort();
        dates.dedup();
        assert!(dates.len() < tasks.len());

        let values: Vec<&Variable> = data.tasks.iter().flat_map(|t| &t.variables).collect();
        assert!(values.iter().all(|v| validate_json_text(&v.value).is_ok()));
        assert!(values.iter().any(|v| v.value.chars().count() > 8191));
        assert!(values.iter().any(|v| v.value.contains("\\n")));
        assert!(values.iter().any(|v| v.value.contains("\\\"")));
        assert!(values.iter().any(|v| v.value.contains('🎉')));
        assert!(values.iter().any(|v| v.name == CONTEXT_VARIABLE));
        for kind in ["null", "true", "false"] {
            assert!(values.iter().any(|v| v.value == kind), "{kind}");
        }
        assert!(values.iter().any(|v| v.value.starts_with('[')));
        assert!(values.iter().any(|v| v.value.starts_with('{')));
        // Completed tasks have their snapshot.
        assert!(
            data.tasks
                .iter()
                .filter(|t| t.task.state == TaskState::Completed)
                .all(|t| !t.snapshot.is_empty())
        );
    }

    #[test]
    fn long_text_has_exactly_the_requested_characters() {
        let mut rng = fastrand::Rng::with_seed(1);
        assert_eq!(long_text(&mut rng, 9000).chars().count(), 9000);
        assert_eq!(long_text(&mut rng, 0), "");
    }
}
