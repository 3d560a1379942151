//! `tasklist`: work with Camunda 8 Tasklist from the command line.
//!
//! ```text
//! tasklist [GLOBAL FLAGS] <COMMAND>
//! ```
//!
//! Try it with nothing configured: `tasklist --sandbox tasks search` starts a demo Tasklist
//! in-process (seeded tasks, OAuth client credentials) and runs the command against it.
//!
//! # Commands
//!
//! | command | what it does |
//! |---|---|
//! | `auth check [--show-token]` | authenticates, calls the API once, reports the strategy, the token's audience and expiry, the task API (`v1` or `v2`) and the Camunda version (the token itself only with `--show-token`) |
//! | `auth login` | cookie strategy: logs in and keeps the session in a `0600` file for later commands |
//! | `auth logout` | cookie strategy: ends the kept session and removes its file |
//! | `tasks search [FILTERS] [--all]` | one page of tasks, or every page with `--all` (streamed) |
//! | `tasks get ID` | one task |
//! | `tasks assign ID [--assignee NAME] [--allow-override] [--wait[=S]]` | assigns a task |
//! | `tasks unassign ID [--wait[=S]]` | unassigns a task |
//! | `tasks complete ID [--var NAME=JSON]… [--var-str NAME=TEXT]… [--vars-file FILE] [--wait[=S]]` | completes a task |
//! | `tasks update ID [--due-date DT] [--follow-up-date DT] [--candidate-groups G,H] [--candidate-users U,V] [--priority N] [--wait[=S]]` | changes a task's dates, candidates or priority (API v2) |
//! | `tasks history ID` | a task's audit log (API v2, Camunda 8.9 and later) |
//! | `tasks form ID` | the form linked to a task |
//! | `tasks variables ID [--name NAME]… [--full]` | a task's variables; `--full` fetches truncated values |
//! | `tasks save-draft ID [--var …] [--var-str …] [--vars-file FILE]` | saves draft variables (replacing earlier drafts) |
//! | `variables get ID` | one variable, with its full value and draft |
//! | `forms get ID --process-definition-key KEY [--version N]` | a form; its schema in table format, the whole form as JSON |
//! | `graphql QUERY [--variables JSON] [--operation-name NAME]` | legacy GraphQL (before 8.8); `QUERY` may be `-` (stdin) or `@FILE` |
//! | `completions SHELL` | a completion script for bash, zsh, fish, elvish or powershell |
//! | `config show` | the effective settings and where each came from; secrets shown as `<set, from …>` |
//! | `sandbox serve [--port N] [--tasks N] [--sandbox-version V]` | serves the demo Tasklist until Ctrl-C and prints `export VAR=value` lines to use it |
//!
//! `tasks search` filters: `--state CREATED|COMPLETED|CANCELED|FAILED` (any case), `--assigned BOOL`,
//! `--assignee NAME`, `--assignees A,B`, `--candidate-group G`, `--candidate-groups G,H`,
//! `--candidate-user U`, `--candidate-users U,V`, `--process-definition-key KEY`,
//! `--process-instance-key KEY`, `--task-definition-id ID`, `--due-date-from/--due-date-to
//! DATETIME`, `--follow-up-date-from/--follow-up-date-to DATETIME`, `--priority N` or
//! `--priority-min N`/`--priority-max N`, `--implementation JOB_WORKER|ZEEBE_USER_TASK`,
//! `--tenant-id IDS`, `--var-equals NAME=JSON`, `--var-equals-str NAME=TEXT`; paging:
//! `--sort FIELD[:asc|desc]` (creationTime, completionTime, followUpDate, dueDate, priority),
//! `--page-size N`, one of `--search-after`, `--search-after-or-equal`, `--search-before`,
//! `--search-before-or-equal` (comma-separated sort values), `--all`, `--max-pages N` (with
//! `--all`: stop with an error after N pages when there are more; default 10000, `0` for no
//! limit; a server that sends the same page again also stops `--all`, exit code 1); variables:
//! `--include-variables NAMES`, `--full-values`.
//!
//! Variables: `--var name=JSON` takes a JSON value (`--var amount=1250.5`,
//! `--var 'region="EMEA"'`); a value that is not valid JSON is an error unless given as
//! `--var-str name=text`, which sends it as a string. `--vars-file FILE` (`-`: stdin) holds a
//! JSON object; `--var`/`--var-str` override its entries.
//!
//! # Global flags
//!
//! Connection: `--base-url URL`, `--auth oauth|cookie|basic|bearer|none`, `--token-file FILE`,
//! `--api auto|v1|v2`, `--sandbox`, `--sandbox-version 8.7|8.8|8.9|8.10`. OAuth: `--client-id ID`, `--client-secret-file FILE`, `--oauth-url URL`,
//! `--audience AUD`, `--scope SCOPE`, `--token-cache-dir DIR`, `--no-token-cache`. Cookie and
//! Basic: `--username NAME`, `--password-file FILE`, `--login-url URL`, `--session-file FILE`.
//! TLS: `--ca-cert FILE`, `--client-cert FILE`, `--client-key FILE`, `--allow-insecure-http`.
//! Profiles: `--config FILE`, `--profile NAME`. Output: `--output table|json|jsonl` (`-o`),
//! `--verbose` (`-v`).
//!
//! Precedence: flag, then environment variable (the `CAMUNDA_*` variables of `tasklist-auth`,
//! plus `CAMUNDA_TASKLIST_BASE_URL`, `TASKLIST_CONFIG`, `TASKLIST_PROFILE`, `TASKLIST_OUTPUT`,
//! `TASKLIST_SESSION_FILE`, `TASKLIST_API`), then the profile of the config file
//! (`<config dir>/tasklist/config.toml`), then the default. Secrets come only from the
//! environment, from files, or from a prompt when stdin is a terminal.
//!
//! # Output
//!
//! A table when stdout is a terminal, JSON otherwise; `--output json` writes one JSON
//! document, `--output jsonl` one object per line (streamed with `--all`). Field names are the
//! API's camelCase names, the same keys on every API version (`null` for a field without a
//! value). A change (`assign`, `unassign`, `complete`, `update`) prints what it did
//! (`{"id", "change", "assignee"}`), or with `--wait` (at most S seconds, default 10, until API
//! v2 reads show it) the task after it. Progress of `--all` goes to stderr when it is a terminal; `NO_COLOR`
//! turns colours off.
//!
//! Control characters in the server's text are shown escaped in tables, text, notes and
//! error lines, as a Rust string literal writes them: `\0`, `\t`, `\n`, `\r`, `\x1b` for ESC
//! and the other C0 controls and DEL, `\u{9b}` for C1 controls and `\u{202e}` for the
//! bidirectional controls. JSON keeps the exact strings, with those characters as `\uXXXX`
//! escapes.
//!
//! # Exit codes
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | any other failure |
//! | 2 | usage or configuration error (nothing was sent) |
//! | 3 | authentication failed (401, CSRF 403, token endpoint or login refused, no session) |
//! | 4 | not found (404) |
//! | 5 | request rejected by the server (400, 409, 422, permission 403, GraphQL errors) |
//! | 6 | server or network failure (5xx, 429, timeouts, connection errors) |
//!
//! Every failure prints one line, `error: what failed: the server's message; what to do`;
//! `--verbose` adds the cause chain.

fn main() -> std::process::ExitCode {
    tasklist_cli::main()
}
