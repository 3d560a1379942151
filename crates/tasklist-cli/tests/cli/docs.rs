//! The command lines the docs show, run: every `console` transcript of `README.md`,
//! `docs/*.md` and `crates/*/README.md`, and every `tasklist` line of their `sh` blocks.
//!
//! **Transcripts** (```` ```console ```` blocks): each `$ ` line is a command (a line ending in
//! `\` goes on), the lines after it up to the next `$ ` are what it prints, stdout and stderr
//! together as a terminal shows them. A block runs as one `sh` script, in order, so `echo $?`
//! and pipes work as written; the script's output must equal the block, after the same
//! redactions on both sides: loopback ports (`127.0.0.1:[PORT]`), the sandbox's temporary
//! directories, token expiry times. `cargo run -p tasklist-cli -- ARGS` runs the built binary
//! with `ARGS`. Each block runs with an empty environment: `PATH` (the binary's directory
//! first), and `HOME` in a scratch directory whose path is removed from the output, so that
//! `~/.config` reads `/home/me/.config` as in the docs.
//!
//! An HTML comment on the line before a block sets it up for what its prose says:
//!
//! - `<!-- transcript: sandbox-serve -->`: "against a running sandbox": a
//!   `tasklist sandbox serve --port 0` runs for the block and its `export` lines are in the
//!   script's environment (so changes carry over from one command to the next);
//! - `<!-- transcript: config -->`: the page's first `toml` block is the config file;
//! - `<!-- transcript: until-shown -->`: a command that runs until stopped (`sandbox serve`)
//!   is stopped once it has printed as many lines as the block shows;
//! - `<!-- transcript: stalled-server -->`: the environment points at a server that ignores
//!   the search cursor and sends its first page again and again.
//!
//! **`sh` blocks** are commands to copy, not transcripts. Each line that starts with
//! `tasklist ` or `cargo run -p tasklist-cli -- ` is checked: against the sandbox
//! (`--sandbox`, nothing else on the line) it runs and must succeed; otherwise its words up to
//! the first redirection, pipe or comment are given to the binary with `--help` appended, which
//! fails on an unknown command, flag or value.
//!
//! `SNAPSHOTS=overwrite cargo test -p tasklist-cli --test cli docs::` writes what the commands
//! print into the transcripts instead (the scratch path removed, nothing else redacted): review
//! the diff before committing it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use snapbox::{Assert, Data, Redactions};

use crate::common::binary;

/// The longest a block may run.
const BLOCK_TIME_LIMIT: Duration = Duration::from_secs(120);

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The pages whose command lines are checked, relative to the root: the README, `docs/*.md`
/// and each crate's README.
fn pages() -> Vec<PathBuf> {
    let root = root();
    let listed = |dir: &str| -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        found.sort();
        found
    };
    let docs = listed("docs")
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"));
    let crates = listed("crates").into_iter().map(|p| p.join("README.md"));
    std::iter::once(root.join("README.md"))
        .chain(docs)
        .chain(crates)
        .filter(|p| p.is_file())
        .map(|p| p.strip_prefix(&root).unwrap().to_path_buf())
        .collect()
}

/// A fenced block of a page.
#[derive(Debug)]
struct Block {
    page: PathBuf,
    /// The 1-based line of the opening fence.
    line: usize,
    lang: String,
    setup: Vec<String>,
    /// The lines between the fences.
    body: Vec<String>,
    /// The 0-based index of the first body line in the page.
    start: usize,
}

impl Block {
    fn at(&self) -> String {
        format!("{}:{}", self.page.display(), self.line)
    }

    fn has(&self, setup: &str) -> bool {
        self.setup.iter().any(|s| s == setup)
    }
}

/// The fenced blocks of `text`, with the `<!-- transcript: … -->` setup on the line before each.
fn blocks(page: &Path, text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(lang) = lines[i].strip_prefix("```") else {
            i += 1;
            continue;
        };
        let setup = i
            .checked_sub(1)
            .and_then(|before| lines[before].strip_prefix("<!-- transcript: "))
            .and_then(|rest| rest.strip_suffix(" -->"))
            .map(|words| words.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        let end = (i + 1..lines.len())
            .find(|&j| lines[j].starts_with("```"))
            .unwrap_or_else(|| panic!("{}:{}: an unclosed block", page.display(), i + 1));
        found.push(Block {
            page: page.to_path_buf(),
            line: i + 1,
            lang: lang.split(',').next().unwrap_or("").trim().to_owned(),
            setup,
            body: lines[i + 1..end].iter().map(|l| (*l).to_owned()).collect(),
            start: i + 1,
        });
        i = end + 1;
    }
    found
}

/// The commands of a transcript: each `$ ` line with its continuation lines.
fn commands(block: &Block) -> Vec<String> {
    let mut commands = Vec::new();
    let mut lines = block.body.iter();
    while let Some(line) = lines.next() {
        let Some(first) = line.strip_prefix("$ ") else {
            continue;
        };
        let mut command = first.to_owned();
        while command.ends_with('\\') {
            command.push('\n');
            command.push_str(lines.next().expect("a continued command goes on"));
        }
        commands.push(command);
    }
    commands
}

/// `text` quoted for `sh`.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The script of a transcript: each command echoed as the block shows it, then run with the
/// exit status of the one before (for `echo $?`). With `exec`, the shell becomes the last
/// command, so that stopping the process stops the command.
fn script(commands: &[String], exec: bool) -> String {
    let mut script = String::from(
        "cargo() {\n\
         \x20 if [ \"$1 $2 $3 $4\" = 'run -p tasklist-cli --' ]; then shift 4; tasklist \"$@\";\n\
         \x20 else echo 'the transcripts run only `cargo run -p tasklist-cli -- …`' >&2; return 127; fi\n\
         }\n\
         status=0\n",
    );
    for command in commands {
        let _ = writeln!(script, "printf '%s\\n' {}", quote(&format!("$ {command}")));
        let run = if exec { "exec " } else { "" };
        let _ = writeln!(script, "(exit $status); {run}{command}\nstatus=$?");
    }
    script
}

/// A scratch directory whose `home/me` is HOME; its path is removed from the output.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = tempfile::Builder::new()
            .prefix("tasklist-docs-")
            .tempdir()
            .unwrap();
        std::fs::create_dir_all(dir.path().join("home/me")).unwrap();
        Scratch { dir }
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home/me")
    }

    fn prefix(&self) -> String {
        self.dir.path().display().to_string()
    }

    /// `sh` with an environment that holds only PATH (the binary's directory first) and HOME.
    fn shell(&self, script: &str, env: &BTreeMap<String, String>) -> Command {
        let bin = binary();
        let bin_dir = bin.parent().unwrap();
        let path = format!(
            "{}:{}",
            bin_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(script)
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.home())
            .envs(env)
            .current_dir(self.home())
            .stdin(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        cmd
    }
}

/// Kills a child's whole process group (the child leads one of its own: `process_group(0)`).
fn kill_group(child: &mut Child) {
    let group = child.id();
    if group > 1 {
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{group}")])
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Runs `cmd` with stdout and stderr on one pipe and returns what it printed: everything, or
/// with `lines`, the first that many lines (then the process group is stopped).
fn run_merged(mut cmd: Command, lines: Option<usize>, at: &str) -> String {
    let (reader, writer) = std::io::pipe().unwrap();
    cmd.stdout(writer.try_clone().unwrap()).stderr(writer);
    let mut child = cmd.spawn().unwrap();
    drop(cmd);
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(reader);
        let mut text = String::new();
        match lines {
            None => {
                let _ = reader.read_to_string(&mut text);
            }
            Some(wanted) => {
                for _ in 0..wanted {
                    if reader.read_line(&mut text).unwrap_or(0) == 0 {
                        break;
                    }
                }
            }
        }
        let _ = sender.send(text);
    });
    let text = receiver.recv_timeout(BLOCK_TIME_LIMIT).unwrap_or_else(|_| {
        kill_group(&mut child);
        panic!("{at}: still running after {BLOCK_TIME_LIMIT:?}")
    });
    if lines.is_some() {
        let _ = child.kill();
        let _ = child.wait();
    } else {
        let _ = child.wait();
    }
    text
}

/// A `tasklist sandbox serve --port 0` for a block, with its environment.
struct Served {
    child: Child,
    env: BTreeMap<String, String>,
}

impl Served {
    fn start(scratch: &Scratch) -> Served {
        let mut cmd = Command::new(binary());
        cmd.args(["sandbox", "serve", "--port", "0", "-o", "jsonl"])
            .env_clear()
            .env("HOME", scratch.home())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn().unwrap();
        // The first line, read on a thread so that a server that never prints cannot hang
        // the test.
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let Ok(line) = receiver.recv_timeout(Duration::from_secs(60)) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`sandbox serve -o jsonl` printed nothing in 60 s");
        };
        // Stopped on drop, also when the line below is not what it should be.
        let mut served = Served {
            child,
            env: BTreeMap::new(),
        };
        let started: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("`sandbox serve -o jsonl` printed {line:?}: {e}"));
        served.env = started["environment"]
            .as_object()
            .expect("an environment object")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        served
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What varies from run to run, the same on both sides of a comparison.
fn redactions() -> Redactions {
    let mut redactions = Redactions::new();
    let rules: [(&'static str, &str); 4] = [
        ("[PORT]", r"(?:127\.0\.0\.1|localhost):(?<redacted>[0-9]+)"),
        (
            "[SANDBOX]",
            r"(?<redacted>/tmp/tasklist-sandbox-[A-Za-z0-9]+)",
        ),
        (
            "[TIME]",
            r#"expiresAt"?:?\s+"?(?<redacted>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+Z)"#,
        ),
        ("[SECONDS]", r#"expiresInSeconds"?:?\s+(?<redacted>[0-9]+)"#),
    ];
    for (placeholder, pattern) in rules {
        redactions
            .insert(placeholder, regex::Regex::new(pattern).unwrap())
            .unwrap();
    }
    redactions
}

/// The server of `<!-- transcript: stalled-server -->`: every search answers the same full
/// page (tasks 1 to the page size asked for, as the paging tests' stub does), whatever its
/// cursor.
fn stalled_server(runtime: &tokio::runtime::Runtime) -> String {
    use crate::paging::{page_size, task};
    let app = axum::Router::new().route(
        "/v1/tasks/search",
        axum::routing::post(|axum::Json(body): axum::Json<Value>| async move {
            axum::Json(Value::Array((1..=page_size(&body)).map(task).collect()))
        }),
    );
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{address}")
    })
}

/// Runs a transcript; returns what its commands printed, the scratch path removed.
fn run_transcript(
    block: &Block,
    page_text: &str,
    runtime: &tokio::runtime::Runtime,
) -> (String, usize) {
    let scratch = Scratch::new();
    let commands = commands(block);
    let mut env = BTreeMap::new();
    let _served = if block.has("sandbox-serve") {
        let served = Served::start(&scratch);
        env.extend(served.env.clone());
        Some(served)
    } else {
        None
    };
    if block.has("config") {
        let config = blocks(&block.page, page_text)
            .into_iter()
            .find(|b| b.lang == "toml")
            .unwrap_or_else(|| panic!("{}: `config`, but the page has no toml block", block.at()));
        let dir = scratch.home().join(".config/tasklist");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.toml"), config.body.join("\n") + "\n").unwrap();
    }
    if block.has("stalled-server") {
        env.insert(
            "CAMUNDA_TASKLIST_BASE_URL".to_owned(),
            stalled_server(runtime),
        );
        env.insert("CAMUNDA_AUTH_STRATEGY".to_owned(), "none".to_owned());
        env.insert("TASKLIST_API".to_owned(), "v1".to_owned());
    }
    let output = if block.has("until-shown") {
        assert_eq!(
            commands.len(),
            1,
            "{}: `until-shown` runs one command",
            block.at()
        );
        let shown = block.body.len();
        run_merged(
            scratch.shell(&script(&commands, true), &env),
            Some(shown),
            &block.at(),
        )
    } else {
        run_merged(
            scratch.shell(&script(&commands, false), &env),
            None,
            &block.at(),
        )
    };
    (output.replace(&scratch.prefix(), ""), commands.len())
}

/// A `tasklist` command of a `sh` block: its arguments up to the first operator or comment,
/// and whether that was the whole line.
struct ShCommand {
    args: Vec<String>,
    whole: bool,
}

/// The `tasklist` command of a `sh` line, without variable assignments in front; `None` when
/// the line is no `tasklist` command, an error when it names `tasklist` but is not valid shell.
fn tasklist_words(line: &str) -> Option<Result<ShCommand, String>> {
    let Some(words) = shlex::split(line) else {
        return line
            .contains("tasklist")
            .then(|| Err(format!("`{line}` is not valid shell (an unclosed quote?)")));
    };
    let mut words = words.into_iter().peekable();
    while words.peek().is_some_and(|w| {
        w.split_once('=')
            .is_some_and(|(name, _)| name.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
    }) {
        words.next();
    }
    let words: Vec<String> = words.collect();
    let args = match words.first().map(String::as_str) {
        Some("tasklist") => &words[1..],
        Some("cargo")
            if words.get(1..4) == Some(&["run".into(), "-p".into(), "tasklist-cli".into()]) =>
        {
            words.get(5..).filter(|_| words[4] == "--")?
        }
        _ => return None,
    };
    let operators = ["|", ">", ">>", "<", "2>", "2>&1", ";", "&&", "||", "&"];
    let cut = args
        .iter()
        .position(|w| operators.contains(&w.as_str()) || w.starts_with('#'))
        .unwrap_or(args.len());
    Some(Ok(ShCommand {
        args: args[..cut].to_vec(),
        whole: cut == args.len(),
    }))
}

/// The lines of `sh` blocks, each with its continuations.
fn sh_lines(block: &Block) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for line in &block.body {
        if let Some(start) = line.strip_suffix('\\') {
            current.push_str(start);
            continue;
        }
        current.push_str(line);
        lines.push(std::mem::take(&mut current));
    }
    lines
}

/// Checks the `tasklist` command of a `sh` line; returns a failure.
fn check_sh_line(line: &str, command: &ShCommand, at: &str) -> Option<String> {
    let scratch = Scratch::new();
    let run_it = command.whole && command.args.iter().any(|a| a == "--sandbox");
    let mut cmd = Command::new(binary());
    cmd.args(&command.args)
        .env_clear()
        .env("HOME", scratch.home())
        .stdin(Stdio::null());
    if !run_it {
        cmd.arg("--help");
    }
    let output = cmd.output().unwrap();
    if output.status.success() {
        None
    } else {
        Some(format!(
            "{at}: `{line}` {} ({}):\n{}",
            if run_it {
                "failed"
            } else {
                "is not a valid command line"
            },
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

#[test]
fn every_command_line_in_the_docs_runs_as_shown() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let overwrite = std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite");
    let redactions = redactions();
    // Both sides are redacted here; snapbox's own filters (wildcards, `\` read as `/`) are
    // off, so that the docs' text is compared as written.
    let assert = Assert::new().palette(snapbox::report::Palette::plain());
    let mut failures = Vec::new();
    let (mut transcripts, mut transcript_commands, mut sh_checked) = (0, 0, 0);
    let mut per_page = BTreeMap::new();
    for page in pages() {
        let path = root().join(&page);
        let text = std::fs::read_to_string(&path).unwrap();
        // With SNAPSHOTS=overwrite: (first line, line count, new lines) of each block to
        // rewrite, applied last to first so that the earlier ones stay where they are.
        let mut rewrites: Vec<(usize, usize, Vec<String>)> = Vec::new();
        for block in blocks(&page, &text) {
            match block.lang.as_str() {
                "console" => {
                    let (actual, count) = run_transcript(&block, &text, &runtime);
                    transcripts += 1;
                    transcript_commands += count;
                    *per_page.entry(page.display().to_string()).or_insert(0) += count;
                    let expected = block.body.join("\n") + "\n";
                    let result = assert.try_eq(
                        Some(&block.at()),
                        Data::text(redactions.redact(&actual)),
                        Data::text(redactions.redact(&expected)).raw(),
                    );
                    if let Err(error) = result {
                        if overwrite {
                            let new = actual.lines().map(str::to_owned).collect();
                            rewrites.push((block.start, block.body.len(), new));
                        } else {
                            failures
                                .push(format!("{}: the transcript differs:\n{error}", block.at()));
                        }
                    }
                }
                "sh" | "bash" => {
                    for line in sh_lines(&block) {
                        let command = match tasklist_words(&line) {
                            None => continue,
                            Some(Err(error)) => {
                                failures.push(format!("{}: {error}", block.at()));
                                continue;
                            }
                            Some(Ok(command)) => command,
                        };
                        sh_checked += 1;
                        *per_page.entry(page.display().to_string()).or_insert(0) += 1;
                        failures.extend(check_sh_line(&line, &command, &block.at()));
                    }
                }
                _ => {}
            }
        }
        if !rewrites.is_empty() {
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            for (start, len, new) in rewrites.into_iter().rev() {
                lines.splice(start..start + len, new);
            }
            std::fs::write(&path, lines.join("\n") + "\n").unwrap();
            failures.push(format!(
                "{}: rewritten from the commands' output (SNAPSHOTS=overwrite); run again",
                page.display()
            ));
        }
    }
    eprintln!(
        "docs: {transcripts} transcripts with {transcript_commands} commands run and compared, \
         {sh_checked} command lines of sh blocks checked; per page: {per_page:?}"
    );
    assert!(
        transcript_commands > 30,
        "the transcripts were found ({transcript_commands} commands)"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_map_of_the_docs_lists_every_page() {
    let map = std::fs::read_to_string(root().join("docs/README.md")).unwrap();
    let mut pages: Vec<String> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md") && name != "README.md")
        .collect();
    pages.sort();
    let missing: Vec<&String> = pages
        .iter()
        .filter(|page| !map.contains(&format!("]({page})")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/README.md does not say which question these pages answer: {missing:?}"
    );
}
