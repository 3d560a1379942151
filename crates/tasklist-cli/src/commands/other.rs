//! `variables get`, `forms get`, `graphql`, `config show`, `completions`, `sandbox serve`.

use std::io::{Read as _, Write as _};

use clap::CommandFactory as _;
use serde_json::{Map, Value};

use super::context::Context;
use super::tasks::VariableOut;
use crate::cli::{Cli, Format, GraphqlArgs};
use crate::connect::Purpose;
use crate::error::CliError;
use crate::output::{self, Output};
#[cfg(feature = "sandbox")]
use crate::{cli::GlobalArgs, environment, sandbox::Sandbox};

/// `variables get`
pub(crate) async fn variable(ctx: &Context, id: &str) -> Result<(), CliError> {
    let connection = ctx.connect(Purpose::Call)?;
    let failed = |e| ctx.api_error(format_args!("cannot get variable {id}"), e);
    if connection.api().await?.detected.api == tasklist_api::Api::V1 {
        // v1 also answers the draft, which the common interface does not carry.
        let found = connection
            .client
            .variables()
            .get(id)
            .await
            .map_err(failed)?;
        return ctx.out.record(&VariableOut::v1_whole(&found));
    }
    let found = connection
        .client
        .human_tasks()
        .variable(id)
        .await
        .map_err(failed)?;
    ctx.out.record(&VariableOut::whole(&found))
}

/// `forms get`: the form's schema on a terminal (the table format), the whole form as JSON.
pub(crate) async fn form(
    ctx: &Context,
    id: &str,
    process_definition_key: &str,
    version: Option<i64>,
) -> Result<(), CliError> {
    let connection = ctx.connect(Purpose::Call)?;
    let api = connection.api().await?.detected.api;
    if api != tasklist_api::Api::V1 {
        return Err(CliError::new(
            crate::exit::Exit::Usage,
            format!(
                "getting a form by its id is not supported on API {api}: API v2 reads a \
                 task's form through the task"
            ),
        )
        .hint("use `tasklist tasks form TASK_ID`; nothing was sent"));
    }
    let mut call = connection.client.forms().get(id, process_definition_key);
    if let Some(version) = version {
        call = call.version(version);
    }
    let found = call
        .await
        .map_err(|e| ctx.api_error(format_args!("cannot get form {id}"), e))?;
    if ctx.out.format() != Format::Table {
        return ctx.out.record(&found);
    }
    let schema = found.schema.as_deref().unwrap_or("");
    match serde_json::from_str::<Value>(schema) {
        Ok(parsed) => ctx.out.json(&parsed),
        Err(_) => ctx.out.text(schema),
    }
}

/// Reads the query: inline, `-` for stdin, `@FILE` for a file.
fn query_text(query: &str) -> Result<String, CliError> {
    if query == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::usage(format!("cannot read the query from stdin: {e}")))?;
        return Ok(text);
    }
    if let Some(path) = query.strip_prefix('@') {
        return std::fs::read_to_string(path)
            .map_err(|e| CliError::usage(format!("cannot read the query from {path}: {e}")));
    }
    Ok(query.to_owned())
}

/// `graphql`
pub(crate) async fn graphql(ctx: &Context, args: &GraphqlArgs) -> Result<(), CliError> {
    let query = query_text(&args.query)?;
    let variables = args
        .variables
        .as_deref()
        .map(|text| {
            serde_json::from_str::<Map<String, Value>>(text).map_err(|e| {
                CliError::usage(format!("--variables is not a JSON object: {e}"))
                    .hint("write --variables '{\"name\": value}'")
            })
        })
        .transpose()?;
    let connection = ctx.connect(Purpose::Call)?;
    let mut call = connection.client.graphql(query);
    if let Some(variables) = variables {
        call = call.variables(Value::Object(variables));
    }
    if let Some(name) = &args.operation_name {
        call = call.operation_name(name.clone());
    }
    let data = call.await.map_err(|e| {
        let not_found = e.is_not_found();
        let error = ctx.api_error("the GraphQL request failed", e);
        if not_found {
            error.hint("this server has no GraphQL endpoint (Camunda 8.8 removed it); use the REST commands")
        } else {
            error
        }
    })?;
    ctx.out.json(&data)
}

/// `config show`
pub(crate) fn config_show(ctx: &Context) -> Result<(), CliError> {
    let rows = ctx.settings.rows();
    let out: &Output = &ctx.out;
    if out.format() == Format::Table {
        let mut list = out.list(&["SETTING", "VALUE", "SOURCE"]);
        for row in &rows {
            list.push(row, |_, row| {
                vec![
                    output::cell(row.key),
                    output::cell(row.value.as_deref().unwrap_or("-")),
                    output::cell(row.source.as_deref().unwrap_or("")),
                ]
            })?;
        }
        return list.finish("");
    }
    out.record(&Rows(&rows))
}

/// The rows of `config show` as one JSON object, in their order:
/// `{"baseUrl": {"value": …, "source": …}, …}`.
struct Rows<'a>(&'a [crate::config::Row]);

impl serde::Serialize for Rows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;

        #[derive(serde::Serialize)]
        struct Entry<'a> {
            value: Option<&'a str>,
            source: Option<&'a str>,
        }
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for row in self.0 {
            map.serialize_entry(
                row.key,
                &Entry {
                    value: row.value.as_deref(),
                    source: row.source.as_deref(),
                },
            )?;
        }
        map.end()
    }
}

/// `completions`
pub(crate) fn completions(shell: clap_complete::Shell) -> Result<(), CliError> {
    let mut command = Cli::command();
    // Generated in memory: the generator panics on a failed write (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "tasklist", &mut script);
    let mut out = std::io::stdout();
    out.write_all(&script)?;
    out.flush()?;
    Ok(())
}

/// `sandbox serve`: runs until Ctrl-C, after printing how to reach it.
#[cfg(feature = "sandbox")]
pub(crate) async fn sandbox_serve(
    global: &GlobalArgs,
    port: u16,
    tasks: usize,
    version: tasklist_testkit::Profile,
) -> Result<(), CliError> {
    let format = match global.output {
        Some(format) => format,
        None => std::env::var(environment::OUTPUT)
            .ok()
            .and_then(|v| Format::parse(&v))
            .unwrap_or(Format::Table),
    };
    let sandbox = Sandbox::start(port, tasks, false, version).await?;
    let out = Output::new(format);
    if format == Format::Table {
        out.text(&format!(
            "Tasklist sandbox (Camunda {}) with {tasks} demo tasks at {} (OAuth client \
             credentials)",
            sandbox.version(),
            sandbox.settings().base_url
        ))?;
        out.text("Use it from other shells and programs with:")?;
        for line in sandbox.export_lines() {
            out.text(&line)?;
        }
        out.text("Press Ctrl-C to stop.")?;
    } else {
        let mut env = Map::new();
        for (name, value) in &sandbox.environment() {
            env.insert((*name).to_owned(), Value::String(value.clone()));
        }
        let mut doc = Map::new();
        doc.insert(
            "baseUrl".to_owned(),
            Value::String(sandbox.settings().base_url.clone()),
        );
        doc.insert(
            "version".to_owned(),
            Value::String(sandbox.version().as_str().to_owned()),
        );
        doc.insert("tasks".to_owned(), Value::from(tasks));
        doc.insert("environment".to_owned(), Value::Object(env));
        out.record(&Value::Object(doc))?;
    }
    let waited = stop_signal().await;
    sandbox.stop().await;
    waited.map_err(|e| {
        CliError::new(
            crate::exit::Exit::Failure,
            format!("cannot wait for Ctrl-C: {e}"),
        )
    })?;
    output::note("The sandbox has stopped.");
    Ok(())
}

/// Waits for Ctrl-C (SIGINT) or SIGTERM.
#[cfg(all(feature = "sandbox", unix))]
async fn stop_signal() -> std::io::Result<()> {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        interrupted = tokio::signal::ctrl_c() => interrupted,
        _ = terminate.recv() => Ok(()),
    }
}

/// Waits for Ctrl-C. Platforms other than Unix have no SIGTERM to wait for: Ctrl-C (or the
/// platform's own way of ending a process) stops the sandbox there.
#[cfg(all(feature = "sandbox", not(unix)))]
async fn stop_signal() -> std::io::Result<()> {
    tokio::signal::ctrl_c().await
}
