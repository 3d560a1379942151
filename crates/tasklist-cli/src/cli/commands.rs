//! The commands and their arguments.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

/// How many demo tasks a sandbox holds unless told otherwise (`--sandbox`, and the default of
/// `sandbox serve --tasks`).
pub(crate) const DEFAULT_TASKS: usize = 25;

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check credentials, log in and out of cookie sessions
    #[command(subcommand)]
    Auth(AuthCommand),

    /// Search, read, assign and complete tasks
    #[command(subcommand)]
    Tasks(TasksCommand),

    /// Read variables by id
    #[command(subcommand)]
    Variables(VariablesCommand),

    /// Read forms
    #[command(subcommand)]
    Forms(FormsCommand),

    /// Send a query to the legacy GraphQL endpoint (Tasklist before 8.8)
    Graphql(GraphqlArgs),

    /// Print a shell completion script
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Show the effective configuration
    #[command(subcommand)]
    Config(ConfigCommand),

    /// Run the built-in demo Tasklist
    #[command(subcommand)]
    Sandbox(SandboxCommand),
}

/// `tasklist auth …`
#[derive(Debug, Subcommand)]
pub(crate) enum AuthCommand {
    /// Authenticate and report the strategy, the token's audience and expiry
    Check {
        /// Also print the access token (it grants access until it expires)
        #[arg(long)]
        show_token: bool,
    },
    /// Log in with a cookie session and keep it (0600 file) for later commands
    Login,
    /// End the kept cookie session
    Logout,
}

/// `tasklist tasks …`
#[derive(Debug, Subcommand)]
pub(crate) enum TasksCommand {
    /// Search tasks (one page, or every page with --all)
    Search(Box<SearchArgs>),
    /// Get one task
    Get {
        /// The task id
        id: String,
    },
    /// Assign a task
    Assign {
        /// The task id
        id: String,
        /// Who to assign it to (default: the user the credentials belong to; API v2 needs a
        /// name, taken from the Basic or cookie user name when not given)
        #[arg(long, value_name = "NAME")]
        assignee: Option<String>,
        /// Reassign a task that is already assigned
        #[arg(long)]
        allow_override: bool,
        /// Wait until reads show the change
        #[command(flatten)]
        wait: WaitArg,
    },
    /// Unassign a task
    Unassign {
        /// The task id
        id: String,
        /// Wait until reads show the change
        #[command(flatten)]
        wait: WaitArg,
    },
    /// Complete a task, optionally with variables
    Complete {
        /// The task id
        id: String,
        /// The variables to complete it with
        #[command(flatten)]
        vars: VarArgs,
        /// Wait until reads show the change
        #[command(flatten)]
        wait: WaitArg,
    },
    /// Change a task's dates, candidates or priority (API v2: Camunda 8.8 and later)
    Update(Box<UpdateArgs>),
    /// Show a task's history, its audit log (API v2 on Camunda 8.9 and later)
    History {
        /// The task id
        id: String,
    },
    /// Show the form linked to a task (its schema; the whole form as JSON)
    Form {
        /// The task id
        id: String,
    },
    /// Search a task's variables
    Variables {
        /// The task id
        id: String,
        /// Only this variable (repeat for more)
        #[arg(long = "name", value_name = "NAME")]
        names: Vec<String>,
        /// Fetch the full value of truncated variables
        #[arg(long)]
        full: bool,
    },
    /// Save draft variables of a task (replaces all earlier drafts)
    SaveDraft {
        /// The task id
        id: String,
        /// The draft variables
        #[command(flatten)]
        vars: VarArgs,
    },
}

/// `--wait[=SECONDS]` of the commands that change a task.
#[derive(Clone, Copy, Debug, Default, Args)]
pub(crate) struct WaitArg {
    /// Wait, at most SECONDS (default 10), until reads show the change (API v2 reads lag
    /// behind commands; API v1 reads show it at once)
    #[arg(
        long = "wait",
        value_name = "SECONDS",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "10"
    )]
    pub(crate) seconds: Option<u64>,
}

impl WaitArg {
    /// How long to wait, when asked to.
    pub(crate) fn timeout(self) -> Option<std::time::Duration> {
        self.seconds.map(std::time::Duration::from_secs)
    }
}

/// `tasklist tasks update …`
#[derive(Debug, Default, Args)]
pub(crate) struct UpdateArgs {
    /// The task id
    pub(crate) id: String,
    /// The new due date (RFC 3339, e.g. 2025-01-31T00:00:00Z)
    #[arg(long, value_name = "DATETIME")]
    pub(crate) due_date: Option<String>,
    /// The new follow-up date (RFC 3339)
    #[arg(long, value_name = "DATETIME")]
    pub(crate) follow_up_date: Option<String>,
    /// The new candidate groups, replacing the old (comma-separated or repeated)
    #[arg(long, value_name = "GROUPS", value_delimiter = ',')]
    pub(crate) candidate_groups: Option<Vec<String>>,
    /// The new candidate users, replacing the old (comma-separated or repeated)
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub(crate) candidate_users: Option<Vec<String>>,
    /// The new priority (0..=100)
    #[arg(long, value_name = "N")]
    pub(crate) priority: Option<i32>,
    /// Wait until reads show the change
    #[command(flatten)]
    pub(crate) wait: WaitArg,
}

/// Variables given on the command line.
#[derive(Debug, Default, Args)]
pub(crate) struct VarArgs {
    /// A variable whose value is JSON: --var amount=1250.5 --var 'region="EMEA"'
    #[arg(long = "var", value_name = "NAME=JSON")]
    pub(crate) var: Vec<String>,
    /// A variable whose value is a string, taken as is: --var-str comment='looks good'
    #[arg(long = "var-str", value_name = "NAME=TEXT")]
    pub(crate) var_str: Vec<String>,
    /// A file holding a JSON object of variables (`-` reads stdin); --var and --var-str
    /// override its entries
    #[arg(long, value_name = "FILE")]
    pub(crate) vars_file: Option<PathBuf>,
}

/// `tasklist tasks search` filters.
#[derive(Debug, Default, Args)]
pub(crate) struct SearchArgs {
    /// Task state
    #[arg(long, value_enum, help_heading = "Filters")]
    pub(crate) state: Option<StateArg>,
    /// Only assigned (true) or unassigned (false) tasks
    #[arg(long, value_name = "BOOL", help_heading = "Filters")]
    pub(crate) assigned: Option<bool>,
    /// Assigned to this user
    #[arg(long, value_name = "NAME", help_heading = "Filters")]
    pub(crate) assignee: Option<String>,
    /// Assigned to one of these users (comma-separated or repeated)
    #[arg(
        long,
        value_name = "NAMES",
        value_delimiter = ',',
        help_heading = "Filters"
    )]
    pub(crate) assignees: Vec<String>,
    /// Candidate group
    #[arg(long, value_name = "GROUP", help_heading = "Filters")]
    pub(crate) candidate_group: Option<String>,
    /// One of these candidate groups (comma-separated or repeated)
    #[arg(
        long,
        value_name = "GROUPS",
        value_delimiter = ',',
        help_heading = "Filters"
    )]
    pub(crate) candidate_groups: Vec<String>,
    /// Candidate user
    #[arg(long, value_name = "NAME", help_heading = "Filters")]
    pub(crate) candidate_user: Option<String>,
    /// One of these candidate users (comma-separated or repeated)
    #[arg(
        long,
        value_name = "NAMES",
        value_delimiter = ',',
        help_heading = "Filters"
    )]
    pub(crate) candidate_users: Vec<String>,
    /// Process definition key
    #[arg(long, value_name = "KEY", help_heading = "Filters")]
    pub(crate) process_definition_key: Option<String>,
    /// Process instance key
    #[arg(long, value_name = "KEY", help_heading = "Filters")]
    pub(crate) process_instance_key: Option<String>,
    /// Task definition id (the BPMN element id)
    #[arg(long, value_name = "ID", help_heading = "Filters")]
    pub(crate) task_definition_id: Option<String>,
    /// Due on or after this date-time (RFC 3339, e.g. 2025-01-31T00:00:00Z)
    #[arg(long, value_name = "DATETIME", help_heading = "Filters")]
    pub(crate) due_date_from: Option<String>,
    /// Due on or before this date-time
    #[arg(long, value_name = "DATETIME", help_heading = "Filters")]
    pub(crate) due_date_to: Option<String>,
    /// Follow-up date on or after this date-time
    #[arg(long, value_name = "DATETIME", help_heading = "Filters")]
    pub(crate) follow_up_date_from: Option<String>,
    /// Follow-up date on or before this date-time
    #[arg(long, value_name = "DATETIME", help_heading = "Filters")]
    pub(crate) follow_up_date_to: Option<String>,
    /// Priority exactly (0..=100)
    #[arg(long, value_name = "N", help_heading = "Filters", conflicts_with_all = ["priority_min", "priority_max"])]
    pub(crate) priority: Option<i32>,
    /// Priority at least (0..=100)
    #[arg(long, value_name = "N", help_heading = "Filters")]
    pub(crate) priority_min: Option<i32>,
    /// Priority at most (0..=100)
    #[arg(long, value_name = "N", help_heading = "Filters")]
    pub(crate) priority_max: Option<i32>,
    /// Implementation
    #[arg(long, value_enum, help_heading = "Filters")]
    pub(crate) implementation: Option<ImplementationArg>,
    /// Tenant id (comma-separated or repeated)
    #[arg(
        long = "tenant-id",
        value_name = "IDS",
        value_delimiter = ',',
        help_heading = "Filters"
    )]
    pub(crate) tenant_ids: Vec<String>,
    /// Variable equal to a JSON value (repeatable): --var-equals 'region="EMEA"'
    #[arg(long, value_name = "NAME=JSON", help_heading = "Filters")]
    pub(crate) var_equals: Vec<String>,
    /// Variable equal to a string, taken as is (repeatable): --var-equals-str region=EMEA
    #[arg(long, value_name = "NAME=TEXT", help_heading = "Filters")]
    pub(crate) var_equals_str: Vec<String>,

    /// Sort by FIELD (creationTime, completionTime, followUpDate, dueDate, priority), with
    /// an optional :asc or :desc (repeatable)
    #[arg(long, value_name = "FIELD[:ORDER]", help_heading = "Paging")]
    pub(crate) sort: Vec<String>,
    /// Tasks per page (server default 50)
    #[arg(long, value_name = "N", help_heading = "Paging")]
    pub(crate) page_size: Option<u32>,
    /// Start after these sort values (comma-separated, from a task's sortValues)
    #[arg(long, value_name = "VALUES", value_delimiter = ',', help_heading = "Paging",
          conflicts_with_all = ["search_after_or_equal", "search_before", "search_before_or_equal"])]
    pub(crate) search_after: Vec<String>,
    /// Start at these sort values
    #[arg(long, value_name = "VALUES", value_delimiter = ',', help_heading = "Paging",
          conflicts_with_all = ["search_before", "search_before_or_equal"])]
    pub(crate) search_after_or_equal: Vec<String>,
    /// End before these sort values (pages walk backwards)
    #[arg(
        long,
        value_name = "VALUES",
        value_delimiter = ',',
        help_heading = "Paging",
        conflicts_with = "search_before_or_equal"
    )]
    pub(crate) search_before: Vec<String>,
    /// End at these sort values (pages walk backwards)
    #[arg(
        long,
        value_name = "VALUES",
        value_delimiter = ',',
        help_heading = "Paging"
    )]
    pub(crate) search_before_or_equal: Vec<String>,
    /// Every page, streamed (jsonl prints each task as it arrives)
    #[arg(long, help_heading = "Paging")]
    pub(crate) all: bool,
    /// With --all: stop with an error after N pages when there are more (0: no limit; the
    /// default, 10000, guards against a server that keeps sending pages)
    #[arg(long, value_name = "N", help_heading = "Paging", requires = "all")]
    pub(crate) max_pages: Option<usize>,

    /// Include these variables in each task (comma-separated or repeated)
    #[arg(
        long,
        value_name = "NAMES",
        value_delimiter = ',',
        help_heading = "Variables"
    )]
    pub(crate) include_variables: Vec<String>,
    /// Return the included variables' full values, however long
    #[arg(long, requires = "include_variables", help_heading = "Variables")]
    pub(crate) full_values: bool,
}

/// `--state` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum StateArg {
    /// Open tasks.
    #[value(name = "CREATED")]
    Created,
    /// Completed tasks.
    #[value(name = "COMPLETED")]
    Completed,
    /// Canceled tasks.
    #[value(name = "CANCELED")]
    Canceled,
    /// Failed tasks.
    #[value(name = "FAILED")]
    Failed,
}

/// `--implementation` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ImplementationArg {
    /// Job-worker based user tasks.
    #[value(name = "JOB_WORKER", alias = "job-worker")]
    JobWorker,
    /// Camunda user tasks.
    #[value(name = "ZEEBE_USER_TASK", alias = "zeebe-user-task")]
    ZeebeUserTask,
}

/// `tasklist variables …`
#[derive(Debug, Subcommand)]
pub(crate) enum VariablesCommand {
    /// Get a variable by id, with its full value and draft
    Get {
        /// The variable id (as `tasks variables` shows it)
        id: String,
    },
}

/// `tasklist forms …`
#[derive(Debug, Subcommand)]
pub(crate) enum FormsCommand {
    /// Get a form and print its schema
    Get {
        /// The form id (a task's formId)
        id: String,
        /// The process definition key the form belongs to
        #[arg(long, value_name = "KEY")]
        process_definition_key: String,
        /// The form version (default: the latest)
        #[arg(long, value_name = "N")]
        version: Option<i64>,
    },
}

/// `tasklist graphql …`
#[derive(Debug, Args)]
pub(crate) struct GraphqlArgs {
    /// The query (`-` reads it from stdin, `@FILE` from a file)
    pub(crate) query: String,
    /// The query's variables, a JSON object
    #[arg(long, value_name = "JSON")]
    pub(crate) variables: Option<String>,
    /// The operation to run, when the query holds several
    #[arg(long, value_name = "NAME")]
    pub(crate) operation_name: Option<String>,
}

/// `tasklist config …`
#[derive(Debug, Subcommand)]
pub(crate) enum ConfigCommand {
    /// Print the effective settings and where each came from (secrets redacted)
    Show,
}

/// `tasklist sandbox …`
#[derive(Debug, Subcommand)]
pub(crate) enum SandboxCommand {
    /// Serve the demo Tasklist until Ctrl-C and print the environment to use it
    Serve {
        /// The port to listen on (127.0.0.1); 0 picks a free one
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// How many demo tasks to seed
        #[arg(long, default_value_t = DEFAULT_TASKS)]
        tasks: usize,
    },
}
