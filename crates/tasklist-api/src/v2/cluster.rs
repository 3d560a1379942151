//! The cluster calls of API v2 that a task client needs: the topology, whose gateway version
//! tells the Camunda versions apart.

use http::Method;
use tasklist_transport::Idempotency;

use crate::client::{Call, Client, into_future};
use crate::v2::models::Topology;

/// The read of the cluster's topology (`GET /v2/topology`), from [`Client::topology`].
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let topology = client.topology().send().await?;
/// if topology.gateway_version.as_deref().is_some_and(|v| v.starts_with("8.8.")) {
///     println!("Camunda 8.8: no audit log endpoint");
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct GetTopology {
    client: Client,
}

impl GetTopology {
    pub(crate) fn new(client: Client) -> Self {
        GetTopology { client }
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// As any call; [`Error::NotFound`](crate::Error::NotFound) from a server without API v2
    /// (Camunda 8.7 and older).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let version = client.topology().send().await?.gateway_version;
    /// # let _ = version; Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Topology> {
        Box::pin(async move {
            let call = Call::new(
                Method::GET,
                "/v2/topology".to_owned(),
                Idempotency::Idempotent,
            );
            self.client.json(call).await
        })
    }
}

into_future!(GetTopology => Topology);
