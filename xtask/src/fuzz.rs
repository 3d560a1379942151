//! `cargo xtask fuzz`: runs the fuzz targets of `fuzz/` with `cargo +nightly fuzz` (libFuzzer).
//!
//! Every `[[bin]]` of `fuzz/Cargo.toml` is a target. Each runs for a fixed time with its corpus
//! in `fuzz/corpus/<target>` (kept between runs, not committed) seeded from the committed
//! `fuzz/seeds/<target>`, and its libFuzzer output in `fuzz/logs/<target>.log`. The report
//! gives per target the executions (libFuzzer's `stat::number_of_executed_units`, from
//! `-print_final_stats=1`) and the crashes (the inputs libFuzzer wrote to
//! `fuzz/artifacts/<target>/`); the task fails when any target crashed.
//!
//! cargo-fuzz builds with nightly only. Without a nightly toolchain the task fails, or with
//! `--smoke` (CI's run) says so and succeeds; a missing cargo-fuzz is installed. The targets
//! are built with `cargo +nightly fuzz build` and their binaries run directly, with the
//! arguments `cargo fuzz run` would give them.

use std::fs::{self, File};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The seconds each target runs for unless `--time` says otherwise.
const DEFAULT_SECONDS: u64 = 300;
/// The seconds each target runs for with `--smoke`. Its build (the code the targets run at
/// opt-level 1 or 2, no sanitizer, no HTTP or TLS stack) took 77 s from clean on two quiet
/// cores, a third of it libFuzzer's own C++; six targets at 2 s each bring the whole run to
/// 95 s, inside a two-minute budget.
const SMOKE_SECONDS: u64 = 2;
/// The build options of the smoke run: the dev profile (`fuzz/Cargo.toml` optimises only the
/// code the targets run) and no sanitizer (AddressSanitizer adds a third to the build, and the
/// workspace's crates forbid `unsafe` code). The full runs keep cargo-fuzz's defaults.
const SMOKE_BUILD: &[&str] = &["--dev", "-s", "none"];
/// The cargo-fuzz versions installed when it is missing: any 0.13 release (`cargo install`
/// takes a bare `0.13` for an exact version it cannot parse, so the requirement says `^`).
const CARGO_FUZZ_VERSION: &str = "^0.13";
/// libFuzzer's limit on one input, in seconds: longer is reported as a crash (a hang).
const INPUT_TIMEOUT_SECONDS: u64 = 10;

/// What the command line asked for.
struct Options {
    seconds: u64,
    smoke: bool,
    targets: Vec<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut seconds = None;
        let mut smoke = false;
        let mut targets = Vec::new();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--smoke" => smoke = true,
                "--time" => {
                    let value = args.next().ok_or("--time needs a number of seconds")?;
                    let parsed = value.parse::<u64>().ok().filter(|s| *s > 0);
                    seconds = Some(parsed.ok_or_else(|| {
                        format!("--time {value}: not a positive number of seconds")
                    })?);
                }
                other if other.starts_with('-') => {
                    return Err(format!(
                        "unknown fuzz option `{other}`; the options are --time S and --smoke"
                    ));
                }
                target => targets.push(target.to_owned()),
            }
        }
        let default = if smoke {
            SMOKE_SECONDS
        } else {
            DEFAULT_SECONDS
        };
        Ok(Options {
            seconds: seconds.unwrap_or(default),
            smoke,
            targets,
        })
    }
}

/// How one target's run went.
struct Outcome {
    target: String,
    elapsed: Duration,
    executions: Option<u64>,
    crashes: Vec<String>,
    exit: Option<i32>,
}

impl Outcome {
    fn failed(&self) -> bool {
        !self.crashes.is_empty() || self.exit != Some(0)
    }
}

/// Runs `cargo xtask fuzz ARGS` in the workspace at `root`.
pub(crate) fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let fuzz_dir = root.join("fuzz");
    let known = targets(&fuzz_dir)?;
    for target in &options.targets {
        if !known.contains(target) {
            return Err(format!(
                "no fuzz target `{target}`; the targets are {}",
                known.join(", ")
            ));
        }
    }
    let chosen = if options.targets.is_empty() {
        known
    } else {
        options.targets.clone()
    };

    if let Err(why) = nightly_present() {
        if options.smoke {
            println!("nightly not present: fuzz smoke run skipped");
            println!("(`cargo +nightly --version` failed: {why})");
            return Ok(());
        }
        return Err(format!(
            "nightly not present: `cargo +nightly` failed ({why}); cargo fuzz builds with \
             nightly only: install it with `rustup toolchain install nightly`"
        ));
    }
    ensure_cargo_fuzz()?;

    let started = Instant::now();
    println!(
        "\n==> cargo +nightly fuzz build{} ({})",
        if options.smoke { " --dev -s none" } else { "" },
        chosen.join(", ")
    );
    let mut build = nightly_cargo(&["fuzz", "build"]);
    if options.smoke {
        build.args(SMOKE_BUILD);
    }
    let status = build
        .current_dir(root)
        .status()
        .map_err(|e| format!("could not start `cargo +nightly fuzz build`: {e}"))?;
    if !status.success() {
        return Err(format!("`cargo +nightly fuzz build` failed ({status})"));
    }
    let build = started.elapsed();
    println!("<== built in {:.1} s", build.as_secs_f64());

    let logs = fuzz_dir.join("logs");
    fs::create_dir_all(&logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
    let mut outcomes = Vec::new();
    for target in &chosen {
        outcomes.push(run_target(
            root,
            &fuzz_dir,
            target,
            options.seconds,
            options.smoke,
        )?);
    }

    println!(
        "\n{:<16} {:>8} {:>12} {:>8} {:>8}",
        "fuzz target", "time", "executions", "exec/s", "crashes"
    );
    for o in &outcomes {
        let seconds = o.elapsed.as_secs_f64();
        let (executions, rate) = match o.executions {
            Some(n) => (
                n.to_string(),
                format!("{:.0}", n as f64 / seconds.max(0.001)),
            ),
            None => ("?".to_owned(), "?".to_owned()),
        };
        println!(
            "{:<16} {:>6.1} s {executions:>12} {rate:>8} {:>8}",
            o.target,
            seconds,
            o.crashes.len()
        );
    }
    println!(
        "build {:.1} s, everything {:.1} s",
        build.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );

    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| o.failed()).collect();
    if failed.is_empty() {
        return Ok(());
    }
    let mut message = String::from("fuzzing found failures:");
    for o in failed {
        if o.crashes.is_empty() {
            message.push_str(&format!(
                "\n  {}: libFuzzer exited with {:?} without writing a crash; see fuzz/logs/{}.log",
                o.target, o.exit, o.target
            ));
        }
        for crash in &o.crashes {
            message.push_str(&format!(
                "\n  {}: {crash}\n    reproduce: cargo +nightly fuzz run{} {} {crash}",
                o.target,
                if options.smoke { " --dev -s none" } else { "" },
                o.target
            ));
        }
    }
    Err(message)
}

/// Runs one target for `seconds`; its output goes to `fuzz/logs/<target>.log`.
/// With `dev`, the unoptimised build (quicker to build, slower to run).
fn run_target(
    root: &Path,
    fuzz_dir: &Path,
    target: &str,
    seconds: u64,
    dev: bool,
) -> Result<Outcome, String> {
    let corpus = fuzz_dir.join("corpus").join(target);
    fs::create_dir_all(&corpus).map_err(|e| format!("cannot create {}: {e}", corpus.display()))?;
    let seeds = fuzz_dir.join("seeds").join(target);
    let log_path = fuzz_dir.join("logs").join(format!("{target}.log"));
    let log = File::create(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let log_err = log
        .try_clone()
        .map_err(|e| format!("cannot use {}: {e}", log_path.display()))?;

    // The binary `cargo fuzz build` made, run as `cargo fuzz run` would run it (without
    // `cargo fuzz run`'s second look at the build, which costs a second a target). The first
    // directory is the corpus libFuzzer adds to; the seeds are only read.
    let binary = fuzz_dir
        .join("target")
        .join(host_triple()?)
        .join(if dev { "debug" } else { "release" })
        .join(target);
    let artifacts = fuzz_dir.join("artifacts").join(target);
    fs::create_dir_all(&artifacts)
        .map_err(|e| format!("cannot create {}: {e}", artifacts.display()))?;
    let mut command = Command::new(&binary);
    command.arg(format!("-artifact_prefix={}/", artifacts.display()));
    command.arg(&corpus);
    if seeds.is_dir() {
        command.arg(&seeds);
    }
    command
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-timeout={INPUT_TIMEOUT_SECONDS}"))
        .arg("-print_final_stats=1")
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(log_err));
    println!(
        "\n==> fuzz {target} for {seconds} s (log: {})",
        log_path.display()
    );
    let started = Instant::now();
    let status = command
        .status()
        .map_err(|e| format!("could not start {}: {e}", binary.display()))?;
    let elapsed = started.elapsed();
    let text = fs::read_to_string(&log_path).unwrap_or_default();
    let outcome = Outcome {
        target: target.to_owned(),
        elapsed,
        executions: executions(&text),
        crashes: crashes(&text),
        exit: status.code(),
    };
    if outcome.failed() {
        let lines: Vec<&str> = text.lines().collect();
        println!("--- the end of {}:", log_path.display());
        for line in &lines[lines.len().saturating_sub(40)..] {
            println!("{line}");
        }
    }
    println!(
        "<== {target}: {} executions, {} crashes, {:.1} s",
        outcome
            .executions
            .map_or_else(|| "?".to_owned(), |n| n.to_string()),
        outcome.crashes.len(),
        elapsed.as_secs_f64()
    );
    Ok(outcome)
}

/// The targets: the names of the `[[bin]]` tables of `fuzz/Cargo.toml`, in order.
fn targets(fuzz_dir: &Path) -> Result<Vec<String>, String> {
    let manifest = fuzz_dir.join("Cargo.toml");
    let text = fs::read_to_string(&manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let mut names = Vec::new();
    let mut in_bin = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if in_bin
            && let Some(value) = line.strip_prefix("name")
            && let Some(value) = value.trim_start().strip_prefix('=')
        {
            names.push(value.trim().trim_matches('"').to_owned());
        }
    }
    if names.is_empty() {
        return Err(format!("{} names no [[bin]] target", manifest.display()));
    }
    Ok(names)
}

/// `cargo +nightly ARGS`, through rustup, whatever toolchain this task itself runs on.
fn nightly_cargo(args: &[&str]) -> Command {
    let mut command = Command::new("cargo");
    command.arg("+nightly").args(args);
    // Set by the cargo of the pinned toolchain that runs this task; they would point the
    // nested cargo back at that toolchain.
    for variable in ["RUSTUP_TOOLCHAIN", "CARGO", "RUSTC", "RUSTDOC"] {
        command.env_remove(variable);
    }
    command
}

/// The host's target triple, under which cargo-fuzz puts its builds.
fn host_triple() -> Result<String, String> {
    let mut rustc = Command::new("rustc");
    rustc.args(["+nightly", "-vV"]);
    for variable in ["RUSTUP_TOOLCHAIN", "CARGO", "RUSTC", "RUSTDOC"] {
        rustc.env_remove(variable);
    }
    let output = rustc
        .output()
        .map_err(|e| format!("could not run `rustc +nightly -vV`: {e}"))?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| "`rustc +nightly -vV` names no host".to_owned())
}

/// Whether `cargo +nightly` works; the error says why not.
fn nightly_present() -> Result<(), String> {
    let out = nightly_cargo(&["--version"])
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        // rustup's first line says it ("toolchain 'nightly-…' is not installed").
        let stderr = String::from_utf8_lossy(&out.stderr);
        Err(stderr
            .lines()
            .next()
            .unwrap_or("no message")
            .trim()
            .to_owned())
    }
}

/// Installs cargo-fuzz unless `cargo +nightly fuzz` already works.
fn ensure_cargo_fuzz() -> Result<(), String> {
    let present = nightly_cargo(&["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if present {
        return Ok(());
    }
    println!("\n==> cargo install cargo-fuzz --version {CARGO_FUZZ_VERSION} --locked");
    let status = Command::new("cargo")
        .args([
            "install",
            "cargo-fuzz",
            "--version",
            CARGO_FUZZ_VERSION,
            "--locked",
        ])
        .status()
        .map_err(|e| format!("could not start `cargo install cargo-fuzz`: {e}"))?;
    if !status.success() {
        return Err(format!(
            "cargo-fuzz is not installed and `cargo install cargo-fuzz --locked` failed \
             ({status}); install it by hand"
        ));
    }
    Ok(())
}

/// libFuzzer's final count of executed inputs.
fn executions(log: &str) -> Option<u64> {
    log.lines()
        .rev()
        .find_map(|line| line.strip_prefix("stat::number_of_executed_units:"))
        .and_then(|n| n.trim().parse().ok())
}

/// The failing inputs libFuzzer wrote (crashes, leaks, timeouts, out-of-memory), not the slow
/// ones it merely reports.
fn crashes(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|line| {
            line.split_once("Test unit written to ")
                .map(|(_, path)| path.trim())
        })
        .filter(|path| {
            let file = Path::new(path)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            ["crash-", "leak-", "timeout-", "oom-"]
                .iter()
                .any(|kind| file.starts_with(kind))
        })
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libfuzzer_output_is_read() {
        let log = "INFO: Seed: 1\n#2 INITED\nDone 470147 runs in 21 second(s)\n\
                   stat::number_of_executed_units: 470147\nstat::average_exec_per_sec: 22387\n";
        assert_eq!(executions(log), Some(470_147));
        assert!(crashes(log).is_empty());
        let log = "thread panicked\nSUMMARY: libFuzzer: deadly signal\nMS: 1 ...\n\
                   artifact_prefix='/w/fuzz/artifacts/error_body/'; Test unit written to \
                   /w/fuzz/artifacts/error_body/crash-387a\nslow-unit: Test unit written to \
                   ./slow-unit-1\nstat::number_of_executed_units: 391\n";
        assert_eq!(executions(log), Some(391));
        assert_eq!(crashes(log), ["/w/fuzz/artifacts/error_body/crash-387a"]);
        assert_eq!(executions("no stats"), None);
    }

    #[test]
    fn options_and_targets() {
        let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let o = Options::parse(&args(&[])).unwrap();
        assert_eq!(
            (o.seconds, o.smoke, o.targets.len()),
            (DEFAULT_SECONDS, false, 0)
        );
        let o = Options::parse(&args(&["--smoke"])).unwrap();
        assert_eq!((o.seconds, o.smoke), (SMOKE_SECONDS, true));
        let o = Options::parse(&args(&["--time", "60", "timestamp"])).unwrap();
        assert_eq!(
            (o.seconds, o.targets.as_slice()),
            (60, &["timestamp".to_owned()][..])
        );
        assert!(Options::parse(&args(&["--time", "0"])).is_err());
        assert!(Options::parse(&args(&["--time"])).is_err());
        assert!(Options::parse(&args(&["--fast"])).is_err());

        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
        let found = targets(&root).unwrap();
        for name in ["error_body", "variable_value", "timestamp"] {
            assert!(found.iter().any(|t| t == name), "{found:?}");
            assert!(
                root.join("fuzz_targets")
                    .join(format!("{name}.rs"))
                    .is_file()
            );
        }
    }
}
