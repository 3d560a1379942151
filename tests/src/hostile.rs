//! A hostile HTTP server on loopback: it answers whatever a test tells it to, byte for byte,
//! and records everything it was sent.
//!
//! The workspace's security tests point the client stack at it to play a server that cannot be
//! trusted: a token endpoint that redirects the client secret elsewhere or echoes it back in an
//! error, a login that redirects the password, expiry values that overflow clocks, pages that
//! never end, bodies with terminal escapes, resets, answers that never come or come one byte
//! at a time. It speaks plain HTTP/1.1 by hand (one request per connection, `Connection:
//! close`), so that it can also send what a well-behaved server library would refuse to.
//!
//! ```
//! use tasklist_e2e::hostile::{Hostile, Reply};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let server = Hostile::start().await.unwrap();
//! // Every request to /oauth/token is sent on to another origin, with its body.
//! server.always("/oauth/token", Reply::redirect(307, "http://localhost:1/steal"));
//! assert!(server.url("/oauth/token").starts_with("http://127.0.0.1:"));
//! assert_eq!(server.count("/oauth/token"), 0);
//! # });
//! ```

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The most header bytes read from one request.
const MAX_HEAD: usize = 64 * 1024;
/// The most body bytes read from one request.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// One request as the server received it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Recorded {
    /// The method, as sent.
    pub method: String,
    /// The request target, query included.
    pub target: String,
    /// The headers, names lowercased, in the order sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The path of the target, without the query.
    ///
    /// ```
    /// # use tasklist_e2e::hostile::Recorded;
    /// let r = Recorded::new("GET", "/a/b?x=1");
    /// assert_eq!(r.path(), "/a/b");
    /// ```
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The first value of header `name` (any case).
    ///
    /// ```
    /// # use tasklist_e2e::hostile::Recorded;
    /// let mut r = Recorded::new("GET", "/");
    /// r.headers.push(("authorization".into(), "Bearer x".into()));
    /// assert_eq!(r.header("Authorization"), Some("Bearer x"));
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The whole request as text (request line, headers, body), as an echoing server would
    /// quote it.
    ///
    /// ```
    /// # use tasklist_e2e::hostile::Recorded;
    /// let mut r = Recorded::new("POST", "/token");
    /// r.body = b"client_secret=s".to_vec();
    /// assert!(r.text().ends_with("client_secret=s"));
    /// ```
    pub fn text(&self) -> String {
        let mut text = format!("{} {} HTTP/1.1\r\n", self.method, self.target);
        for (name, value) in &self.headers {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        text.push_str("\r\n");
        text.push_str(&String::from_utf8_lossy(&self.body));
        text
    }

    /// A request with no headers and no body (for tests of replies).
    ///
    /// ```
    /// let r = tasklist_e2e::hostile::Recorded::new("GET", "/");
    /// assert!(r.body.is_empty());
    /// ```
    pub fn new(method: &str, target: &str) -> Self {
        Recorded {
            method: method.to_owned(),
            target: target.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }
}

/// How an answer is delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Delivery {
    /// All at once.
    Whole,
    /// The head at once, then the body one byte every so often.
    Trickle(Duration),
    /// Nothing, ever; the connection stays open.
    Hang,
    /// The connection is reset (RST) instead of answered.
    Reset,
}

/// What the body of an answer is.
#[derive(Clone)]
enum Payload {
    Bytes(Vec<u8>),
    /// The request as received ([`Recorded::text`]).
    Echo,
}

/// One answer: status, headers and body exactly as given, and how to deliver them.
///
/// A `Content-Length` header is added unless one is given (so a test can lie about it), and
/// `Connection: close` always.
///
/// ```
/// use tasklist_e2e::hostile::Reply;
///
/// let page = Reply::json(200, r#"[{"id":"1","sortValues":["1"]}]"#);
/// let echo = Reply::new(400).header("content-type", "text/plain").echo();
/// let slow = Reply::new(200).body("0123456789").trickle(std::time::Duration::from_millis(500));
/// # let _ = (page, echo, slow);
/// ```
#[derive(Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, Vec<u8>)>,
    payload: Payload,
    delay: Duration,
    delivery: Delivery,
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("status", &self.status)
            .field("delivery", &self.delivery)
            .finish_non_exhaustive()
    }
}

impl Reply {
    /// An answer with `status` and an empty body.
    ///
    /// ```
    /// let reply = tasklist_e2e::hostile::Reply::new(204);
    /// # let _ = reply;
    /// ```
    pub fn new(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            payload: Payload::Bytes(Vec::new()),
            delay: Duration::ZERO,
            delivery: Delivery::Whole,
        }
    }

    /// `status` with a JSON body (`Content-Type: application/json`).
    ///
    /// ```
    /// let reply = tasklist_e2e::hostile::Reply::json(200, r#"{"access_token":"t"}"#);
    /// # let _ = reply;
    /// ```
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Reply::new(status)
            .header("content-type", "application/json")
            .body(body.into())
    }

    /// A redirect with `Location: location`.
    ///
    /// ```
    /// let reply = tasklist_e2e::hostile::Reply::redirect(307, "http://localhost:9/x");
    /// # let _ = reply;
    /// ```
    pub fn redirect(status: u16, location: impl Into<String>) -> Self {
        Reply::new(status).header("location", location.into())
    }

    /// An answer that never comes: the connection stays open and silent.
    ///
    /// ```
    /// let reply = tasklist_e2e::hostile::Reply::hang();
    /// # let _ = reply;
    /// ```
    pub fn hang() -> Self {
        Reply {
            delivery: Delivery::Hang,
            ..Reply::new(200)
        }
    }

    /// A connection reset instead of an answer.
    ///
    /// ```
    /// let reply = tasklist_e2e::hostile::Reply::reset();
    /// # let _ = reply;
    /// ```
    pub fn reset() -> Self {
        Reply {
            delivery: Delivery::Reset,
            ..Reply::new(200)
        }
    }

    /// Adds a header, sent exactly as given (any bytes, control characters included).
    ///
    /// ```
    /// let reply = tasklist_e2e::hostile::Reply::new(200).header("x-csrf-token", "abc");
    /// # let _ = reply;
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<Vec<u8>>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The body, sent exactly as given.
    ///
    /// ```
    /// let reply = tasklist_e2e::hostile::Reply::new(200).body("<html>");
    /// # let _ = reply;
    /// ```
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.payload = Payload::Bytes(body.into());
        self
    }

    /// The body is the request as received: its line, headers and body.
    ///
    /// ```
    /// let reply = tasklist_e2e::hostile::Reply::new(400).echo();
    /// # let _ = reply;
    /// ```
    pub fn echo(mut self) -> Self {
        self.payload = Payload::Echo;
        self
    }

    /// Waits `delay` before answering.
    ///
    /// ```
    /// let reply = tasklist_e2e::hostile::Reply::new(200).delay(std::time::Duration::from_secs(1));
    /// # let _ = reply;
    /// ```
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Sends the head at once and then the body one byte every `every` (a slowloris).
    ///
    /// ```
    /// let reply = tasklist_e2e::hostile::Reply::new(200)
    ///     .body("x".repeat(100))
    ///     .trickle(std::time::Duration::from_millis(200));
    /// # let _ = reply;
    /// ```
    pub fn trickle(mut self, every: Duration) -> Self {
        self.delivery = Delivery::Trickle(every);
        self
    }

    /// The bytes of the head and the body for `request`.
    fn render(&self, request: &Recorded) -> (Vec<u8>, Vec<u8>) {
        let body = match &self.payload {
            Payload::Bytes(bytes) => bytes.clone(),
            Payload::Echo => request.text().into_bytes(),
        };
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status)).into_bytes();
        let mut has_length = false;
        for (name, value) in &self.headers {
            has_length |= name.eq_ignore_ascii_case("content-length");
            head.extend_from_slice(name.as_bytes());
            head.extend_from_slice(b": ");
            head.extend_from_slice(value);
            head.extend_from_slice(b"\r\n");
        }
        if !has_length {
            head.extend_from_slice(format!("content-length: {}\r\n", body.len()).as_bytes());
        }
        head.extend_from_slice(b"connection: close\r\n\r\n");
        (head, body)
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

/// Builds the answer to a request.
type Responder = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

#[derive(Default)]
struct Script {
    /// Answers used once each, in order, before the standing ones.
    once: HashMap<String, VecDeque<Reply>>,
    /// The standing answer of each path.
    always: HashMap<String, Responder>,
}

#[derive(Default)]
struct Shared {
    script: Mutex<Script>,
    log: Mutex<Vec<Recorded>>,
}

/// The server. It stops when dropped.
///
/// Paths without an answer get `404` with an empty body.
#[derive(Debug)]
pub struct Hostile {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Shared")
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Hostile {
    /// Starts a server on `127.0.0.1` at a free port, on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// No port could be bound.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let server = tasklist_e2e::hostile::Hostile::start().await.unwrap();
    /// assert!(server.base().starts_with("http://127.0.0.1:"));
    /// # });
    /// ```
    pub async fn start() -> io::Result<Hostile> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::default());
        let serving = shared.clone();
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                connections.spawn(serve(stream, serving.clone()));
                while connections.try_join_next().is_some() {}
            }
        });
        Ok(Hostile { addr, shared, task })
    }

    /// `http://127.0.0.1:PORT`.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let server = tasklist_e2e::hostile::Hostile::start().await.unwrap();
    /// assert_eq!(server.base(), format!("http://127.0.0.1:{}", server.port()));
    /// # });
    /// ```
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }

    /// `http://localhost:PORT`: the same server under another name, which is another origin.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let server = tasklist_e2e::hostile::Hostile::start().await.unwrap();
    /// assert_eq!(server.base_as_localhost(), format!("http://localhost:{}", server.port()));
    /// # });
    /// ```
    pub fn base_as_localhost(&self) -> String {
        format!("http://localhost:{}", self.addr.port())
    }

    /// The port.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let server = tasklist_e2e::hostile::Hostile::start().await.unwrap();
    /// assert!(server.port() > 0);
    /// # });
    /// ```
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// [`base`](Self::base) followed by `path`.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let server = tasklist_e2e::hostile::Hostile::start().await.unwrap();
    /// assert!(server.url("/oauth/token").ends_with("/oauth/token"));
    /// # });
    /// ```
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base())
    }

    /// Answers every request to `path` (any method, any query) with `reply`.
    ///
    /// ```
    /// # use tasklist_e2e::hostile::{Hostile, Reply};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let server = Hostile::start().await.unwrap();
    /// server.always("/health", Reply::new(204));
    /// # });
    /// ```
    pub fn always(&self, path: &str, reply: Reply) {
        self.respond_with(path, move |_| reply.clone());
    }

    /// Answers every request to `path` with what `respond` makes of it.
    ///
    /// ```
    /// # use tasklist_e2e::hostile::{Hostile, Reply};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let server = Hostile::start().await.unwrap();
    /// server.respond_with("/echo", |request| Reply::new(200).body(request.body.clone()));
    /// # });
    /// ```
    pub fn respond_with(
        &self,
        path: &str,
        respond: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) {
        lock(&self.shared.script)
            .always
            .insert(path.to_owned(), Arc::new(respond));
    }

    /// Answers the next request to `path` with `reply`, before any standing answer; several
    /// are used in the order given.
    ///
    /// ```
    /// # use tasklist_e2e::hostile::{Hostile, Reply};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let server = Hostile::start().await.unwrap();
    /// server.once("/oauth/token", Reply::new(503));
    /// server.once("/oauth/token", Reply::reset());
    /// # });
    /// ```
    pub fn once(&self, path: &str, reply: Reply) {
        lock(&self.shared.script)
            .once
            .entry(path.to_owned())
            .or_default()
            .push_back(reply);
    }

    /// Every request received so far, in order.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let server = tasklist_e2e::hostile::Hostile::start().await.unwrap();
    /// assert!(server.requests().is_empty());
    /// # });
    /// ```
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.log).clone()
    }

    /// The requests received for `path`.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let server = tasklist_e2e::hostile::Hostile::start().await.unwrap();
    /// assert!(server.requests_to("/x").is_empty());
    /// # });
    /// ```
    pub fn requests_to(&self, path: &str) -> Vec<Recorded> {
        lock(&self.shared.log)
            .iter()
            .filter(|r| r.path() == path)
            .cloned()
            .collect()
    }

    /// How many requests were received for `path`.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let server = tasklist_e2e::hostile::Hostile::start().await.unwrap();
    /// assert_eq!(server.count("/x"), 0);
    /// # });
    /// ```
    pub fn count(&self, path: &str) -> usize {
        lock(&self.shared.log)
            .iter()
            .filter(|r| r.path() == path)
            .count()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Serves one connection: one request, one answer.
async fn serve(mut stream: TcpStream, shared: Arc<Shared>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    lock(&shared.log).push(request.clone());
    let reply = {
        let mut script = lock(&shared.script);
        let queued = script
            .once
            .get_mut(request.path())
            .and_then(VecDeque::pop_front);
        match queued {
            Some(reply) => reply,
            None => match script.always.get(request.path()).cloned() {
                Some(respond) => {
                    drop(script);
                    respond(&request)
                }
                None => Reply::new(404),
            },
        }
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    match reply.delivery {
        Delivery::Hang => std::future::pending::<()>().await,
        Delivery::Reset => {
            // A zero linger turns the close into a reset.
            let _ = stream.set_zero_linger();
            drop(stream);
        }
        Delivery::Whole => {
            let (head, body) = reply.render(&request);
            let _ = stream.write_all(&head).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.shutdown().await;
        }
        Delivery::Trickle(every) => {
            let (head, body) = reply.render(&request);
            if stream.write_all(&head).await.is_err() {
                return;
            }
            for byte in body {
                tokio::time::sleep(every).await;
                if stream.write_all(&[byte]).await.is_err() {
                    return;
                }
            }
            let _ = stream.shutdown().await;
        }
    }
}

/// Reads one request (`Content-Length` bodies only); `None` when it is not HTTP.
async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buffer = Vec::with_capacity(4096);
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if buffer.len() > MAX_HEAD {
            return None;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_BODY);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = vec![0u8; (length - body.len()).min(64 * 1024)];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Some(Recorded {
        method,
        target,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn answers_as_scripted_and_records_everything() {
        let server = Hostile::start().await.unwrap();
        server.always("/a", Reply::json(200, r#"{"ok":true}"#));
        server.once("/a", Reply::new(503).body("busy"));
        server.always("/echo", Reply::new(400).echo());
        let mut stream = TcpStream::connect(("127.0.0.1", server.port()))
            .await
            .unwrap();
        stream
            .write_all(b"POST /a?x=1 HTTP/1.1\r\nhost: h\r\ncontent-length: 3\r\n\r\nabc")
            .await
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
        assert!(answer.ends_with("busy"), "{answer}");
        let seen = server.requests();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].path(), "/a");
        assert_eq!(seen[0].body, b"abc");
        assert_eq!(seen[0].header("Host"), Some("h"));

        let mut stream = TcpStream::connect(("127.0.0.1", server.port()))
            .await
            .unwrap();
        stream
            .write_all(b"POST /echo HTTP/1.1\r\ncontent-length: 8\r\n\r\nsecret=1")
            .await
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        assert!(answer.ends_with("secret=1"), "{answer}");
        assert_eq!(server.count("/echo"), 1);
        assert_eq!(server.count("/a"), 1);
    }
}
