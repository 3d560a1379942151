//! The rule that secrets never travel in the clear to another machine.

use tasklist_transport::is_loopback_host;
use url::Url;

use crate::Error;

/// Refuses to send `what` to `url` over plain HTTP, unless the host is loopback or the user
/// opted in with `allow_insecure_http`.
pub(crate) fn check_transport_security(
    url: &Url,
    what: &'static str,
    allow_insecure_http: bool,
) -> Result<(), Error> {
    // The rule the transport applies to every hop of a confidential request, checked here
    // once more at build time so that a bad setting fails before anything is sent.
    if url.scheme() == "https"
        || allow_insecure_http
        || is_loopback_host(url.host_str().unwrap_or_default())
    {
        return Ok(());
    }
    Err(Error::InsecureHttp {
        what,
        host: url.host_str().unwrap_or_default().to_owned(),
    })
}

/// Parses `value` as an absolute http(s) URL, naming `variable` and `what` on failure.
pub(crate) fn parse_http_url(
    value: &str,
    what: &str,
    variable: Option<&'static str>,
) -> Result<Url, Error> {
    let url = Url::parse(value.trim()).map_err(|e| {
        Error::config(
            variable,
            format!(
                "{what} `{value}` is not a valid URL ({e}){}",
                variable
                    .map(|v| format!("; set {v} to an absolute https:// URL"))
                    .unwrap_or_default()
            ),
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(Error::config(
            variable,
            format!(
                "{what} `{value}` must be an http:// or https:// URL with a host{}",
                variable.map(|v| format!("; fix {v}")).unwrap_or_default()
            ),
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn plain_http_is_refused_only_for_remote_hosts() {
        for ok in [
            "https://login.cloud.camunda.io/oauth/token",
            "http://localhost:18080/auth",
            "http://127.0.0.1:8080/api/login",
            "http://[::1]:8080/api/login",
        ] {
            assert!(
                check_transport_security(&url(ok), "the password", false).is_ok(),
                "{ok}"
            );
        }
        let err = check_transport_security(
            &url("http://keycloak.internal/token"),
            "the client secret",
            false,
        )
        .unwrap_err();
        assert!(matches!(err, Error::InsecureHttp { ref host, .. } if host == "keycloak.internal"));
        assert!(err.to_string().contains("allow_insecure_http"));
        assert!(
            check_transport_security(&url("http://keycloak.internal/token"), "x", true).is_ok()
        );
    }

    #[test]
    fn urls_must_be_absolute_http() {
        assert!(parse_http_url("ftp://x/y", "the token URL", None).is_err());
        let err =
            parse_http_url("not a url", "the token URL", Some("CAMUNDA_OAUTH_URL")).unwrap_err();
        assert!(err.to_string().contains("CAMUNDA_OAUTH_URL"), "{err}");
    }
}
