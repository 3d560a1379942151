//! Every future a call boxes stays under a kilobyte: at 1,024 bytes and over, glibc serves an
//! allocation from its large bins and consolidates its fast bins first, which showed in the
//! profile of the transport (see docs/benchmarks.md). The futures are made, not polled.

#![allow(missing_docs, clippy::unwrap_used, clippy::print_stderr)]

use std::sync::Arc;

use tasklist_api::{Client, Variables};
use tasklist_transport::{
    Authenticator, Bytes, HttpTransport, Request, RetryPolicy, Transport, TransportExt,
};

/// A kilobyte: the size no boxed future may reach.
const LIMIT: usize = 1024;

#[derive(Debug)]
struct Renewing;

#[tasklist_transport::async_trait]
impl Authenticator for Renewing {
    async fn sign(&self, _: &mut Request) -> Result<(), tasklist_transport::Error> {
        Ok(())
    }
}

#[track_caller]
fn under_limit(what: &str, size: usize) {
    eprintln!("{what}: {size} bytes");
    assert!(size < LIMIT, "{what} boxes a future of {size} bytes");
}

#[tokio::test]
async fn the_stack_and_every_call_box_futures_under_a_kilobyte() {
    let http = HttpTransport::builder().no_proxy().build().unwrap();
    let request = || {
        http::Request::get("http://127.0.0.1:1/v1/forms/1")
            .body(Bytes::new())
            .unwrap()
    };
    under_limit("HttpTransport", size_of_val(&*http.send(request())));
    let traced = http.clone().with_tracing();
    under_limit("Traced", size_of_val(&*traced.send(request())));
    let signed = http.clone().with_authenticator(Arc::new(Renewing));
    under_limit("Authenticated", size_of_val(&*signed.send(request())));
    let retry = http.clone().with_retry(RetryPolicy::default());
    under_limit("Retry", size_of_val(&*retry.send(request())));

    let client = Client::new("http://127.0.0.1:1", http.into_shared()).unwrap();
    let tasks = client.tasks();
    let variables = || Variables::new().with("approved", &true).unwrap();
    let calls = [
        (
            "tasks().search()",
            size_of_val(&*tasks.search().page_size(50).send()),
        ),
        ("tasks().get()", size_of_val(&*tasks.get("1").send())),
        (
            "tasks().assign()",
            size_of_val(&*tasks.assign("1").assignee("demo").send()),
        ),
        (
            "tasks().unassign()",
            size_of_val(&*tasks.unassign("1").send()),
        ),
        (
            "tasks().complete()",
            size_of_val(&*tasks.complete("1").variables(variables()).send()),
        ),
        (
            "tasks().save_draft_variables()",
            size_of_val(&*tasks.save_draft_variables("1", variables()).send()),
        ),
        (
            "tasks().variables().search()",
            size_of_val(&*tasks.variables("1").search().send()),
        ),
        (
            "variables().get()",
            size_of_val(&*client.variables().get("v").send()),
        ),
        (
            "forms().get()",
            size_of_val(&*client.forms().get("f", "1").send()),
        ),
        (
            "graphql()",
            size_of_val(&*client.graphql("{tasks(query:{}){id}}").send()),
        ),
    ];
    let user_tasks = client.user_tasks();
    let v2_calls = [
        (
            "user_tasks().search()",
            size_of_val(&*user_tasks.search().limit(50).send()),
        ),
        (
            "user_tasks().get()",
            size_of_val(&*user_tasks.get("1").send()),
        ),
        (
            "user_tasks().update()",
            size_of_val(&*user_tasks.update("1").priority(1).send()),
        ),
        (
            "user_tasks().assign()",
            size_of_val(&*user_tasks.assign("1", "demo").send()),
        ),
        (
            "user_tasks().unassign()",
            size_of_val(&*user_tasks.unassign("1").send()),
        ),
        (
            "user_tasks().complete()",
            size_of_val(&*user_tasks.complete("1").variables(variables()).send()),
        ),
        (
            "user_tasks().form()",
            size_of_val(&*user_tasks.form("1").send()),
        ),
        (
            "user_tasks().variables()",
            size_of_val(&*user_tasks.variables("1").send()),
        ),
        (
            "user_tasks().effective_variables()",
            size_of_val(&*user_tasks.effective_variables("1").send()),
        ),
        (
            "user_tasks().audit_logs()",
            size_of_val(&*user_tasks.audit_logs("1").send()),
        ),
        (
            "user_tasks().wait_for()",
            size_of_val(&*user_tasks.wait_for("1").send()),
        ),
        ("topology()", size_of_val(&*client.topology().send())),
    ];
    let human = client.human_tasks();
    let human_calls = [
        (
            "human_tasks().search()",
            size_of_val(&*human.search().page_size(50).send()),
        ),
        ("human_tasks().get()", size_of_val(&*human.get("1"))),
        (
            "human_tasks().assign()",
            size_of_val(&*human.assign("1", "demo").send()),
        ),
        (
            "human_tasks().unassign()",
            size_of_val(&*human.unassign("1").send()),
        ),
        (
            "human_tasks().complete()",
            size_of_val(&*human.complete("1").variables(variables()).send()),
        ),
        (
            "human_tasks().update()",
            size_of_val(&*human.update("1").priority(1).send()),
        ),
        (
            "human_tasks().variables()",
            size_of_val(&*human.variables("1")),
        ),
        ("human_tasks().form()", size_of_val(&*human.form("1"))),
        ("human_tasks().history()", size_of_val(&*human.history("1"))),
        ("client.api()", size_of_val(&*client.api())),
    ];
    for (what, size) in calls.into_iter().chain(v2_calls).chain(human_calls) {
        under_limit(what, size);
    }
}
