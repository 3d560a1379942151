//! A transport for unit tests that records every request and answers from a script.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tasklist_transport::{Idempotency, Request, Response, Transport};

use crate::Client;

/// What the recorder saw of one request.
#[derive(Clone, Debug)]
pub(crate) struct Recorded {
    pub(crate) method: String,
    pub(crate) uri: String,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: String,
    pub(crate) idempotency: Idempotency,
}

impl Recorded {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

type Responder = dyn Fn(&Recorded) -> Response + Send + Sync;

/// Records requests and answers each with the responder's response.
#[derive(Clone)]
pub(crate) struct Recorder {
    requests: Arc<Mutex<Vec<Recorded>>>,
    responder: Arc<Responder>,
}

impl Recorder {
    /// Answers the requests with `responses`, in order; panics when they run out.
    pub(crate) fn new(responses: impl IntoIterator<Item = Response>) -> Self {
        let queue = Mutex::new(responses.into_iter().collect::<VecDeque<_>>());
        Recorder::with(move |request| {
            queue
                .lock()
                .unwrap()
                .pop_front()
                .unwrap_or_else(|| panic!("unexpected request {} {}", request.method, request.uri))
        })
    }

    /// Answers every request with `responder`'s response.
    pub(crate) fn with(responder: impl Fn(&Recorded) -> Response + Send + Sync + 'static) -> Self {
        Recorder {
            requests: Arc::default(),
            responder: Arc::new(responder),
        }
    }

    pub(crate) fn client(&self, base: &str) -> Client {
        Client::new(base, Arc::new(self.clone())).unwrap()
    }

    pub(crate) fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub(crate) fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

#[tasklist_transport::async_trait]
impl Transport for Recorder {
    async fn send(&self, request: Request) -> Result<Response, tasklist_transport::Error> {
        let recorded = Recorded {
            method: request.method().to_string(),
            uri: request.uri().to_string(),
            headers: request.headers().clone(),
            body: String::from_utf8(request.body().to_vec()).unwrap(),
            idempotency: Idempotency::of(&request),
        };
        let response = (self.responder)(&recorded);
        self.requests.lock().unwrap().push(recorded);
        Ok(response)
    }
}

/// A response with `status` and a JSON `body`.
pub(crate) fn json_response(status: u16, body: &str) -> Response {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Bytes::from(body.to_owned()))
        .unwrap()
}
