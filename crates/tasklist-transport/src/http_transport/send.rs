//! The path of one request: checking it, handing it to `reqwest`, following redirects under
//! the transport's rules, and the hand-written future of the whole exchange under its total
//! timeout.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION, TRANSFER_ENCODING};
use http::{HeaderMap, Method, StatusCode};
use http_body::Body as _;

use super::body::BodyRead;
use super::builder::CrossOriginBody;
use super::{HttpTransport, describe, describe_uri};
use crate::confidential::Confidential;
use crate::error::Error;
use crate::headers::is_sensitive_header;
use crate::redirected::Redirected;
use crate::{Request, Response, SendFuture, Transport};

impl HttpTransport {
    /// Follows the redirect `response` and any that come after it; returns the first response
    /// that is not a redirect to follow, with where it came from.
    async fn follow_redirects(
        &self,
        mut method: Method,
        mut headers: HeaderMap,
        mut body: Bytes,
        mut response: reqwest::Response,
        confidential: Option<Confidential>,
    ) -> Result<(reqwest::Response, Redirected), Error> {
        let origin = response.url().origin();
        let mut redirects = 0usize;
        loop {
            let status = response.status();
            let location = match response.headers().get(LOCATION) {
                Some(location) if is_followable_redirect(status) => location.clone(),
                _ => {
                    let final_uri = response.url().as_str().parse().map_err(|e| {
                        Error::invalid_request(format!("the redirect target is not a URI: {e}"))
                    })?;
                    let hops = redirects;
                    return Ok((response, Redirected { final_uri, hops }));
                }
            };
            let current = response.url().clone();
            drop(response);
            let refuse = |message: String| Error::Redirect {
                target: describe(&method, &current),
                message,
            };
            if redirects == self.max_redirects {
                return Err(refuse(format!(
                    "more than {} redirects; raise `max_redirects` or fix the server",
                    self.max_redirects
                )));
            }
            redirects += 1;
            let next = location
                .to_str()
                .ok()
                .and_then(|l| current.join(l).ok())
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| {
                    refuse("the Location header is not a valid http(s) URL".to_owned())
                })?;
            let to_other_origin = next.origin() != current.origin();
            if let Some(mark) = confidential {
                if next.origin() != origin {
                    return Err(refuse(format!(
                        "it carries a secret (a token request or a login) and is never sent to \
                         another origin, but it was redirected ({}) to {}; configure the URL \
                         that answers itself",
                        status.as_u16(),
                        next.origin().ascii_serialization()
                    )));
                }
                if !mark.permits(next.scheme(), next.host_str().unwrap_or_default()) {
                    return Err(Error::InsecureHttp {
                        target: describe(&method, &next),
                    });
                }
            }
            if to_other_origin {
                strip_credentials(&mut headers);
            }
            let keeps_method = matches!(
                status,
                StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT
            );
            if keeps_method && to_other_origin && !body.is_empty() {
                match self.cross_origin_body {
                    CrossOriginBody::Refuse => {
                        return Err(refuse(format!(
                            "a {} redirect to another origin ({}) asks for the request body to \
                             be sent there too, and the body may hold a secret meant for the \
                             first server; point the client at the final URL, or opt in with \
                             `HttpTransportBuilder::cross_origin_body(CrossOriginBody::Drop)`",
                            status.as_u16(),
                            next.origin().ascii_serialization()
                        )));
                    }
                    CrossOriginBody::Drop => drop_body(&mut body, &mut headers),
                }
            }
            if status == StatusCode::SEE_OTHER
                || (matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND)
                    && method == Method::POST)
            {
                if method != Method::HEAD {
                    method = Method::GET;
                }
                drop_body(&mut body, &mut headers);
            }
            tracing::debug!(status = status.as_u16(), to = %describe(&method, &next), "following redirect");
            let client = self.clients.for_url(&next)?;
            let request = Self::request(method.clone(), next, headers.clone(), body.clone());
            response = client
                .execute(request)
                .await
                .map_err(|e| self.map_error(&method, None, e))?;
        }
    }
}

// Written out rather than with `#[async_trait]`: the request is checked and handed to `reqwest`
// before the future is boxed, and the boxed future is the small hand-written [`Exchange`]
// rather than an `async fn` that would own the whole request, the response and the timer at
// once. `reqwest` does nothing until it is polled, and the timer starts on the first poll, as it
// would in an `async fn`.
impl Transport for HttpTransport {
    fn send<'life0, 'async_trait>(&'life0 self, request: Request) -> SendFuture<'async_trait>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        let (parts, body) = request.into_parts();
        let url = match self.url_of(&parts.uri) {
            Ok(url) => url,
            Err(error) => return Box::pin(std::future::ready(Err(error))),
        };
        let confidential = parts.extensions.get::<Confidential>().copied();
        if let Some(mark) = confidential
            && !mark.permits(url.scheme(), url.host_str().unwrap_or_default())
        {
            return Box::pin(std::future::ready(Err(Error::InsecureHttp {
                target: describe(&parts.method, &url),
            })));
        }
        // Redirects are followed here, so a copy of what the next hop needs outlives the one
        // handed to `reqwest`.
        let kept = (self.max_redirects > 0).then(|| (parts.headers.clone(), body.clone()));
        let client = match self.clients.for_url(&url) {
            Ok(client) => client,
            Err(error) => return Box::pin(std::future::ready(Err(error))),
        };
        let request = Self::request(parts.method.clone(), url, parts.headers, body);
        Box::pin(Exchange {
            transport: self,
            method: parts.method,
            uri: parts.uri,
            kept,
            confidential,
            deadline: None,
            step: Step::Head(client.execute(request)),
        })
    }
}

pin_project_lite::pin_project! {
    /// One request in flight, from the response head to the last byte of the body, under the
    /// transport's total timeout.
    struct Exchange<'a, F> {
        transport: &'a HttpTransport,
        method: Method,
        // The request's own URI, uncloned: error messages name it when `reqwest` gives none.
        uri: http::Uri,
        // What a redirect needs to send the next hop; `None` when redirects are off.
        kept: Option<(HeaderMap, Bytes)>,
        // The request's mark, which its redirects must honour.
        confidential: Option<Confidential>,
        // Set on the first poll.
        #[pin]
        deadline: Option<tokio::time::Sleep>,
        step: Step<'a, F>,
    }
}

/// The redirects of one exchange being followed: the last response and where it came from.
type Following<'a> =
    Pin<Box<dyn Future<Output = Result<(reqwest::Response, Redirected), Error>> + Send + 'a>>;

// The body step is the large one and the one every request reaches: boxing it would cost an
// allocation per request to save room that every exchange needs anyway.
#[allow(clippy::large_enum_variant)]
enum Step<'a, F> {
    /// Waiting for the response head.
    Head(F),
    /// Following redirects, in a future of its own (rare, so kept out of this one's size).
    Redirect(Following<'a>),
    /// Reading the body.
    Body(BodyRead),
    /// The output was returned.
    Done,
}

impl<F> Future for Exchange<'_, F>
where
    F: Future<Output = Result<reqwest::Response, reqwest::Error>> + Unpin,
{
    type Output = Result<Response, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let transport = *this.transport;
        if this.deadline.is_none() {
            this.deadline
                .set(Some(tokio::time::sleep(transport.timeout)));
        }
        let outcome = loop {
            // The response whose body is to be read, once no redirect is left to follow, and
            // where it came from if redirects were followed.
            let (last, redirected) = match this.step {
                Step::Head(in_flight) => {
                    let response = match Pin::new(in_flight).poll(cx) {
                        Poll::Pending => break None,
                        Poll::Ready(Ok(response)) => response,
                        Poll::Ready(Err(error)) => {
                            break Some(Err(transport.map_error(
                                this.method,
                                Some(this.uri),
                                error,
                            )));
                        }
                    };
                    if is_followable_redirect(response.status())
                        && response.headers().contains_key(LOCATION)
                        && let Some((headers, body)) = this.kept.take()
                    {
                        let method = this.method.clone();
                        *this.step = Step::Redirect(Box::pin(transport.follow_redirects(
                            method,
                            headers,
                            body,
                            response,
                            *this.confidential,
                        )));
                        continue;
                    }
                    *this.kept = None;
                    (response, None)
                }
                Step::Redirect(following) => match following.as_mut().poll(cx) {
                    Poll::Pending => break None,
                    Poll::Ready(Ok((response, redirected))) => (response, Some(redirected)),
                    Poll::Ready(Err(error)) => break Some(Err(error)),
                },
                Step::Body(read) => match Pin::new(&mut read.body).poll_frame(cx) {
                    Poll::Pending => break None,
                    Poll::Ready(Some(Ok(frame))) => {
                        // Trailers, the only other kind of frame, are not kept.
                        if let Ok(chunk) = frame.into_data()
                            && !read.push(chunk, transport.max_body)
                        {
                            break Some(Err(Error::BodyTooLarge {
                                target: describe_uri(this.method, this.uri),
                                limit: transport.max_body,
                                declared: read.declared,
                            }));
                        }
                        continue;
                    }
                    Poll::Ready(Some(Err(error))) => {
                        break Some(Err(transport.map_error(this.method, Some(this.uri), error)));
                    }
                    Poll::Ready(None) => {
                        if let Step::Body(read) = std::mem::replace(this.step, Step::Done) {
                            return Poll::Ready(Ok(read.finish()));
                        }
                        continue;
                    }
                },
                Step::Done => {
                    return Poll::Ready(Err(Error::InvalidRequest {
                        message: "an HTTP exchange was polled again after it completed".to_owned(),
                        source: None,
                    }));
                }
            };
            match transport.start_body(this.method, last) {
                Ok(mut read) => {
                    if let Some(redirected) = redirected {
                        read.head.extensions.insert(redirected);
                    }
                    *this.step = Step::Body(read);
                }
                Err(error) => break Some(Err(error)),
            }
        };
        if let Some(output) = outcome {
            *this.step = Step::Done;
            return Poll::Ready(output);
        }
        // The exchange is waiting: has the whole of it taken too long?
        if let Some(deadline) = this.deadline.as_pin_mut()
            && deadline.poll(cx).is_ready()
        {
            *this.step = Step::Done;
            return Poll::Ready(Err(Error::Timeout {
                target: describe_uri(this.method, this.uri),
                after: transport.timeout,
            }));
        }
        Poll::Pending
    }
}

fn is_followable_redirect(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::MOVED_PERMANENTLY
            | StatusCode::FOUND
            | StatusCode::SEE_OTHER
            | StatusCode::TEMPORARY_REDIRECT
            | StatusCode::PERMANENT_REDIRECT
    )
}

/// Empties `body` and removes the headers that described it.
fn drop_body(body: &mut Bytes, headers: &mut HeaderMap) {
    *body = Bytes::new();
    for name in [CONTENT_TYPE, CONTENT_LENGTH, TRANSFER_ENCODING] {
        headers.remove(name);
    }
}

fn strip_credentials(headers: &mut HeaderMap) {
    let sensitive: Vec<_> = headers
        .keys()
        .filter(|name| is_sensitive_header(name))
        .cloned()
        .collect();
    for name in sensitive {
        headers.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    #[test]
    fn strip_credentials_removes_only_sensitive_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer x"));
        headers.insert("cookie", HeaderValue::from_static("a=b"));
        headers.insert("x-csrf-token", HeaderValue::from_static("c"));
        headers.insert("accept", HeaderValue::from_static("*/*"));
        strip_credentials(&mut headers);
        assert_eq!(headers.len(), 1);
        assert!(headers.contains_key("accept"));
    }
}
