//! `cargo xtask dist`: the `tasklist` binary people install, its shell completions and their
//! checksums, in `target/dist/`.
//!
//! The binary is built with
//! `cargo build --locked --profile dist -p tasklist-cli --bin tasklist` and the default features,
//! so `--sandbox` (the README's first command) works in it. The `dist` profile of the root
//! `Cargo.toml` is the release profile with whole-program LTO, one codegen unit and no symbols.
//! Cargo would put a `dist` profile's build in `target/dist/` itself, the directory this task
//! empties on every run, so the build has its own target directory, `target/dist-build/`, and
//! is kept there between runs. The profile's choices, and the binary's size and start-up time,
//! are measured in `docs/benchmarks.md` ("Release binary").
//!
//! `target/dist/` is emptied and then holds:
//!
//! | file | what |
//! |---|---|
//! | `tasklist` (`tasklist.exe` for Windows) | the binary |
//! | `completions/tasklist.bash`, `_tasklist`, `tasklist.fish`, `tasklist.elv`, `_tasklist.ps1` | what `tasklist completions bash`, `zsh`, `fish`, `elvish`, `powershell` print, named as each shell looks for them (and as `clap_complete` names them) |
//! | `SHA256SUMS` | `<hex>  <path>` for each file above, as `sha256sum -c SHA256SUMS` reads it |
//!
//! The scripts are printed by the built binary. With `--target TRIPLE` for another platform
//! than the host, that binary cannot run here: the scripts then come from a host build of the
//! same sources (`target/dist-build/debug/`), since they depend only on the command line's
//! definition, and the binary's `--version` is not checked.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use sha2::{Digest, Sha256};

/// The package and binary built.
const PACKAGE: &str = "tasklist-cli";
const BINARY: &str = "tasklist";
/// The directory written, under the workspace root.
const DIST_DIR: &str = "target/dist";
/// The build's own target directory, under the workspace root.
const BUILD_DIR: &str = "target/dist-build";

/// The shells `tasklist completions` knows (its values), each with its script's file name.
const COMPLETIONS: &[(&str, &str)] = &[
    ("bash", "tasklist.bash"),
    ("zsh", "_tasklist"),
    ("fish", "tasklist.fish"),
    ("elvish", "tasklist.elv"),
    ("powershell", "_tasklist.ps1"),
];

/// What the command line asked for.
#[derive(Debug, PartialEq)]
struct Options {
    target: Option<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut target = None;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--target" => {
                    let value = args
                        .next()
                        .filter(|v| !v.is_empty() && !v.starts_with('-'))
                        .ok_or("--target needs a target triple (`rustc --print target-list`)")?;
                    target = Some(value.clone());
                }
                other => {
                    return Err(format!(
                        "unknown dist option `{other}`; the only option is --target TRIPLE"
                    ));
                }
            }
        }
        Ok(Options { target })
    }
}

/// One file written to `target/dist/`.
struct Artifact {
    /// Relative to `target/dist/`, with `/` separators.
    path: String,
    bytes: u64,
    sha256: String,
}

/// Runs `cargo xtask dist ARGS` in the workspace at `root`.
pub(crate) fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let started = Instant::now();
    let version = crate_version(&root.join("crates/tasklist-cli/Cargo.toml"))?;
    let build_dir = root.join(BUILD_DIR);
    let build_dir_arg = build_dir
        .to_str()
        .ok_or_else(|| format!("{} is not valid UTF-8", build_dir.display()))?;

    // `cargo build` of the binary into the build directory, with the profile and target given.
    let build = |profile: &str, target: Option<&str>| {
        let mut args = vec![
            "build",
            "--locked",
            "--profile",
            profile,
            "-p",
            PACKAGE,
            "--bin",
            BINARY,
            "--target-dir",
            build_dir_arg,
        ];
        if let Some(target) = target {
            args.extend(["--target", target]);
        }
        crate::cargo(&args, &[])
    };
    build("dist", options.target.as_deref())?;
    let built = built_binary(&build_dir, options.target.as_deref(), "dist");

    // Whether the binary runs here: no `--target`, or the host's own.
    let native = match &options.target {
        None => true,
        Some(target) => *target == host_triple(root)?,
    };
    let runner = if native {
        built.clone()
    } else {
        println!(
            "\n{} is not the host's target: the completion scripts come from a host build",
            options.target.as_deref().unwrap_or_default()
        );
        build("dev", None)?;
        built_binary(&build_dir, None, "debug")
    };

    let dist = root.join(DIST_DIR);
    if dist.exists() {
        fs::remove_dir_all(&dist).map_err(|e| format!("cannot remove {}: {e}", dist.display()))?;
    }
    let completions = dist.join("completions");
    fs::create_dir_all(&completions)
        .map_err(|e| format!("cannot create {}: {e}", completions.display()))?;

    let name = binary_name(options.target.as_deref());
    let copied = dist.join(name);
    fs::copy(&built, &copied).map_err(|e| {
        format!(
            "cannot copy {} to {}: {e}",
            built.display(),
            copied.display()
        )
    })?;
    let mut written = vec![name.to_owned()];

    for (shell, file) in COMPLETIONS {
        let script = run_binary(&runner, &["completions", shell])?;
        if !script.contains(BINARY) {
            return Err(format!(
                "`{} completions {shell}` printed no script for `{BINARY}`",
                runner.display()
            ));
        }
        let path = completions.join(file);
        fs::write(&path, script).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(format!("completions/{file}"));
    }

    let mut artifacts = Vec::new();
    for path in &written {
        let full = dist.join(path);
        let data = fs::read(&full).map_err(|e| format!("cannot read {}: {e}", full.display()))?;
        artifacts.push(Artifact {
            path: path.clone(),
            bytes: data.len() as u64,
            sha256: sha256_hex(&data),
        });
    }
    let sums_path = dist.join("SHA256SUMS");
    fs::write(&sums_path, sums(&artifacts))
        .map_err(|e| format!("cannot write {}: {e}", sums_path.display()))?;

    if native {
        let expected = format!("{BINARY} {version}");
        let printed = run_binary(&copied, &["--version"])?;
        if printed.trim() != expected {
            return Err(format!(
                "`{} --version` printed `{}`, not `{expected}`",
                copied.display(),
                printed.trim()
            ));
        }
        println!("\n{} --version: {expected}", copied.display());
    } else {
        println!("\n{}: built for another target, not run", copied.display());
    }

    println!("\n{}:", dist.display());
    for a in &artifacts {
        println!(
            "  {:<26} {:>10} bytes  sha256 {}",
            a.path,
            thousands(a.bytes),
            a.sha256
        );
    }
    println!(
        "  {:<26} (`sha256sum -c SHA256SUMS` checks them)",
        "SHA256SUMS"
    );
    println!(
        "dist of {BINARY} {version} done in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Where cargo leaves the binary built into `build_dir` with `profile` (`dist`, `debug`).
fn built_binary(build_dir: &Path, target: Option<&str>, profile: &str) -> PathBuf {
    let mut path = build_dir.to_path_buf();
    if let Some(target) = target {
        path.push(target);
    }
    path.push(profile);
    path.push(binary_name(target));
    path
}

/// The binary's file name: with `.exe` for a Windows target (or, without one, a Windows host).
fn binary_name(target: Option<&str>) -> &'static str {
    let windows = match target {
        Some(triple) => triple.contains("-windows"),
        None => cfg!(windows),
    };
    if windows { "tasklist.exe" } else { BINARY }
}

/// The `version` of the `[package]` table of the manifest at `path`.
fn crate_version(path: &Path) -> Result<String, String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    package_version(&text).ok_or_else(|| format!("{} has no [package] version", path.display()))
}

/// The `version = "…"` line of the `[package]` table of a manifest's text.
fn package_version(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package
            && let Some(value) = line.strip_prefix("version")
            && let Some(value) = value.trim_start().strip_prefix('=')
        {
            let value = value.trim();
            // `version.workspace = true` does not reach here (it does not start `version =`).
            return value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_owned);
        }
    }
    None
}

/// Runs `binary ARGS` and returns what it printed; a failure, or output that is not UTF-8, is
/// an error.
fn run_binary(binary: &Path, args: &[&str]) -> Result<String, String> {
    let shown = format!("{} {}", binary.display(), args.join(" "));
    let output = Command::new(binary)
        .args(args)
        .output()
        .map_err(|e| format!("could not run `{shown}`: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{shown}` failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|_| format!("`{shown}` printed invalid UTF-8"))
}

/// The host's target triple, from the toolchain the workspace pins.
fn host_triple(root: &Path) -> Result<String, String> {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    crate::cmd::output(&rustc, &["-vV"], root)?
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| format!("`{rustc} -vV` names no host"))
}

/// The lowercase hex SHA-256 of `data`.
fn sha256_hex(data: &[u8]) -> String {
    format!("{:x}", Sha256::digest(data))
}

/// The text of `SHA256SUMS`: a `<hex>  <path>` line per artifact (two spaces: `sha256sum`'s
/// text mode, which is byte for byte the same as binary mode on the systems that check it).
fn sums(artifacts: &[Artifact]) -> String {
    artifacts
        .iter()
        .map(|a| format!("{}  {}\n", a.sha256, a.path))
        .collect()
}

/// `12345678` as `12,345,678`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_sums_lines_are_what_sha256sum_checks() {
        // FIPS 180-2's "abc".
        let abc = sha256_hex(b"abc");
        assert_eq!(
            abc,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let artifacts = [
            Artifact {
                path: "tasklist".to_owned(),
                bytes: 3,
                sha256: abc.clone(),
            },
            Artifact {
                path: "completions/_tasklist".to_owned(),
                bytes: 0,
                sha256: sha256_hex(b""),
            },
        ];
        let text = sums(&artifacts);
        assert_eq!(
            text,
            format!(
                "{abc}  tasklist\n\
                 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  completions/_tasklist\n"
            )
        );
        for line in text.lines() {
            let (hex, path) = line.split_once("  ").unwrap();
            assert_eq!(hex.len(), 64);
            assert!(
                hex.bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            );
            assert!(!path.starts_with('/') && !path.contains('\\'), "{path}");
        }
    }

    #[test]
    fn completion_files_are_named_as_the_shells_expect() {
        let names: Vec<(&str, &str)> = COMPLETIONS.to_vec();
        assert_eq!(
            names,
            [
                ("bash", "tasklist.bash"),
                ("zsh", "_tasklist"),
                ("fish", "tasklist.fish"),
                ("elvish", "tasklist.elv"),
                ("powershell", "_tasklist.ps1"),
            ]
        );
    }

    #[test]
    fn binary_paths_follow_cargo_and_the_target() {
        let dir = Path::new("/w/target/dist-build");
        assert_eq!(
            built_binary(dir, Some("x86_64-unknown-linux-musl"), "dist"),
            dir.join("x86_64-unknown-linux-musl/dist/tasklist")
        );
        assert_eq!(
            built_binary(dir, Some("x86_64-pc-windows-msvc"), "dist"),
            dir.join("x86_64-pc-windows-msvc/dist/tasklist.exe")
        );
        assert_eq!(
            binary_name(Some("aarch64-pc-windows-gnullvm")),
            "tasklist.exe"
        );
        assert_eq!(binary_name(Some("aarch64-apple-darwin")), "tasklist");
        let native = built_binary(dir, None, "dist");
        assert_eq!(native.parent(), Some(dir.join("dist").as_path()));
        assert_eq!(
            native.file_name().and_then(|f| f.to_str()),
            Some(if cfg!(windows) {
                "tasklist.exe"
            } else {
                "tasklist"
            })
        );
    }

    #[test]
    fn options() {
        let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(Options::parse(&args(&[])), Ok(Options { target: None }));
        assert_eq!(
            Options::parse(&args(&["--target", "aarch64-unknown-linux-gnu"])),
            Ok(Options {
                target: Some("aarch64-unknown-linux-gnu".to_owned())
            })
        );
        assert!(Options::parse(&args(&["--target"])).is_err());
        assert!(Options::parse(&args(&["--target", "--release"])).is_err());
        assert!(Options::parse(&args(&["--release"])).is_err());
    }

    #[test]
    fn the_package_version_is_read() {
        let manifest = "[package]\nname = \"x\"\nversion = \"1.2.3\"\n\n\
                        [dependencies]\nversion = \"9\"\n";
        assert_eq!(package_version(manifest).as_deref(), Some("1.2.3"));
        assert_eq!(
            package_version("[package]\nversion.workspace = true\n[dependencies]\n"),
            None
        );
        assert_eq!(package_version("[dependencies]\nversion = \"1\"\n"), None);
        let real = crate_version(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/tasklist-cli/Cargo.toml"),
        )
        .unwrap();
        assert!(real.split('.').count() >= 3, "{real}");
    }

    #[test]
    fn sizes_have_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(12_345_678), "12,345,678");
    }
}
