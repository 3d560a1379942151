//! The command line, as `clap` parses it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Exit codes and environment variables, shown at the end of `tasklist --help`.
const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  any other failure
  2  usage or configuration error (nothing was sent)
  3  authentication failed (401, CSRF 403, token endpoint or login refused, no session)
  4  not found (404)
  5  request rejected by the server (400, 409, 422, permission 403, GraphQL errors)
  6  server or network failure (5xx, 429, timeouts, connection errors)

Settings come from a flag, else the environment, else the profile in the config file, else
the default; `tasklist config show` prints each with where it came from (secrets redacted).

Environment:
  CAMUNDA_TASKLIST_BASE_URL        Tasklist base URL (default http://localhost:8080)
  CAMUNDA_AUTH_STRATEGY            OAUTH, COOKIE, BASIC, BEARER or NONE (inferred when unset)
  CAMUNDA_CLIENT_ID, CAMUNDA_CLIENT_SECRET, CAMUNDA_OAUTH_URL (or ZEEBE_CLIENT_ID,
  ZEEBE_CLIENT_SECRET, ZEEBE_AUTHORIZATION_SERVER_URL)
  CAMUNDA_TASKLIST_OAUTH_AUDIENCE, CAMUNDA_TOKEN_AUDIENCE, CAMUNDA_TOKEN_SCOPE
  CAMUNDA_TOKEN_CACHE_DIR (default ~/.camunda), CAMUNDA_TOKEN_DISK_CACHE_DISABLE
  CAMUNDA_COOKIE_AUTH_URL, CAMUNDA_COOKIE_AUTH_USERNAME, CAMUNDA_COOKIE_AUTH_PASSWORD
  CAMUNDA_BASIC_AUTH_USERNAME, CAMUNDA_BASIC_AUTH_PASSWORD
  CAMUNDA_OAUTH_TOKEN              a static bearer token
  CAMUNDA_CUSTOM_ROOT_CERT_PATH, CAMUNDA_CUSTOM_CERT_CHAIN_PATH, CAMUNDA_CUSTOM_PRIVATE_KEY_PATH
  CAMUNDA_AUTH_ALLOW_INSECURE_HTTP allow secrets over plain http to remote hosts
  TASKLIST_CONFIG                  config file (default <config dir>/tasklist/config.toml)
  TASKLIST_PROFILE                 profile of the config file to use
  TASKLIST_API                     task API: auto (ask the server, the default), v1 or v2
  TASKLIST_OUTPUT                  table, json or jsonl
  TASKLIST_SESSION_FILE            where `auth login` keeps the cookie session
  NO_COLOR                         no colours
  RUST_LOG                         log filter for diagnostics on stderr (default: errors only,
                                   warnings too with --verbose)

Secrets (client secret, password, token) are read only from the environment, from a file
(--client-secret-file, --password-file, --token-file) or from a prompt when stdin is a
terminal; never from the command line.";

/// The line a subcommand's help shows in place of the global options.
const GLOBAL_OPTIONS_NOTE: &str = "\
Global options: --base-url, --auth, --api, --profile, --sandbox, --output (-o), --verbose (-v)
and the credential and TLS options; `tasklist --help` lists them, `--help-all` shows them here.";

/// The flag that shows a subcommand's help with the global options.
const HELP_ALL: &str = "--help-all";

/// The command line as `tasklist` parses it: [`Cli`] and `--help-all`.
fn base_command() -> clap::Command {
    use clap::CommandFactory as _;
    let mut command = Cli::command();
    ignore_case(&mut command);
    command.arg(
        clap::Arg::new("help-all")
            .long("help-all")
            .global(true)
            .action(clap::ArgAction::HelpLong)
            .hide(true)
            .help("Print help with the global options"),
    )
}

/// [`base_command`] with the global options hidden from help and [`GLOBAL_OPTIONS_NOTE`] at
/// the end of every subcommand's help, so that a subcommand's help shows its own arguments.
/// Parsing is the same.
fn short_help_command() -> clap::Command {
    let mut command = base_command().mut_args(|arg| {
        if arg.is_global_set() && arg.get_id() != "help-all" {
            arg.hide(true)
        } else {
            arg
        }
    });
    add_note(&mut command);
    command.after_help(GLOBAL_OPTIONS_NOTE)
}

/// Makes every argument with a fixed set of values take them in any case (`--state created`
/// or `CREATED`, `--output JSON`), in `command` and every subcommand.
fn ignore_case(command: &mut clap::Command) {
    let owned = std::mem::take(command).mut_args(|arg| {
        if arg.get_possible_values().is_empty() || !arg.get_action().takes_values() {
            arg
        } else {
            arg.ignore_case(true)
        }
    });
    *command = owned;
    for sub in command.get_subcommands_mut() {
        ignore_case(sub);
    }
}

/// Adds [`GLOBAL_OPTIONS_NOTE`] to the help of every subcommand under `command`.
fn add_note(command: &mut clap::Command) {
    for sub in command.get_subcommands_mut() {
        let mut owned = std::mem::take(sub).after_help(GLOBAL_OPTIONS_NOTE);
        add_note(&mut owned);
        *sub = owned;
    }
}

/// Parses `args` (the program name first): a subcommand's help shows its own arguments and
/// a note in place of the global options, unless `--help-all` is given; `tasklist --help`
/// lists every global option.
///
/// # Errors
///
/// Clap's: a usage error, or the help or version text to print.
pub(crate) fn parse_from(args: Vec<std::ffi::OsString>) -> Result<Cli, clap::Error> {
    use clap::FromArgMatches as _;
    let all_globals = args
        .iter()
        .take_while(|arg| *arg != "--")
        .any(|arg| arg == HELP_ALL);
    // Which command the arguments name, found with the help flags left out (they end the
    // parse).
    let names_a_command = || {
        let probe = args
            .iter()
            .filter(|arg| !matches!(arg.to_str(), Some("-h" | "--help")));
        base_command()
            .ignore_errors(true)
            .try_get_matches_from(probe)
            .is_ok_and(|matches| matches.subcommand_name().is_some())
    };
    let long_help = args
        .iter()
        .take_while(|arg| *arg != "--")
        .any(|arg| arg == "--help");
    let command = if all_globals || (long_help && !names_a_command()) {
        base_command()
    } else {
        short_help_command()
    };
    let matches = command.try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches)
}

/// Parses the process's arguments (see [`parse_from`]).
///
/// # Errors
///
/// As [`parse_from`].
pub(crate) fn parse() -> Result<Cli, clap::Error> {
    parse_from(std::env::args_os().collect())
}

/// `tasklist`: work with Camunda 8 Tasklist from the command line.
#[derive(Debug, Parser)]
#[command(
    name = "tasklist",
    version,
    about = "Work with Camunda 8 Tasklist from the command line",
    long_about = "Work with Camunda 8 Tasklist from the command line: search, assign and \
                  complete user tasks, read their variables and forms.\n\n\
                  Try it without any server: `tasklist --sandbox tasks search`.",
    after_long_help = AFTER_HELP,
    arg_required_else_help = true,
    args_override_self = true
)]
pub(crate) struct Cli {
    /// Settings that every command takes.
    #[command(flatten)]
    pub(crate) global: GlobalArgs,

    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The global flags.
///
/// Secrets are never flags: only paths of files holding them.
#[derive(Debug, Default, Args)]
pub(crate) struct GlobalArgs {
    /// Tasklist base URL [env: CAMUNDA_TASKLIST_BASE_URL] [default: http://localhost:8080]
    #[arg(long, global = true, value_name = "URL", help_heading = "Connection")]
    pub(crate) base_url: Option<String>,

    /// Authentication strategy [env: CAMUNDA_AUTH_STRATEGY] [default: inferred from the
    /// credentials set]
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "STRATEGY",
        help_heading = "Connection"
    )]
    pub(crate) auth: Option<AuthArg>,

    /// OAuth client id [env: CAMUNDA_CLIENT_ID]
    #[arg(long, global = true, value_name = "ID", help_heading = "OAuth")]
    pub(crate) client_id: Option<String>,

    /// File holding the OAuth client secret [env: CAMUNDA_CLIENT_SECRET holds the secret]
    #[arg(long, global = true, value_name = "FILE", help_heading = "OAuth")]
    pub(crate) client_secret_file: Option<PathBuf>,

    /// OAuth token endpoint URL [env: CAMUNDA_OAUTH_URL]
    #[arg(long, global = true, value_name = "URL", help_heading = "OAuth")]
    pub(crate) oauth_url: Option<String>,

    /// OAuth audience [env: CAMUNDA_TASKLIST_OAUTH_AUDIENCE, CAMUNDA_TOKEN_AUDIENCE]
    /// [default: tasklist-api, or tasklist.camunda.io on SaaS]
    #[arg(long, global = true, value_name = "AUDIENCE", help_heading = "OAuth")]
    pub(crate) audience: Option<String>,

    /// OAuth scope [env: CAMUNDA_TOKEN_SCOPE]
    #[arg(long, global = true, value_name = "SCOPE", help_heading = "OAuth")]
    pub(crate) scope: Option<String>,

    /// Directory of the shared token cache [env: CAMUNDA_TOKEN_CACHE_DIR] [default: ~/.camunda]
    #[arg(long, global = true, value_name = "DIR", help_heading = "OAuth")]
    pub(crate) token_cache_dir: Option<PathBuf>,

    /// Keep OAuth tokens in memory only [env: CAMUNDA_TOKEN_DISK_CACHE_DISABLE=true]
    #[arg(long, global = true, help_heading = "OAuth")]
    pub(crate) no_token_cache: bool,

    /// User name for cookie or Basic authentication [env: CAMUNDA_COOKIE_AUTH_USERNAME,
    /// CAMUNDA_BASIC_AUTH_USERNAME]
    #[arg(
        long,
        global = true,
        value_name = "NAME",
        help_heading = "Cookie and Basic"
    )]
    pub(crate) username: Option<String>,

    /// File holding the password [env: CAMUNDA_COOKIE_AUTH_PASSWORD,
    /// CAMUNDA_BASIC_AUTH_PASSWORD hold the password]
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "Cookie and Basic"
    )]
    pub(crate) password_file: Option<PathBuf>,

    /// Cookie login URL [env: CAMUNDA_COOKIE_AUTH_URL] [default: the base URL's /api/login,
    /// then /login]
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help_heading = "Cookie and Basic"
    )]
    pub(crate) login_url: Option<String>,

    /// Where `auth login` keeps the cookie session (a 0600 file) [env: TASKLIST_SESSION_FILE]
    /// [default: one file per server and user in tasklist/sessions of the state directory]
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "Cookie and Basic"
    )]
    pub(crate) session_file: Option<PathBuf>,

    /// File holding a bearer token [env: CAMUNDA_OAUTH_TOKEN holds the token]
    #[arg(long, global = true, value_name = "FILE", help_heading = "Connection")]
    pub(crate) token_file: Option<PathBuf>,

    /// Extra root certificates, PEM [env: CAMUNDA_CUSTOM_ROOT_CERT_PATH]
    #[arg(long, global = true, value_name = "FILE", help_heading = "TLS")]
    pub(crate) ca_cert: Option<PathBuf>,

    /// Client certificate chain for mutual TLS, PEM [env: CAMUNDA_CUSTOM_CERT_CHAIN_PATH]
    #[arg(long, global = true, value_name = "FILE", help_heading = "TLS")]
    pub(crate) client_cert: Option<PathBuf>,

    /// Client private key for mutual TLS, PEM [env: CAMUNDA_CUSTOM_PRIVATE_KEY_PATH]
    #[arg(long, global = true, value_name = "FILE", help_heading = "TLS")]
    pub(crate) client_key: Option<PathBuf>,

    /// Allow sending secrets over plain http to hosts that are not loopback
    /// [env: CAMUNDA_AUTH_ALLOW_INSECURE_HTTP=true]
    #[arg(long, global = true, help_heading = "TLS")]
    pub(crate) allow_insecure_http: bool,

    /// Config file [env: TASKLIST_CONFIG] [default: tasklist/config.toml in the config
    /// directory]
    #[arg(long, global = true, value_name = "FILE", help_heading = "Profiles")]
    pub(crate) config: Option<PathBuf>,

    /// Profile of the config file to use [env: TASKLIST_PROFILE] [default: the file's
    /// default_profile]
    #[arg(long, global = true, value_name = "NAME", help_heading = "Profiles")]
    pub(crate) profile: Option<String>,

    /// Task API: auto asks the server (v2 from Camunda 8.8 on, v1 before) and remembers the
    /// answer for 10 minutes beside the token cache [env: TASKLIST_API] [default: auto]
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "API",
        help_heading = "Connection"
    )]
    pub(crate) api: Option<ApiArg>,

    /// Run against a built-in demo Tasklist with seeded tasks (OAuth client credentials;
    /// nothing to configure)
    #[arg(
        long,
        global = true,
        help_heading = "Connection",
        conflicts_with_all = [
            "base_url", "auth", "client_id", "client_secret_file", "oauth_url", "audience",
            "scope", "username", "password_file", "login_url", "token_file",
        ]
    )]
    pub(crate) sandbox: bool,

    /// The Camunda version the sandbox (--sandbox, `sandbox serve`) behaves as [default: 8.7]
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "VERSION",
        help_heading = "Connection"
    )]
    pub(crate) sandbox_version: Option<SandboxVersion>,

    /// Output format [env: TASKLIST_OUTPUT] [default: table on a terminal, else json]
    #[arg(
        long,
        short = 'o',
        global = true,
        value_enum,
        value_name = "FORMAT",
        help_heading = "Output"
    )]
    pub(crate) output: Option<Format>,

    /// On failure, also print the cause chain
    #[arg(long, short = 'v', global = true, help_heading = "Output")]
    pub(crate) verbose: bool,
}

/// `--auth` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum AuthArg {
    /// OAuth 2.0 client credentials.
    Oauth,
    /// Cookie session (form login).
    Cookie,
    /// HTTP Basic.
    Basic,
    /// A static bearer token.
    Bearer,
    /// No authentication.
    None,
}

/// `--api` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ApiArg {
    /// Ask the server which API it speaks.
    Auto,
    /// Tasklist's REST API v1 (Camunda 8.7 and older; deprecated in 8.8 and 8.9).
    V1,
    /// The user-task API v2 (Camunda 8.8 and later).
    V2,
}

impl From<ApiArg> for tasklist_api::ApiVersion {
    fn from(arg: ApiArg) -> Self {
        match arg {
            ApiArg::Auto => tasklist_api::ApiVersion::Auto,
            ApiArg::V1 => tasklist_api::ApiVersion::V1,
            ApiArg::V2 => tasklist_api::ApiVersion::V2,
        }
    }
}

/// `--sandbox-version` values: the testkit's profiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum SandboxVersion {
    /// Camunda 8.7: Tasklist API v1 only.
    #[value(name = "8.7")]
    V8_7,
    /// Camunda 8.8: v1 and the v2 user-task API.
    #[value(name = "8.8")]
    V8_8,
    /// Camunda 8.9: v1 and v2.
    #[value(name = "8.9")]
    V8_9,
    /// Camunda 8.10: v2 only.
    #[value(name = "8.10")]
    V8_10,
}

impl From<SandboxVersion> for tasklist_testkit::Profile {
    fn from(version: SandboxVersion) -> Self {
        match version {
            SandboxVersion::V8_7 => tasklist_testkit::Profile::V8_7,
            SandboxVersion::V8_8 => tasklist_testkit::Profile::V8_8,
            SandboxVersion::V8_9 => tasklist_testkit::Profile::V8_9,
            SandboxVersion::V8_10 => tasklist_testkit::Profile::V8_10,
        }
    }
}

/// `--output` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// A readable table.
    Table,
    /// One JSON document.
    Json,
    /// One JSON object per line (streams with `--all`).
    Jsonl,
}

impl Format {
    /// The value's name, as typed.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
        }
    }

    /// Parses a name, ignoring case.
    pub(crate) fn parse(text: &str) -> Option<Format> {
        match text.trim().to_ascii_lowercase().as_str() {
            "table" => Some(Format::Table),
            "json" => Some(Format::Json),
            "jsonl" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

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
        #[arg(long, default_value_t = crate::sandbox::DEFAULT_TASKS)]
        tasks: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sandbox_conflicts_with_connection_flags() {
        let parsed =
            Cli::try_parse_from(["tasklist", "--sandbox", "--base-url", "x", "config", "show"]);
        assert!(parsed.is_err());
        let parsed = Cli::try_parse_from(["tasklist", "tasks", "search", "--sandbox", "--all"]);
        assert!(parsed.is_ok(), "{parsed:?}");
    }

    #[test]
    fn api_and_sandbox_version_take_their_values_only() {
        let Ok(cli) = Cli::try_parse_from([
            "tasklist",
            "--api",
            "v1",
            "--sandbox",
            "--sandbox-version",
            "8.10",
            "config",
            "show",
        ]) else {
            panic!("must parse");
        };
        assert_eq!(cli.global.api, Some(ApiArg::V1));
        assert_eq!(cli.global.sandbox_version, Some(SandboxVersion::V8_10));
        for bad in [["--api", "v3"], ["--sandbox-version", "8.6"]] {
            let Err(error) = Cli::try_parse_from(["tasklist", bad[0], bad[1], "config", "show"])
            else {
                panic!("{bad:?} must not parse");
            };
            assert_eq!(error.kind(), clap::error::ErrorKind::InvalidValue);
        }
    }

    #[test]
    fn lists_take_commas_and_repeats() {
        let Ok(cli) = Cli::try_parse_from([
            "tasklist",
            "tasks",
            "search",
            "--candidate-groups",
            "a,b",
            "--candidate-groups",
            "c",
        ]) else {
            panic!("must parse");
        };
        let Command::Tasks(TasksCommand::Search(args)) = cli.command else {
            panic!("wrong command");
        };
        assert_eq!(args.candidate_groups, ["a", "b", "c"]);
    }
}
