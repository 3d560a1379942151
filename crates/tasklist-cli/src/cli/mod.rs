//! The command line, as `clap` parses it: [`Cli`], the global flags (`global`), the
//! commands (`commands`) and the help's words that name variables (`help`).

mod commands;
mod global;
mod help;

use clap::Parser;

pub(crate) use self::commands::*;
pub(crate) use self::global::*;
use self::help::{GLOBAL_OPTIONS_NOTE, HELP_ALL, after_help};

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
    after_long_help = after_help(),
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
