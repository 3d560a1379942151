//! The commands: each takes the resolved settings (its [`Context`]) and writes its result.

pub(crate) mod auth;
pub(crate) mod context;
pub(crate) mod other;
pub(crate) mod tasks;

use self::context::Context;
use crate::cli::{
    AuthCommand, Command, ConfigCommand, FormsCommand, SandboxCommand, TasksCommand,
    VariablesCommand,
};
use crate::error::CliError;

/// Runs `command` (all but `completions` and `sandbox serve`, which need no settings).
pub(crate) async fn run(command: Command, ctx: &Context) -> Result<(), CliError> {
    match command {
        Command::Auth(AuthCommand::Check { show_token }) => auth::check(ctx, show_token).await,
        Command::Auth(AuthCommand::Login) => auth::login(ctx).await,
        Command::Auth(AuthCommand::Logout) => auth::logout(ctx).await,
        Command::Tasks(command) => match command {
            TasksCommand::Search(args) => tasks::search(ctx, &args).await,
            TasksCommand::Get { id } => tasks::get(ctx, &id).await,
            TasksCommand::Assign {
                id,
                assignee,
                allow_override,
                wait,
            } => tasks::assign(ctx, &id, assignee, allow_override, wait).await,
            TasksCommand::Unassign { id, wait } => tasks::unassign(ctx, &id, wait).await,
            TasksCommand::Complete { id, vars, wait } => {
                tasks::complete(ctx, &id, &vars, wait).await
            }
            TasksCommand::Update(args) => tasks::update(ctx, &args).await,
            TasksCommand::History { id } => tasks::history(ctx, &id).await,
            TasksCommand::Form { id } => tasks::form(ctx, &id).await,
            TasksCommand::Variables { id, names, full } => {
                tasks::variables(ctx, &id, names, full).await
            }
            TasksCommand::SaveDraft { id, vars } => tasks::save_draft(ctx, &id, &vars).await,
        },
        Command::Variables(VariablesCommand::Get { id }) => other::variable(ctx, &id).await,
        Command::Forms(FormsCommand::Get {
            id,
            process_definition_key,
            version,
        }) => other::form(ctx, &id, &process_definition_key, version).await,
        Command::Graphql(args) => other::graphql(ctx, &args).await,
        Command::Config(ConfigCommand::Show) => other::config_show(ctx),
        Command::Completions { shell } => other::completions(shell),
        Command::Sandbox(SandboxCommand::Serve { .. }) => Err(CliError::usage(
            "`sandbox serve` cannot run inside another sandbox",
        )),
    }
}
