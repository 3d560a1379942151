//! Which task API a server speaks: Tasklist's REST API v1 (Camunda 8.7 and older; also 8.8 and
//! 8.9, deprecated) or the user-task API v2 (8.8 and later; the only one on 8.10).

use std::fmt;

use crate::api::Api;
use crate::error::Error;
use crate::v2::models::Topology;

/// Which task API a [`Client`](crate::Client) uses for the calls that exist in both: pinned,
/// or found out from the server ([`ApiVersion::Auto`], the default).
///
/// ```
/// use tasklist_api::ApiVersion;
///
/// assert_eq!(ApiVersion::default(), ApiVersion::Auto);
/// assert_eq!("v2".parse::<ApiVersion>()?, ApiVersion::V2);
/// assert!("v3".parse::<ApiVersion>().is_err());
/// # Ok::<(), tasklist_api::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiVersion {
    /// Ask the server, once per client (see [`Client::api`](crate::Client::api)).
    #[default]
    Auto,
    /// Tasklist's REST API v1 (`/v1/tasks/...`).
    V1,
    /// The user-task API v2 (`/v2/user-tasks/...`).
    V2,
}

impl ApiVersion {
    /// The API this pins, if it pins one.
    ///
    /// ```
    /// use tasklist_api::{Api, ApiVersion};
    /// assert_eq!(ApiVersion::V1.pinned(), Some(Api::V1));
    /// assert_eq!(ApiVersion::Auto.pinned(), None);
    /// ```
    #[must_use]
    pub fn pinned(self) -> Option<Api> {
        match self {
            ApiVersion::Auto => None,
            ApiVersion::V1 => Some(Api::V1),
            ApiVersion::V2 => Some(Api::V2),
        }
    }
}

impl std::str::FromStr for ApiVersion {
    type Err = Error;

    /// `auto`, `v1` or `v2`, in any case.
    fn from_str(text: &str) -> Result<Self, Error> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(ApiVersion::Auto),
            "v1" => Ok(ApiVersion::V1),
            "v2" => Ok(ApiVersion::V2),
            _ => Err(Error::invalid(format!(
                "`{}` is not an API version; use `auto`, `v1` or `v2`",
                crate::wire::echo(text)
            ))),
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApiVersion::Auto => "auto",
            ApiVersion::V1 => "v1",
            ApiVersion::V2 => "v2",
        })
    }
}

/// The API a client uses, and how it was chosen.
///
/// ```
/// use tasklist_api::{Api, DetectedApi};
/// let detected = DetectedApi::pinned(Api::V1);
/// assert_eq!((detected.api, detected.gateway_version), (Api::V1, None));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DetectedApi {
    /// The API the client uses.
    pub api: Api,
    /// The version the server reported (`GET /v2/topology`'s `gatewayVersion`), when it was
    /// asked and said.
    pub gateway_version: Option<String>,
}

impl DetectedApi {
    /// `api`, chosen without asking the server.
    ///
    /// ```
    /// use tasklist_api::{Api, DetectedApi};
    /// assert_eq!(DetectedApi::pinned(Api::V2).api, Api::V2);
    /// ```
    #[must_use]
    pub fn pinned(api: Api) -> Self {
        DetectedApi {
            api,
            gateway_version: None,
        }
    }

    /// What the answer to `GET /v2/topology` means: v2 from Camunda 8.8 on (and for a version
    /// this crate cannot read, since the server answered the v2 endpoint), v1 before.
    pub(crate) fn from_topology(topology: Topology) -> Self {
        let api = match topology.gateway_version.as_deref().and_then(major_minor) {
            Some((major, minor)) if (major, minor) < (8, 8) => Api::V1,
            _ => Api::V2,
        };
        DetectedApi {
            api,
            gateway_version: topology.gateway_version,
        }
    }

    /// What a `404` from `GET /v2/topology` means: a server without API v2.
    pub(crate) fn without_v2() -> Self {
        DetectedApi::pinned(Api::V1)
    }
}

/// The major and minor numbers of a version such as `8.9.2` or `8.10.0-alpha1`.
fn major_minor(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.trim().split('.');
    let major = parts.next()?.parse().ok()?;
    let minor: String = parts
        .next()?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Some((major, minor.parse().ok()?))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn topology(version: Option<&str>) -> Topology {
        Topology {
            gateway_version: version.map(str::to_owned),
            ..Topology::default()
        }
    }

    #[test]
    fn the_gateway_version_decides() {
        for (version, api) in [
            (Some("8.8.0"), Api::V2),
            (Some("8.9.2"), Api::V2),
            (Some("8.10.0-alpha1"), Api::V2),
            (Some("9.0.0"), Api::V2),
            (Some("8.7.12"), Api::V1),
            (Some("8.6.0"), Api::V1),
            (Some("dev"), Api::V2),
            (None, Api::V2),
        ] {
            assert_eq!(
                DetectedApi::from_topology(topology(version)).api,
                api,
                "{version:?}"
            );
        }
    }

    #[test]
    fn api_versions_parse_and_print() {
        for version in [ApiVersion::Auto, ApiVersion::V1, ApiVersion::V2] {
            assert_eq!(version.to_string().parse::<ApiVersion>().unwrap(), version);
        }
        assert_eq!(" V2 ".parse::<ApiVersion>().unwrap(), ApiVersion::V2);
        let error = "v3\u{1b}[2J".parse::<ApiVersion>().unwrap_err();
        assert!(!error.to_string().contains('\u{1b}'), "{error}");
    }
}
