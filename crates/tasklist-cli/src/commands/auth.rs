//! `tasklist auth …`

use std::path::Path;
use std::time::SystemTime;

use base64::Engine as _;
use secrecy::{ExposeSecret as _, SecretString};
use serde::Serialize;
use tasklist_api::{Api, jiff};
use tasklist_auth::{Strategy, env};

use super::context::Context;
use crate::connect::{AuthHandle, Purpose};
use crate::error::CliError;
use crate::exit::Exit;

/// What `auth check` reports. Field names are camelCase in JSON; absent fields are left out.
#[derive(Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct CheckReport {
    strategy: &'static str,
    base_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    token_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    audience: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token_audience: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token_cache: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_file: Option<String>,
    /// `ok` once the API accepted the credentials.
    api: &'static str,
    /// The task API in use: `v1` or `v2`; in the table format with the Camunda version.
    task_api: String,
    /// The version the server reported, when it was asked (now or within the cache's
    /// lifetime).
    #[serde(skip_serializing_if = "Option::is_none")]
    camunda_version: Option<String>,
    /// Where the task API came from: the setting, the cache file, or the server.
    task_api_source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
}

/// `at` as an RFC 3339 UTC date-time, to the second.
fn rfc3339(at: SystemTime) -> Option<String> {
    let at = jiff::Timestamp::try_from(at).ok()?;
    let at = jiff::Timestamp::from_second(at.as_second()).ok()?;
    Some(at.to_string())
}

fn seconds_left(at: SystemTime) -> u64 {
    at.duration_since(SystemTime::now())
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The `exp` and `aud` claims of a JWT, read without checking its signature (only to
/// report them; the server checks the token).
fn jwt_claims(token: &SecretString) -> (Option<SystemTime>, Option<Vec<String>>) {
    let mut parts = token.expose_secret().split('.');
    let (Some(_), Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return (None, None);
    };
    let Ok(bytes) =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('='))
    else {
        return (None, None);
    };
    let Ok(claims) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return (None, None);
    };
    let exp = claims["exp"]
        .as_u64()
        .map(|s| SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(s));
    let aud = match &claims["aud"] {
        serde_json::Value::String(one) => Some(vec![one.clone()]),
        serde_json::Value::Array(many) => Some(
            many.iter()
                .filter_map(|a| a.as_str().map(str::to_owned))
                .collect(),
        ),
        _ => None,
    };
    (exp, aud)
}

/// `auth check`
pub(crate) async fn check(ctx: &Context, show_token: bool) -> Result<(), CliError> {
    let settings = &ctx.settings;
    let connection = ctx.connect(Purpose::Call)?;
    let mut report = CheckReport {
        strategy: settings.strategy.value.name(),
        base_url: settings.base_url.value.clone(),
        ..CheckReport::default()
    };
    match &connection.auth {
        AuthHandle::OAuth {
            cache,
            token_url,
            client_id,
            audience,
            disk_cache,
        } => {
            let token = cache
                .token()
                .await
                .map_err(|e| CliError::auth("cannot get an access token", e, &ctx.hints))?;
            report.token_url = Some(token_url.clone());
            report.client_id = Some(client_id.clone());
            report.audience = audience.clone();
            report.token_audience = Some(token.audience().to_vec());
            report.expires_at = rfc3339(token.expires_at());
            report.expires_in_seconds = Some(seconds_left(token.expires_at()));
            report.token_cache = Some(match disk_cache {
                Some(dir) => dir.display().to_string(),
                None => "memory only".to_owned(),
            });
            if show_token {
                report.token = Some(token.secret().expose_secret().to_owned());
            }
        }
        AuthHandle::Cookie {
            auth,
            session_file,
            restored,
        } => {
            report.username = Some(auth.username().to_owned());
            report.session = Some(if *restored { "kept" } else { "new login" });
            report.session_file = session_file.as_deref().map(|p| p.display().to_string());
        }
        AuthHandle::Basic { username } => report.username = Some(username.clone()),
        AuthHandle::Bearer { token } => {
            let (exp, aud) = jwt_claims(token);
            report.token_audience = aud;
            report.expires_at = exp.and_then(rfc3339);
            report.expires_in_seconds = exp.map(seconds_left);
            if show_token {
                report.token = Some(token.expose_secret().to_owned());
            }
        }
        AuthHandle::None => {}
    }
    let chosen = connection.api().await?;
    // One search for a single task, in the API the server speaks, proves the credentials.
    let refused = |e: tasklist_api::Error| {
        let missing = e.is_not_found();
        let error = ctx.api_error("the Tasklist API refused the credentials", e);
        match (missing, chosen.detected.api) {
            (true, Api::V1) => error.hint(format!(
                "the server has no task API v1 (Camunda 8.10 removed it), but v1 is chosen ({}); \
                 use --api v2 or --api auto",
                chosen.origin
            )),
            (true, _) => error.hint(format!(
                "the server has no task API v2 (it came with Camunda 8.8), but v2 is chosen \
                 ({}); use --api v1 or --api auto",
                chosen.origin
            )),
            _ => error,
        }
    };
    match chosen.detected.api {
        Api::V1 => {
            connection
                .client
                .tasks()
                .search()
                .page_size(1)
                .await
                .map_err(refused)?;
        }
        _ => {
            connection
                .client
                .user_tasks()
                .search()
                .limit(1)
                .await
                .map_err(refused)?;
        }
    }
    report.api = "ok";
    report.task_api = chosen.detected.api.to_string();
    report.task_api_source = chosen.origin.to_string();
    match chosen.detected.gateway_version {
        // A table shows one line: `taskApi  v2 (Camunda 8.9.0)`.
        Some(version) if ctx.out.format() == crate::cli::Format::Table => {
            report.task_api = format!("{} (Camunda {version})", report.task_api);
        }
        version => report.camunda_version = version,
    }
    ctx.out.record(&report)
}

fn require_cookie(ctx: &Context, command: &str) -> Result<(), CliError> {
    let strategy = &ctx.settings.strategy;
    if strategy.value == Strategy::Cookie {
        return Ok(());
    }
    let hint = match strategy.value {
        Strategy::OAuth => "OAuth tokens need no login: they are fetched and cached by themselves \
                            (`tasklist auth check` shows the token); for a cookie session use \
                            --auth cookie --username NAME"
            .to_owned(),
        _ => format!(
            "for a cookie session use --auth cookie --username NAME (or {}={})",
            env::AUTH_STRATEGY,
            Strategy::Cookie.name()
        ),
    };
    Err(CliError::usage(format!(
        "`{command}` is for cookie sessions, but the strategy is {} ({})",
        strategy.value.name(),
        strategy.source
    ))
    .hint(hint))
}

/// What `auth login` and `auth logout` report.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionReport {
    username: String,
    logged_in: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_file: Option<String>,
}

/// `auth login`
pub(crate) async fn login(ctx: &Context) -> Result<(), CliError> {
    require_cookie(ctx, "auth login")?;
    let connection = ctx.connect(Purpose::Login)?;
    let AuthHandle::Cookie {
        auth, session_file, ..
    } = &connection.auth
    else {
        return Err(CliError::new(Exit::Failure, "no cookie session was set up"));
    };
    auth.login()
        .await
        .map_err(|e| CliError::auth("cannot log in", e, &ctx.hints))?;
    if let Some(file) = session_file
        && !file.is_file()
    {
        return Err(CliError::new(
            Exit::Failure,
            format!(
                "logged in, but the session could not be kept in {}",
                file.display()
            ),
        )
        .hint("check that its directory is writable, or choose another with --session-file"));
    }
    // Finds out the task API now and keeps it beside the session, so that later commands
    // make their one request only; a failure here only costs a later command the question.
    let _ = connection.api().await;
    let report = SessionReport {
        username: auth.username().to_owned(),
        logged_in: true,
        session_file: session_file.as_deref().map(|p| p.display().to_string()),
    };
    if ctx.out.format() == crate::cli::Format::Table {
        return ctx.out.text(&format!(
            "Logged in as {} at {}{}",
            report.username,
            auth.base_url(),
            report
                .session_file
                .as_deref()
                .map(|f| format!("; the session is kept in {f}"))
                .unwrap_or_default()
        ));
    }
    ctx.out.record(&report)
}

fn remove(file: &Path) -> Result<(), CliError> {
    match std::fs::remove_file(file) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(CliError::new(
            Exit::Failure,
            format!("cannot remove the session file {}: {e}", file.display()),
        )),
    }
}

/// `auth logout`
pub(crate) async fn logout(ctx: &Context) -> Result<(), CliError> {
    require_cookie(ctx, "auth logout")?;
    let connection = ctx.connect(Purpose::Logout)?;
    let AuthHandle::Cookie {
        auth, session_file, ..
    } = &connection.auth
    else {
        return Err(CliError::new(Exit::Failure, "no cookie session was set up"));
    };
    let had_session = auth.is_logged_in();
    let result = auth.logout().await;
    if let Some(file) = session_file {
        remove(file)?;
    }
    result.map_err(|e| CliError::auth("the server refused the logout", e, &ctx.hints))?;
    let report = SessionReport {
        username: auth.username().to_owned(),
        logged_in: false,
        session_file: session_file.as_deref().map(|p| p.display().to_string()),
    };
    if ctx.out.format() == crate::cli::Format::Table {
        return ctx.out.text(if had_session {
            "Logged out; the kept session is removed"
        } else {
            "No session was kept; nothing to end"
        });
    }
    ctx.out.record(&report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_claims_are_read_without_the_signature() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"exp":4102444800,"aud":["tasklist-api"]}"#);
        let token = SecretString::from(format!("e30.{payload}.sig"));
        let (exp, aud) = jwt_claims(&token);
        assert_eq!(
            exp.and_then(rfc3339).as_deref(),
            Some("2100-01-01T00:00:00Z")
        );
        assert_eq!(aud, Some(vec!["tasklist-api".to_owned()]));
        assert_eq!(
            jwt_claims(&SecretString::from("opaque".to_owned())),
            (None, None)
        );
    }
}
