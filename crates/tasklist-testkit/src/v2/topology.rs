//! `GET /v2/topology`: the cluster as the gateway describes it.

use axum::extract::State;
use axum::response::Response;
use serde_json::json;

use super::shared::{ok_json, writes_nulls};
use crate::config::Profile;
use crate::state::AppState;

/// `TopologyResponse`: one broker with one healthy leader partition and the profile's version
/// as `gatewayVersion` (FACTS §8); 8.9 adds `clusterId`, 8.10 `brokerId` and the partition
/// `state`.
pub(super) async fn topology(State(state): State<AppState>) -> Response {
    let profile = state.config().profile;
    let version = profile.version();
    let mut broker = json!({
        "nodeId": 0,
        "host": "127.0.0.1",
        "port": 26501,
        "partitions": [{"partitionId": 1, "role": "leader", "health": "healthy"}],
        "version": version,
    });
    if matches!(profile, Profile::V8_10) {
        broker["brokerId"] = json!("0");
        broker["partitions"][0]["state"] = json!("active");
    }
    let mut body = json!({
        "brokers": [broker],
        "clusterSize": 1,
        "partitionsCount": 1,
        "replicationFactor": 1,
        "gatewayVersion": version,
        "lastCompletedChangeId": "-1",
    });
    if writes_nulls(profile) {
        body["clusterId"] = json!("tasklist-testkit");
    }
    ok_json(body)
}
