//! TLS over real HTTPS on loopback.
//!
//! Every test starts its own server on `127.0.0.1` (a `tokio-rustls` acceptor in front of
//! `hyper`), with certificates the test makes with `rcgen`: a CA, and a server certificate for
//! `localhost` and `127.0.0.1` that the CA signed. The tests check that
//!
//! - a default transport refuses a server whose CA it does not know, before sending anything;
//! - the same server is trusted once its CA is added, from PEM bytes or from a PEM file, and
//!   only that CA will do;
//! - the named opt-out accepts the unknown CA;
//! - with mutual TLS the server receives exactly the client certificate configured, and a
//!   client without one (or with one from another CA) gets no response;
//! - a client key that is not a key is a configuration error that does not echo the key.
//!
//! The server side uses the `aws-lc-rs` crypto provider explicitly, so no process-wide default
//! provider is installed.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::RootCertStore;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use tasklist_transport::{Error, HttpTransport, HttpTransportBuilder, Transport};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// The names every server certificate is issued for.
const SERVER_NAMES: &[&str] = &["localhost", "127.0.0.1"];

/// What the test server answers with.
const BODY: &[u8] = b"secure hello";

/// A CA and one certificate it signed.
struct Pki {
    ca_pem: String,
    ca_der: CertificateDer<'static>,
    leaf_pem: String,
    leaf_der: CertificateDer<'static>,
    leaf_key: KeyPair,
}

/// Makes a CA called `ca_name` and a leaf certificate for `leaf_names` (the first one is also
/// its common name) signed by it.
fn pki(ca_name: &str, leaf_names: &[&str]) -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, ca_name);
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);

    let leaf_key = KeyPair::generate().unwrap();
    let names: Vec<String> = leaf_names.iter().map(|s| (*s).to_owned()).collect();
    let mut leaf_params = CertificateParams::new(names).unwrap();
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, leaf_names[0]);
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();
    Pki {
        ca_pem: ca_cert.pem(),
        ca_der: ca_cert.der().clone(),
        leaf_pem: leaf.pem(),
        leaf_der: leaf.der().clone(),
        leaf_key,
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// Serves HTTPS on `127.0.0.1` with `server`'s leaf certificate and answers every request
/// with 200 and [`BODY`].
///
/// With `client_ca`, the handshake requires a client certificate signed by it. Every response
/// carries `x-client-cert`: `present-and-matches` when the certificate the server received is
/// byte for byte `expected_client`, `present-but-different` or `absent` otherwise.
async fn serve_tls(
    server: &Pki,
    client_ca: Option<CertificateDer<'static>>,
    expected_client: Option<CertificateDer<'static>>,
) -> SocketAddr {
    let builder = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = match client_ca {
        Some(ca) => {
            let mut roots = RootCertStore::empty();
            roots.add(ca).unwrap();
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
                .build()
                .unwrap();
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server.leaf_key.serialize_der()));
    let mut config = builder
        .with_single_cert(vec![server.leaf_der.clone()], key)
        .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let acceptor = TlsAcceptor::from(Arc::new(config));

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                continue;
            };
            let acceptor = acceptor.clone();
            let expected = expected_client.clone();
            tokio::spawn(async move {
                // A failed handshake (the client refused our certificate, or had none to
                // give) just ends the connection.
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let presented = tls
                    .get_ref()
                    .1
                    .peer_certificates()
                    .and_then(|certs| certs.first().cloned());
                let verdict = match (&presented, &expected) {
                    (Some(p), Some(e)) if p == e => "present-and-matches",
                    (Some(_), _) => "present-but-different",
                    (None, _) => "absent",
                };
                let service = service_fn(move |_request| async move {
                    Ok::<_, std::convert::Infallible>(
                        hyper::Response::builder()
                            .header("x-client-cert", verdict)
                            .body(Full::new(Bytes::from_static(BODY)))
                            .unwrap(),
                    )
                });
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    addr
}

/// A builder that ignores any proxy set in the environment of the test run.
fn builder() -> HttpTransportBuilder {
    HttpTransport::builder().no_proxy()
}

fn get(addr: SocketAddr) -> tasklist_transport::Request {
    // By IP: the server certificates carry `127.0.0.1` as an IP address name.
    http::Request::get(format!("https://{addr}/hello"))
        .body(Bytes::new())
        .unwrap()
}

/// The error and all its sources, joined with ` / `.
fn chain(error: &Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(" / ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Shows an error in the output of the test (visible with `--nocapture`).
#[allow(clippy::print_stderr)]
fn show(what: &str, error: &Error) {
    eprintln!("{what}: {}", chain(error));
}

/// A file in the temporary directory, removed when dropped (also when the test panics).
struct TempFile(PathBuf);

impl TempFile {
    fn new(stem: &str, contents: impl AsRef<[u8]>) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "tasklist-transport-tls-{}-{}-{stem}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
        ));
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[tokio::test]
async fn self_signed_server_fails_by_default() {
    let server = pki("Test CA", SERVER_NAMES);
    let addr = serve_tls(&server, None, None).await;

    let err = builder()
        .build()
        .unwrap()
        .send(get(addr))
        .await
        .unwrap_err();
    show("unknown CA", &err);

    // The handshake failed, so the request never left: a connect error, safe to retry.
    assert!(err.is_connect(), "{err:?}");
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(!err.was_possibly_sent(), "{err:?}");
    let text = chain(&err).to_lowercase();
    assert!(
        text.contains("certificate") || text.contains("issuer") || text.contains("tls"),
        "the error does not say what went wrong: {text}"
    );
}

#[tokio::test]
async fn server_succeeds_once_its_ca_is_added() {
    let server = pki("Test CA", SERVER_NAMES);
    let addr = serve_tls(&server, None, None).await;

    let transport = builder()
        .add_root_certificates_pem(server.ca_pem.clone())
        .build()
        .unwrap();
    let response = transport.send(get(addr)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().as_ref(), BODY);
    // No client certificate was configured, and none was sent.
    assert_eq!(response.headers()["x-client-cert"], "absent");
}

#[tokio::test]
async fn server_is_reachable_by_host_name_too() {
    let server = pki("Test CA", SERVER_NAMES);
    let addr = serve_tls(&server, None, None).await;

    let transport = builder()
        .add_root_certificates_pem(server.ca_pem.clone())
        .build()
        .unwrap();
    let request = http::Request::get(format!("https://localhost:{}/hello", addr.port()))
        .body(Bytes::new())
        .unwrap();
    let response = transport.send(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().as_ref(), BODY);
}

#[tokio::test]
async fn ca_from_pem_file_works() {
    let server = pki("File CA", SERVER_NAMES);
    let addr = serve_tls(&server, None, None).await;
    let ca_file = TempFile::new("ca.pem", &server.ca_pem);

    let transport = builder()
        .add_root_certificates_pem_file(&ca_file.0)
        .build()
        .unwrap();
    let response = transport.send(get(addr)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().as_ref(), BODY);
}

#[tokio::test]
async fn a_different_ca_is_not_enough() {
    let server = pki("Right CA", SERVER_NAMES);
    let other = pki("Wrong CA", SERVER_NAMES);
    let addr = serve_tls(&server, None, None).await;

    let err = builder()
        .add_root_certificates_pem(other.ca_pem)
        .build()
        .unwrap()
        .send(get(addr))
        .await
        .unwrap_err();
    show("wrong CA", &err);
    assert!(err.is_connect(), "{err:?}");
    assert!(!err.was_possibly_sent(), "{err:?}");
}

#[tokio::test]
async fn danger_accept_invalid_certificates_accepts_unknown_ca() {
    let server = pki("Test CA", SERVER_NAMES);
    let addr = serve_tls(&server, None, None).await;

    let response = builder()
        .danger_accept_invalid_certificates(true)
        .build()
        .unwrap()
        .send(get(addr))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().as_ref(), BODY);

    // Turned off explicitly, the checks are back.
    let err = builder()
        .danger_accept_invalid_certificates(false)
        .build()
        .unwrap()
        .send(get(addr))
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err:?}");
}

#[tokio::test]
async fn mutual_tls_presents_the_client_certificate() {
    let server = pki("Server CA", SERVER_NAMES);
    let client = pki("Client CA", &["tasklist-worker"]);
    let addr = serve_tls(
        &server,
        Some(client.ca_der.clone()),
        Some(client.leaf_der.clone()),
    )
    .await;

    let with_identity = builder()
        .add_root_certificates_pem(server.ca_pem.clone())
        .client_identity_pem(client.leaf_pem.clone(), client.leaf_key.serialize_pem())
        .build()
        .unwrap();
    let response = with_identity.send(get(addr)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().as_ref(), BODY);
    assert_eq!(response.headers()["x-client-cert"], "present-and-matches");

    // Without a certificate the server refuses the handshake. With TLS 1.3 the client may
    // think the handshake is done before the server's alert arrives, so the refusal can
    // surface as a connect error or as a network error; either way there is no response.
    let without = builder()
        .add_root_certificates_pem(server.ca_pem.clone())
        .build()
        .unwrap();
    let err = without.send(get(addr)).await.unwrap_err();
    show("no client certificate", &err);
    assert!(err.is_connect() || err.is_network(), "{err:?}");

    // A certificate from a CA the server does not trust is refused the same way.
    let stranger = pki("Other Client CA", &["tasklist-worker"]);
    let untrusted = builder()
        .add_root_certificates_pem(server.ca_pem.clone())
        .client_identity_pem(stranger.leaf_pem.clone(), stranger.leaf_key.serialize_pem())
        .build()
        .unwrap();
    let err = untrusted.send(get(addr)).await.unwrap_err();
    show("untrusted client certificate", &err);
    assert!(err.is_connect() || err.is_network(), "{err:?}");
}

#[tokio::test]
async fn client_identity_from_pem_files_works() {
    let server = pki("Server CA", SERVER_NAMES);
    let client = pki("Client CA", &["tasklist-worker"]);
    let addr = serve_tls(
        &server,
        Some(client.ca_der.clone()),
        Some(client.leaf_der.clone()),
    )
    .await;
    let cert_file = TempFile::new("client.pem", &client.leaf_pem);
    let key_file = TempFile::new("client.key", client.leaf_key.serialize_pem());

    let transport = builder()
        .add_root_certificates_pem(server.ca_pem.clone())
        .client_identity_pem_files(&cert_file.0, &key_file.0)
        .build()
        .unwrap();
    let response = transport.send(get(addr)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-client-cert"], "present-and-matches");
}

#[tokio::test]
async fn bad_client_key_is_a_config_error() {
    let client = pki("Client CA", &["tasklist-worker"]);

    // Not PEM at all.
    let err = builder()
        .client_identity_pem(client.leaf_pem.clone(), b"garbage".to_vec())
        .build()
        .unwrap_err();
    show("garbage key", &err);
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let text = format!("{} / {err:?}", chain(&err));
    assert!(!text.contains("garbage"), "{text}");

    // A PEM block that claims to be a key but is not one: its contents must not be echoed.
    let secret = "c2VjcmV0LWtleS1ieXRlcw==";
    let fake_key = format!("-----BEGIN PRIVATE KEY-----\n{secret}\n-----END PRIVATE KEY-----\n");
    let err = builder()
        .client_identity_pem(client.leaf_pem.clone(), fake_key)
        .build()
        .unwrap_err();
    show("fake key", &err);
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let text = format!("{} / {err:?}", chain(&err));
    assert!(!text.contains(secret), "{text}");
    assert!(!text.contains("c2VjcmV0"), "{text}");
    assert!(text.contains("private key"), "{text}");
}
