//! Tests of the TLS handshake, failure words and chain diagnosis against
//! rustls servers serving the test PKI's certificates.

use super::chain::{ChainTop, diagnose_chain};
use super::error::*;
use super::sniff::*;
use super::*;
use crate::lab::legacy_tls::{FakeLegacyServer, read_client_hello};
use crate::lab::testpki::{KeyKind, Leaf, LeafSpec, Pki, ServedChain, ServerVersions};
use crate::probe::certs::{KeyAlg, key_facts};
use rustls::{AlertDescription, CertificateError};
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const T: Duration = Duration::from_secs(5);

/// Serves one TLS connection on 127.0.0.1: sends a POP3 greeting after
/// the handshake, then waits for the client to go away.
async fn tls_server(config: Arc<rustls::ServerConfig>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let Ok((tcp, _)) = listener.accept().await else {
            return;
        };
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        if let Ok(mut tls) = acceptor.accept(tcp).await {
            let _ = tls.write_all(b"+OK ready\r\n").await;
            let _ = tls.flush().await;
            let mut buf = [0u8; 64];
            let _ = tokio::time::timeout(T, tls.read(&mut buf)).await;
        }
    });
    addr
}

/// Serves one raw TCP connection with `f`.
async fn raw_server<F, Fut>(f: F) -> SocketAddr
where
    F: FnOnce(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        if let Ok((tcp, _)) = listener.accept().await {
            f(tcp).await;
        }
    });
    addr
}

async fn connect(
    setup: &TlsSetup,
    addr: SocketAddr,
    name: &str,
) -> (
    Result<(TlsClientStream<TcpStream>, TlsFacts), TlsFailure>,
    Recorder,
) {
    let rec = Recorder::detached();
    let tcp = TcpStream::connect(addr).await.unwrap();
    let name = HandshakeName::new(name).unwrap();
    (handshake_full(setup, tcp, &name, T, &rec).await, rec)
}

async fn facts_for(setup: &TlsSetup, leaf: &Leaf, name: &str) -> (TlsFacts, Recorder) {
    let addr = tls_server(leaf.server_config(ServerVersions::All).unwrap()).await;
    let (res, rec) = connect(setup, addr, name).await;
    let (mut stream, facts) = res.unwrap_or_else(|f| panic!("handshake failed: {f}"));
    // the session is usable even when verification failed
    let mut buf = [0u8; 11];
    stream.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"+OK ready\r\n");
    (facts, rec)
}

fn setup_for(pki: &Pki) -> TlsSetup {
    TlsSetup::new(Some(pki.ca_pem().as_bytes())).unwrap()
}

fn texts(rec: &Recorder) -> Vec<String> {
    rec.lines().into_iter().map(|l| l.text).collect()
}

#[tokio::test]
async fn trusted_chain_passes() {
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki);
    let leaf = pki.issue_leaf(&LeafSpec::new(&["localhost"])).unwrap();
    let (facts, rec) = facts_for(&setup, &leaf, "localhost").await;
    assert!(facts.trusted(), "{:?}", facts.verify_error);
    assert_eq!(facts.version, "TLSv1.3");
    assert!(facts.cipher.starts_with("TLS13_"), "{}", facts.cipher);
    assert_eq!(facts.chain.len(), 2);
    assert_eq!(facts.sni.as_deref(), Some("localhost"));
    let v = facts.diagnose(&setup);
    assert!(v.trusted && v.problems.is_empty(), "{v:?}");
    assert_eq!(v.top, ChainTop::Anchored);
    assert_eq!(v.path.len(), 2);
    let info = facts.info();
    assert!(info.verification.trusted);
    assert_eq!(info.certificates[0].subject, "CN=localhost");
    assert_eq!(info.version.as_deref(), Some("TLSv1.3"));
    let lines = texts(&rec);
    assert_eq!(lines[0], "handshake started, SNI localhost");
    assert!(lines[1].starts_with("TLSv1.3 TLS13_"), "{lines:?}");
    assert_eq!(
        lines[2],
        "certificate: CN=localhost issued by CN=popscope test Intermediate CA,O=popscope test"
    );
    assert_eq!(lines.last().unwrap(), "certificate verified for localhost");
}

#[tokio::test]
async fn expired_certificate() {
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki);
    let leaf = pki
        .issue_leaf(&LeafSpec::new(&["localhost"]).expired(3))
        .unwrap();
    let (facts, rec) = facts_for(&setup, &leaf, "localhost").await;
    assert!(matches!(
        facts.verify_error,
        Some(rustls::Error::InvalidCertificate(
            CertificateError::Expired | CertificateError::ExpiredContext { .. }
        ))
    ));
    let v = facts.diagnose(&setup);
    assert_eq!(v.problems, vec![ChainProblem::Expired]);
    assert!(v.notes[0].contains("expired on"), "{:?}", v.notes);
    assert!(!facts.info().verification.trusted);
    assert!(
        texts(&rec)
            .iter()
            .any(|l| l.starts_with("verification failed: the certificate expired on"))
    );
}

#[tokio::test]
async fn not_yet_valid_certificate() {
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki);
    let leaf = pki
        .issue_leaf(&LeafSpec::new(&["localhost"]).not_yet_valid(5))
        .unwrap();
    let (facts, _) = facts_for(&setup, &leaf, "localhost").await;
    assert_eq!(
        facts.diagnose(&setup).problems,
        vec![ChainProblem::NotYetValid]
    );
}

#[tokio::test]
async fn wrong_name() {
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki);
    let leaf = pki
        .issue_leaf(&LeafSpec::new(&["mail.example.org"]))
        .unwrap();
    let (facts, rec) = facts_for(&setup, &leaf, "localhost").await;
    let v = facts.diagnose(&setup);
    assert_eq!(v.problems, vec![ChainProblem::NotValidForName]);
    assert!(v.notes.iter().any(|n| n.contains("mail.example.org")));
    let err = facts.info().verification.error.unwrap();
    assert!(err.contains("mail.example.org"), "{err}");
    assert!(
        texts(&rec)
            .iter()
            .any(|l| l.contains("not valid for localhost"))
    );
}

#[tokio::test]
async fn self_signed_certificate() {
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki);
    let leaf = Pki::self_signed(&["localhost"]).unwrap();
    let (facts, _) = facts_for(&setup, &leaf, "localhost").await;
    let v = facts.diagnose(&setup);
    assert_eq!(v.problems, vec![ChainProblem::SelfSigned]);
    assert_eq!(v.top, ChainTop::SelfSignedLeaf);
}

#[tokio::test]
async fn missing_intermediate() {
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki);
    let leaf = pki
        .issue_leaf(&LeafSpec::new(&["localhost"]).served(ServedChain::LeafOnly))
        .unwrap();
    let (facts, _) = facts_for(&setup, &leaf, "localhost").await;
    assert_eq!(facts.chain.len(), 1);
    let v = facts.diagnose(&setup);
    assert_eq!(
        v.problems,
        vec![ChainProblem::MissingIntermediate {
            issuer: "CN=popscope test Intermediate CA,O=popscope test".into()
        }]
    );
}

#[tokio::test]
async fn unknown_issuer_private_root() {
    let trusted = Pki::new().unwrap();
    let setup = setup_for(&trusted);
    let private = Pki::with_name("Private Corp").unwrap();
    let leaf = private
        .issue_leaf(&LeafSpec::new(&["localhost"]).served(ServedChain::WithIntermediateAndRoot))
        .unwrap();
    let (facts, _) = facts_for(&setup, &leaf, "localhost").await;
    assert_eq!(facts.chain.len(), 3);
    let v = facts.diagnose(&setup);
    assert_eq!(
        v.problems,
        vec![ChainProblem::UnknownIssuer {
            top_issuer: "CN=Private Corp Root CA,O=Private Corp".into()
        }]
    );
    assert!(v.summary().contains("does not trust"));

    // the same private chain trusted through the CA file
    let setup = setup_for(&private);
    let (facts, _) = facts_for(&setup, &leaf, "localhost").await;
    let v = facts.diagnose(&setup);
    assert!(v.trusted, "{v:?}");
    assert!(
        v.notes.iter().any(|n| n.contains("root certificate")),
        "{v:?}"
    );
}

#[tokio::test]
async fn several_problems_in_one_run() {
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki);
    let leaf = pki
        .issue_leaf(
            &LeafSpec::new(&["other.example"])
                .expired(10)
                .served(ServedChain::LeafOnly),
        )
        .unwrap();
    let (facts, _) = facts_for(&setup, &leaf, "localhost").await;
    let v = facts.diagnose(&setup);
    assert!(v.problems.contains(&ChainProblem::Expired), "{v:?}");
    assert!(v.problems.contains(&ChainProblem::NotValidForName), "{v:?}");
    assert!(
        v.problems
            .iter()
            .any(|p| matches!(p, ChainProblem::MissingIntermediate { .. })),
        "{v:?}"
    );
}

#[tokio::test]
async fn tls12_only_server() {
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki);
    let leaf = pki.issue_leaf(&LeafSpec::new(&["localhost"])).unwrap();
    let addr = tls_server(leaf.server_config(ServerVersions::Tls12Only).unwrap()).await;
    let (res, rec) = connect(&setup, addr, "localhost").await;
    let (_, facts) = res.unwrap();
    assert_eq!(facts.version, "TLSv1.2");
    assert!(
        facts.cipher.starts_with("TLS_ECDHE_ECDSA_"),
        "{}",
        facts.cipher
    );
    assert!(facts.trusted());
    assert!(texts(&rec)[1].starts_with("TLSv1.2 "));
}

#[tokio::test]
async fn key_types_handshake() {
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki);
    for (kind, label) in [
        (KeyKind::Rsa2048, "RSA 2048"),
        (KeyKind::Ed25519, "Ed25519"),
        (KeyKind::EcP384, "EC P-384"),
        // ring could not verify P-521; the aws-lc-rs provider does.
        (KeyKind::EcP521, "EC P-521"),
    ] {
        let leaf = pki
            .issue_leaf(&LeafSpec::new(&["localhost"]).key(kind))
            .unwrap();
        let (facts, _) = facts_for(&setup, &leaf, "localhost").await;
        assert!(facts.trusted());
        assert_eq!(facts.info().certificates[0].key, label);
    }
}

#[tokio::test]
async fn weak_rsa_key_fails_but_chain_is_seen() {
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki);
    let leaf = pki
        .issue_leaf(&LeafSpec::new(&["localhost"]).key(KeyKind::Rsa1024Weak))
        .unwrap();
    let addr = tls_server(leaf.server_config(ServerVersions::All).unwrap()).await;
    let (res, rec) = connect(&setup, addr, "localhost").await;
    let Err(failure) = res else {
        panic!("a 1024-bit RSA handshake must fail");
    };
    assert!(
        matches!(failure.error, TlsError::Tls(_)),
        "{:?}",
        failure.error
    );
    assert!(failure.to_string().contains("too weak"), "{failure}");
    assert_eq!(failure.chain.len(), 2);
    assert!(failure.verify_error.is_none());
    let kf = key_facts(&failure.chain[0]).unwrap();
    assert_eq!((kf.algorithm, kf.bits), (KeyAlg::Rsa, 1024));
    let info = failure.partial_info(Some("localhost".into())).unwrap();
    assert_eq!(info.certificates[0].key, "RSA 1024");
    assert!(
        texts(&rec)
            .iter()
            .any(|l| l.starts_with("certificate: CN=localhost"))
    );
    assert!(texts(&rec).last().unwrap().starts_with("handshake failed:"));
}

#[tokio::test]
async fn ip_address_target_sends_no_sni() {
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki);
    let leaf = pki.issue_leaf(&LeafSpec::new(&["127.0.0.1"])).unwrap();
    let (facts, rec) = facts_for(&setup, &leaf, "127.0.0.1").await;
    assert!(facts.trusted(), "{:?}", facts.verify_error);
    assert_eq!(facts.sni, None);
    assert_eq!(
        texts(&rec)[0],
        "handshake started, no SNI (verifying 127.0.0.1)"
    );

    let leaf = pki.issue_leaf(&LeafSpec::new(&["localhost"])).unwrap();
    let (facts, _) = facts_for(&setup, &leaf, "127.0.0.1").await;
    assert_eq!(
        facts.diagnose(&setup).problems,
        vec![ChainProblem::NotValidForName]
    );
}

#[tokio::test]
async fn plaintext_reply_is_named() {
    let setup = TlsSetup::new(None).unwrap();
    let addr = raw_server(|mut tcp| async move {
        let _ = tcp.write_all(b"+OK POP3 server ready <1@x>\r\n").await;
        let mut buf = [0u8; 512];
        let _ = tokio::time::timeout(T, tcp.read(&mut buf)).await;
    })
    .await;
    let (res, rec) = connect(&setup, addr, "localhost").await;
    let err = res.err().unwrap().error;
    match &err {
        TlsError::PlaintextReply { first_bytes } => {
            assert!(first_bytes.starts_with(b"+OK POP3"))
        }
        other => panic!("expected plaintext, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains("POP3 greeting") && msg.contains("speaks plain POP3, not implicit TLS"),
        "{msg}"
    );
    assert!(texts(&rec).last().unwrap().contains("plaintext"));
}

/// A ServerHello that starts to arrive but never completes is a slow
/// server, not a silent one: the words say what was seen.
#[tokio::test]
async fn slow_server_hello_is_not_called_silence() {
    let setup = TlsSetup::new(None).unwrap();
    let addr = raw_server(|mut tcp| async move {
        let mut buf = [0u8; 4096];
        let _ = tokio::time::timeout(T, tcp.read(&mut buf)).await;
        // The first bytes of a handshake record, then nothing more.
        let _ = tcp.write_all(b"\x16\x03\x03\x00\x5a\x02\x00").await;
        tokio::time::sleep(Duration::from_secs(2)).await;
    })
    .await;
    let tcp = TcpStream::connect(addr).await.unwrap();
    let name = HandshakeName::new("localhost").unwrap();
    let res = handshake(
        &setup,
        tcp,
        &name,
        Duration::from_millis(300),
        &Recorder::detached(),
    )
    .await;
    let err = res.expect_err("a timeout");
    assert!(
        matches!(err, TlsError::Timeout { answered: true, .. }),
        "{err}"
    );
    let words = err.to_string();
    assert!(words.contains("started to arrive"), "{words}");
    assert!(!words.contains("did not answer"), "{words}");
}

#[tokio::test]
async fn timeout_and_closed() {
    let setup = TlsSetup::new(None).unwrap();
    let addr = raw_server(|mut tcp| async move {
        let mut buf = [0u8; 4096];
        let _ = tokio::time::timeout(T, tcp.read(&mut buf)).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
    })
    .await;
    let tcp = TcpStream::connect(addr).await.unwrap();
    let name = HandshakeName::new("localhost").unwrap();
    let res = handshake(
        &setup,
        tcp,
        &name,
        Duration::from_millis(200),
        &Recorder::detached(),
    )
    .await;
    assert!(
        matches!(
            res,
            Err(TlsError::Timeout {
                answered: false,
                ..
            })
        ),
        "{:?}",
        res.err()
    );

    let addr = raw_server(|mut tcp| async move {
        let mut buf = [0u8; 4096];
        let _ = tcp.read(&mut buf).await;
        drop(tcp);
    })
    .await;
    let (res, _) = connect(&setup, addr, "localhost").await;
    let err = res.err().unwrap().error;
    assert!(matches!(err, TlsError::Closed), "{err:?}");
}

async fn legacy_server(fake: FakeLegacyServer) -> SocketAddr {
    raw_server(move |mut tcp| async move {
        if let Ok(hello) = read_client_hello(&mut tcp, T).await {
            let _ = tcp.write_all(&fake.reply(&hello)).await;
            let mut buf = [0u8; 512];
            let _ = tokio::time::timeout(T, tcp.read(&mut buf)).await;
        }
    })
    .await
}

#[tokio::test]
async fn tls10_only_server_alert_and_downgrade() {
    let setup = TlsSetup::new(None).unwrap();
    let addr = legacy_server(FakeLegacyServer::default()).await;
    let (res, _) = connect(&setup, addr, "localhost").await;
    let err = res.err().unwrap().error;
    assert!(
        matches!(err, TlsError::Alert(AlertDescription::ProtocolVersion)),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("no TLS version in common"),
        "{err}"
    );

    let addr = legacy_server(FakeLegacyServer::negotiating_down()).await;
    let (res, _) = connect(&setup, addr, "localhost").await;
    let err = res.err().unwrap().error;
    assert!(matches!(err, TlsError::NoCommonVersion), "{err:?}");
}

#[tokio::test]
async fn version_mismatch_alert() {
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki).with_versions(&[&rustls::version::TLS12]);
    let leaf = pki.issue_leaf(&LeafSpec::new(&["localhost"])).unwrap();
    let addr = tls_server(leaf.server_config(ServerVersions::Tls13Only).unwrap()).await;
    let (res, _) = connect(&setup, addr, "localhost").await;
    let err = res.err().unwrap().error;
    assert!(
        matches!(err, TlsError::Alert(AlertDescription::ProtocolVersion)),
        "{err:?}"
    );
}

#[test]
fn ca_file_errors() {
    let err = TlsSetup::new(Some(b"just some text\n")).unwrap_err();
    assert!(err.to_string().contains("no PEM certificate"), "{err}");
    let bad = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    assert!(matches!(TlsSetup::new(Some(bad)), Err(TlsError::Config(_))));
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki);
    assert_eq!(setup.extra_anchors(), 1);
    let root = pki.root_der();
    let cert = parse(&root).unwrap();
    assert!(setup.is_anchor_subject(cert.subject().as_raw()));
}

#[test]
fn handshake_names() {
    let n = HandshakeName::new("pop.example.com").unwrap();
    assert_eq!(n.sni(), Some("pop.example.com"));
    assert_eq!(n.clone().without_sni().sni(), None);
    let n = HandshakeName::new("[2001:db8::1]").unwrap();
    assert_eq!(n.sni(), None);
    assert_eq!(n.as_str(), "2001:db8::1");
    assert!(HandshakeName::new("bad name").is_err());
    assert!(HandshakeName::new("").is_err());
}

#[test]
fn diagnosis_without_network() {
    let setup = TlsSetup::new(None).unwrap();
    let v = diagnose_chain(&setup, &[], Some(&rustls::Error::NoCertificatesPresented));
    assert_eq!(v.top, ChainTop::Empty);
    assert_eq!(v.problems.len(), 1);
    let junk = CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01, 0x00]);
    let v = diagnose_chain(
        &setup,
        &[junk],
        Some(&rustls::Error::InvalidCertificate(
            CertificateError::BadEncoding,
        )),
    );
    assert_eq!(v.top, ChainTop::Unparsable);
    // a served intermediate that does not belong is noted
    let pki = Pki::new().unwrap();
    let other = Pki::with_name("Other").unwrap();
    let leaf = pki.issue_leaf(&LeafSpec::default()).unwrap();
    let chain = vec![
        leaf.chain[0].clone(),
        other.intermediate_der(),
        leaf.chain[1].clone(),
    ];
    let v = diagnose_chain(
        &setup,
        &chain,
        Some(&rustls::Error::InvalidCertificate(
            CertificateError::UnknownIssuer,
        )),
    );
    assert_eq!(
        v.problems,
        vec![ChainProblem::MissingIntermediate {
            issuer: "CN=popscope test Root CA,O=popscope test".into()
        }]
    );
    assert!(
        v.notes.iter().any(|n| n.contains("not part of the chain")),
        "{v:?}"
    );
}

#[test]
fn plaintext_kinds() {
    assert_eq!(
        plaintext_label(b"* OK IMAP4rev1").as_deref(),
        Some("an IMAP greeting")
    );
    assert_eq!(
        plaintext_label(b"220 smtp").as_deref(),
        Some("an SMTP/FTP greeting")
    );
    assert!(looks_not_tls(b"+OK"));
    assert!(looks_not_tls(b"\x16\x01"));
    assert!(!looks_not_tls(b"\x16\x03\x03"));
    assert!(!looks_not_tls(b""));
    let m = plaintext_message(b"\x00\x01\xff");
    assert!(m.contains("not TLS"), "{m}");
    let m = TlsError::PlaintextReply {
        first_bytes: b"* OK ready\r\n".to_vec(),
    }
    .to_string();
    assert!(m.contains("IMAP") && !m.contains('\r'), "{m}");
}

/// Whether `text` looks like Debug output leaked into words: a parenthesis
/// or brace, a path (`::` after a letter), or the Debug form of `of`.
fn debug_looking(text: &str, of: &str) -> bool {
    text.contains('(')
        || text.contains('{')
        || text
            .match_indices("::")
            .any(|(i, _)| text[..i].ends_with(|c: char| c.is_ascii_alphabetic()))
        || text.contains(of)
}

/// A CA:TRUE self-signed certificate, as `openssl req -x509` makes it.
fn openssl_style_self_signed(names: &[&str]) -> Leaf {
    Pki::self_signed_spec(&LeafSpec::new(names).ca_true()).unwrap()
}

#[tokio::test]
async fn ca_true_self_signed_is_named_self_signed() {
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki);
    let leaf = openssl_style_self_signed(&["localhost"]);
    let (facts, rec) = facts_for(&setup, &leaf, "localhost").await;
    let err = facts.verify_error.clone().expect("not trusted");
    assert!(verifier::is_ca_used_as_end_entity(&err), "{err:?}");

    let v = facts.diagnose(&setup);
    assert_eq!(v.problems, vec![ChainProblem::SelfSigned], "{v:?}");
    assert_eq!(v.top, ChainTop::SelfSignedLeaf);
    assert!(v.notes.iter().any(|n| n.contains("CA:TRUE")), "{v:?}");
    let summary = v.summary();
    assert!(summary.contains("self-signed"), "{summary}");

    // the words: self-signed, what to do on the server and meanwhile
    let words = facts.info().verification.error.unwrap();
    for part in [
        "self-signed",
        "CA:TRUE",
        "Let's Encrypt",
        "intermediate",
        "SHA-256 fingerprint",
        "exception",
        "--ca-file",
    ] {
        assert!(words.contains(part), "{part}: {words}");
    }
    assert!(!debug_looking(&words, "CaUsedAsEndEntity"), "{words}");
    let line = texts(&rec)
        .into_iter()
        .find(|l| l.starts_with("verification failed:"))
        .unwrap();
    assert!(line.contains("self-signed"), "{line}");
    assert!(!debug_looking(&line, "CaUsedAsEndEntity"), "{line}");

    // what the checks see
    let name = crate::probe::plan::TlsName {
        name: "localhost".into(),
        why: "the target".into(),
        sni: Some("localhost".into()),
    };
    let session = crate::probe::engine::tls_session(
        &setup,
        &facts.chain,
        facts.verify_error.as_ref(),
        &name,
        facts.version.clone(),
        facts.cipher.clone(),
        Duration::ZERO,
    );
    assert_eq!(
        session.chain,
        crate::probe::outcome::ChainFinding::SelfSigned
    );
    let shown = session.verify_error.unwrap();
    assert!(
        shown.contains("self-signed") && !debug_looking(&shown, "CaUsedAsEndEntity"),
        "{shown}"
    );
}

#[tokio::test]
async fn ca_true_self_signed_pinned_through_the_ca_file() {
    let leaf = openssl_style_self_signed(&["localhost"]);
    let setup = TlsSetup::new(Some(leaf.chain_pem().as_bytes())).unwrap();
    let (facts, rec) = facts_for(&setup, &leaf, "localhost").await;
    assert!(facts.trusted(), "{:?}", facts.verify_error);
    let v = facts.diagnose(&setup);
    assert!(v.trusted && v.problems.is_empty(), "{v:?}");
    assert_eq!(
        texts(&rec).last().unwrap(),
        "certificate verified for localhost"
    );

    // pinned, but the name and the dates still count
    let (facts, _) = facts_for(&setup, &leaf, "127.0.0.1").await;
    assert_eq!(
        facts.diagnose(&setup).problems,
        vec![ChainProblem::NotValidForName]
    );
    let words = facts.info().verification.error.unwrap();
    assert!(
        words.contains("not valid for 127.0.0.1; it is valid for: localhost"),
        "{words}"
    );
    let expired =
        Pki::self_signed_spec(&LeafSpec::new(&["localhost"]).ca_true().expired(3)).unwrap();
    let setup = TlsSetup::new(Some(expired.chain_pem().as_bytes())).unwrap();
    let (facts, _) = facts_for(&setup, &expired, "localhost").await;
    assert_eq!(facts.diagnose(&setup).problems, vec![ChainProblem::Expired]);

    // another CA:TRUE certificate with the same name is not pinned
    let other = openssl_style_self_signed(&["localhost"]);
    let (facts, _) = facts_for(&setup, &other, "localhost").await;
    assert!(!facts.trusted());
}

#[tokio::test]
async fn ca_certificate_served_as_leaf_is_named() {
    // the intermediate CA's own certificate, issued by a trusted root,
    // served as the server certificate
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki);
    let v = diagnose_chain_for(
        &setup,
        &[pki.intermediate_der()],
        Some(&rustls::Error::InvalidCertificate(CertificateError::Other(
            rustls::OtherError(Arc::new(webpki::Error::CaUsedAsEndEntity)),
        ))),
        None,
    );
    assert_eq!(v.top, ChainTop::Anchored);
    assert_eq!(v.problems.len(), 1, "{v:?}");
    let text = v.problems[0].to_string();
    assert!(
        text.contains("CA certificate") && text.contains("CA:FALSE"),
        "{text}"
    );
    assert!(!debug_looking(&text, "CaUsedAsEndEntity"), "{text}");
}

/// Every rustls error this client can meet, one of each variant (and of
/// each variant of the enums inside), with WebPKI's errors inside `Other`.
fn every_rustls_error() -> Vec<rustls::Error> {
    use rustls::pki_types::{AlgorithmIdentifier, UnixTime};
    use rustls::{
        ContentType, EncryptedClientHelloError, ExtendedKeyPurpose, HandshakeType,
        InconsistentKeys, InvalidMessage as M, OtherError, PeerIncompatible as PI,
        PeerMisbehaved as PM,
    };
    use webpki::Error as W;
    let t = UnixTime::since_unix_epoch(Duration::from_secs(1_700_000_000));
    let t2 = UnixTime::since_unix_epoch(Duration::from_secs(1_600_000_000));
    let name = ServerName::try_from("pop.example.com").unwrap();
    let presented = vec![
        "DnsName(\"mail.example.com\")".to_string(),
        "IpAddress(192.0.2.1)".to_string(),
        "DirectoryName".to_string(),
        "UniformResourceIdentifier(\"https://example.com\")".to_string(),
        "Unsupported(0x80)".to_string(),
    ];
    let sig = |_| webpki::UnsupportedSignatureAlgorithmContext {
        signature_algorithm_id: vec![1, 2],
        supported_algorithms: vec![AlgorithmIdentifier::from_slice(&[3, 4])],
    };
    let sig_pk = |_| webpki::UnsupportedSignatureAlgorithmForPublicKeyContext {
        signature_algorithm_id: vec![1, 2],
        public_key_algorithm_id: vec![3, 4],
    };
    #[allow(deprecated)]
    let webpki_errors = vec![
        W::BadDer,
        W::BadDerTime,
        W::CaUsedAsEndEntity,
        W::CertDistrusted,
        W::CertExpired {
            time: t,
            not_after: t2,
        },
        W::CertNotValidForName(webpki::InvalidNameContext {
            expected: name.clone(),
            presented: presented.clone(),
        }),
        W::CertNotValidYet {
            time: t2,
            not_before: t,
        },
        W::CertRevoked,
        W::CrlExpired {
            time: t,
            next_update: t2,
        },
        W::EmptyEkuExtension,
        W::EndEntityUsedAsCa,
        W::ExtensionValueInvalid,
        W::InvalidCertValidity,
        W::InvalidCrlNumber,
        W::InvalidNetworkMaskConstraint,
        W::InvalidSerialNumber,
        W::InvalidCrlSignatureForPublicKey,
        W::InvalidSignatureForPublicKey,
        W::IssuerNotCrlSigner,
        W::MalformedDnsIdentifier,
        W::MalformedExtensions,
        W::MalformedNameConstraint,
        W::MaximumNameConstraintComparisonsExceeded,
        W::MaximumPathBuildCallsExceeded,
        W::MaximumPathDepthExceeded,
        W::MaximumSignatureChecksExceeded,
        W::NameConstraintViolation,
        W::PathLenConstraintViolated,
        W::RequiredEkuNotFound,
        W::RequiredEkuNotFoundContext(webpki::RequiredEkuNotFoundContext {
            required: webpki::KeyUsage::server_auth(),
            present: vec![vec![1, 3, 6, 1, 5, 5, 7, 3, 2]],
        }),
        W::SignatureAlgorithmMismatch,
        W::TrailingData(webpki::DerTypeId::Certificate),
        W::UnknownIssuer,
        W::UnknownRevocationStatus,
        W::UnsupportedCertVersion,
        W::UnsupportedCriticalExtension,
        W::UnsupportedCrlIssuingDistributionPoint,
        W::UnsupportedCrlVersion,
        W::UnsupportedDeltaCrl,
        W::UnsupportedIndirectCrl,
        W::UnsupportedNameType,
        W::UnsupportedRevocationReason,
        W::UnsupportedRevocationReasonsPartitioning,
        W::UnsupportedCrlSignatureAlgorithm,
        W::UnsupportedCrlSignatureAlgorithmContext(sig(())),
        W::UnsupportedSignatureAlgorithm,
        W::UnsupportedSignatureAlgorithmContext(sig(())),
        W::UnsupportedCrlSignatureAlgorithmForPublicKey,
        W::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(sig_pk(())),
        W::UnsupportedSignatureAlgorithmForPublicKey,
        W::UnsupportedSignatureAlgorithmForPublicKeyContext(sig_pk(())),
    ];
    #[derive(Debug)]
    struct Foreign;
    impl std::fmt::Display for Foreign {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("Foreign(Thing { x: 1 })")
        }
    }
    impl std::error::Error for Foreign {}

    use CertificateError as C;
    #[allow(deprecated)]
    let mut certificate_errors = vec![
        C::BadEncoding,
        C::Expired,
        C::ExpiredContext {
            time: t,
            not_after: t2,
        },
        C::NotValidYet,
        C::NotValidYetContext {
            time: t2,
            not_before: t,
        },
        C::Revoked,
        C::UnhandledCriticalExtension,
        C::UnknownIssuer,
        C::UnknownRevocationStatus,
        C::ExpiredRevocationList,
        C::ExpiredRevocationListContext {
            time: t,
            next_update: t2,
        },
        C::BadSignature,
        C::UnsupportedSignatureAlgorithm,
        C::UnsupportedSignatureAlgorithmContext {
            signature_algorithm_id: vec![1],
            supported_algorithms: vec![],
        },
        C::UnsupportedSignatureAlgorithmForPublicKeyContext {
            signature_algorithm_id: vec![1],
            public_key_algorithm_id: vec![2],
        },
        C::NotValidForName,
        C::NotValidForNameContext {
            expected: name.clone(),
            presented: presented.clone(),
        },
        C::NotValidForNameContext {
            expected: name.clone(),
            presented: vec![],
        },
        C::InvalidPurpose,
        C::InvalidPurposeContext {
            required: ExtendedKeyPurpose::ServerAuth,
            presented: vec![
                ExtendedKeyPurpose::ClientAuth,
                ExtendedKeyPurpose::Other(vec![1, 3, 6, 1, 4, 1, 311]),
            ],
        },
        C::InvalidOcspResponse,
        C::ApplicationVerificationFailure,
        C::Other(OtherError(Arc::new(Foreign))),
    ];
    certificate_errors.extend(
        webpki_errors
            .into_iter()
            .map(|w| C::Other(OtherError(Arc::new(w)))),
    );

    let mut all: Vec<rustls::Error> = certificate_errors
        .into_iter()
        .map(rustls::Error::InvalidCertificate)
        .collect();
    let incompatible = [
        PI::EcPointsExtensionRequired,
        PI::ExtendedMasterSecretExtensionRequired,
        PI::IncorrectCertificateTypeExtension,
        PI::KeyShareExtensionRequired,
        PI::NamedGroupsExtensionRequired,
        PI::NoCertificateRequestSignatureSchemesInCommon,
        PI::NoCipherSuitesInCommon,
        PI::NoEcPointFormatsInCommon,
        PI::NoKxGroupsInCommon,
        PI::NoSignatureSchemesInCommon,
        PI::NullCompressionRequired,
        PI::ServerDoesNotSupportTls12Or13,
        PI::ServerSentHelloRetryRequestWithUnknownExtension,
        PI::ServerTlsVersionIsDisabledByOurConfig,
        PI::SignatureAlgorithmsExtensionRequired,
        PI::SupportedVersionsExtensionRequired,
        PI::Tls12NotOffered,
        PI::Tls12NotOfferedOrEnabled,
        PI::Tls13RequiredForQuic,
        PI::UncompressedEcPointsRequired,
        PI::UnsolicitedCertificateTypeExtension,
        PI::ServerRejectedEncryptedClientHello(None),
    ];
    all.extend(
        incompatible
            .into_iter()
            .map(rustls::Error::PeerIncompatible),
    );
    let misbehaved = [
        PM::AttemptedDowngradeToTls12WhenTls13IsSupported,
        PM::BadCertChainExtensions,
        PM::CipherSuiteDifferedOnRetry,
        PM::DisallowedEncryptedExtension,
        PM::DuplicateServerHelloExtensions,
        PM::IllegalHelloRetryRequestWithNoChanges,
        PM::IllegalMiddleboxChangeCipherSpec,
        PM::InvalidKeyShare,
        PM::MissingKeyShare,
        PM::SelectedUnofferedCipherSuite,
        PM::SelectedTls12UsingTls13VersionExtension,
        PM::ServerEchoedCompatibilitySessionId,
        PM::SignedHandshakeWithUnadvertisedSigScheme,
        PM::SignedKxWithWrongAlgorithm,
        PM::TooManyWarningAlertsReceived,
        PM::UnsolicitedServerHelloExtension,
        PM::WrongGroupForKeyShare,
        PM::InvalidCertCompression,
    ];
    all.extend(misbehaved.into_iter().map(rustls::Error::PeerMisbehaved));
    let invalid = [
        M::CertificatePayloadTooLarge,
        M::HandshakePayloadTooLarge,
        M::InvalidCcs,
        M::InvalidContentType,
        M::InvalidCertificateStatusType,
        M::InvalidCertRequest,
        M::InvalidDhParams,
        M::InvalidEmptyPayload,
        M::InvalidKeyUpdate,
        M::InvalidServerName,
        M::MessageTooLarge,
        M::MessageTooShort,
        M::MissingData("ServerHello"),
        M::MissingKeyExchange,
        M::NoSignatureSchemes,
        M::TrailingData("ServerHello"),
        M::UnexpectedMessage("ServerHello"),
        M::UnknownProtocolVersion,
        M::UnsupportedCompression,
        M::UnsupportedCurveType,
        M::EmptyTicketValue,
        M::IllegalEmptyList("Certificate"),
        M::IllegalEmptyValue,
        M::DuplicateExtension(10),
        M::PreSharedKeyIsNotFinalExtension,
        M::UnknownHelloRetryRequestExtension,
        M::UnknownCertificateExtension,
    ];
    all.extend(invalid.into_iter().map(rustls::Error::InvalidMessage));
    all.extend([
        rustls::Error::InappropriateMessage {
            expect_types: vec![ContentType::Handshake, ContentType::ChangeCipherSpec],
            got_type: ContentType::ApplicationData,
        },
        rustls::Error::InappropriateMessage {
            expect_types: vec![],
            got_type: ContentType::from(99),
        },
        rustls::Error::InappropriateHandshakeMessage {
            expect_types: vec![HandshakeType::ServerHello],
            got_type: HandshakeType::from(250),
        },
        rustls::Error::InvalidEncryptedClientHello(EncryptedClientHelloError::InvalidConfigList),
        rustls::Error::InvalidEncryptedClientHello(EncryptedClientHelloError::NoCompatibleConfig),
        rustls::Error::InvalidEncryptedClientHello(EncryptedClientHelloError::SniRequired),
        rustls::Error::NoCertificatesPresented,
        rustls::Error::UnsupportedNameType,
        rustls::Error::DecryptError,
        rustls::Error::EncryptError,
        rustls::Error::AlertReceived(AlertDescription::HandshakeFailure),
        rustls::Error::AlertReceived(AlertDescription::from(200)),
        rustls::Error::InvalidCertRevocationList(rustls::CertRevocationListError::BadSignature),
        rustls::Error::General("something went wrong".into()),
        rustls::Error::FailedToGetCurrentTime,
        rustls::Error::FailedToGetRandomBytes,
        rustls::Error::HandshakeNotComplete,
        rustls::Error::PeerSentOversizedRecord,
        rustls::Error::NoApplicationProtocol,
        rustls::Error::BadMaxFragmentSize,
        rustls::Error::InconsistentKeys(InconsistentKeys::KeyMismatch),
        rustls::Error::InconsistentKeys(InconsistentKeys::Unknown),
        rustls::Error::Other(OtherError(Arc::new(Foreign))),
        rustls::Error::Other(OtherError(Arc::new(W::CaUsedAsEndEntity))),
    ]);
    all
}

/// The identifiers of `e`'s Debug form, e.g. `InvalidCertificate`,
/// `OtherError` and `CaUsedAsEndEntity`: none may show in the words.
fn debug_identifiers(e: &rustls::Error) -> Vec<String> {
    format!("{e:?}")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            w.len() > 3
                && w.starts_with(|c: char| c.is_ascii_uppercase())
                && w.contains(|c: char| c.is_ascii_lowercase())
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn every_rustls_error_in_plain_words() {
    let all = every_rustls_error();
    assert!(all.len() > 150, "{}", all.len());
    // the detector catches what the words replace
    assert!(debug_looking(
        "certificate error: Other(OtherError(CaUsedAsEndEntity))",
        "-"
    ));
    assert!(debug_looking("peer is incompatible: rustls::Foo", "-"));
    assert!(!debug_looking("it is valid for: ::1, localhost", "-"));
    let mut seen = std::collections::HashSet::new();
    for e in &all {
        let ids = debug_identifiers(e);
        assert!(!ids.is_empty(), "{e:?}");
        let words = [
            describe_tls_error(e),
            describe_verify_error(e),
            describe_verify_error_for(e, &[]),
            TlsError::Tls(e.clone()).to_string(),
        ];
        for w in &words {
            assert!(w.len() > 20, "{e:?}: {w}");
            for id in &ids {
                assert!(!debug_looking(w, id), "{e:?}, {id}: {w}");
            }
            assert!(!w.contains("  ") && !w.ends_with(' '), "{e:?}: {w}");
        }
        seen.insert(words[0].clone());
    }
    // distinct errors mostly get distinct words, not one catch-all
    assert!(seen.len() > 60, "{}", seen.len());
    // the name-mismatch words show the names, not WebPKI's Debug forms
    let e = &all
        .iter()
        .find(|e| {
            matches!(e, rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext { presented, .. }) if !presented.is_empty())
        })
        .unwrap();
    assert_eq!(
        describe_verify_error(e),
        "the certificate is not valid for pop.example.com; it is valid for: mail.example.com, 192.0.2.1, a directory name, the URI https://example.com, a name of a type this client does not check. Connect with a name it lists, or get a certificate that lists this name"
    );
}

#[test]
fn every_alert_in_plain_words() {
    for code in 0..=255u8 {
        let a = AlertDescription::from(code);
        for w in [
            TlsError::Alert(a).to_string(),
            describe_tls_error(&rustls::Error::AlertReceived(a)),
        ] {
            assert!(!debug_looking(&w, &format!("{a:?}")), "{code}: {w}");
        }
    }
    for e in [
        TlsError::Timeout {
            after: Duration::from_secs(3),
            answered: false,
        },
        TlsError::Timeout {
            after: Duration::from_secs(3),
            answered: true,
        },
        TlsError::Closed,
        TlsError::NoCommonVersion,
        TlsError::PlaintextReply {
            first_bytes: b"+OK ready\r\n".to_vec(),
        },
        TlsError::PlaintextReply {
            first_bytes: b"SSH-2.0-x\r\n".to_vec(),
        },
        TlsError::PlaintextReply {
            first_bytes: vec![0, 1, 2],
        },
    ] {
        let w = e.to_string();
        assert!(!debug_looking(&w, "PlaintextReply"), "{w}");
    }
}

#[test]
fn version_and_suite_names_are_not_debug() {
    assert_eq!(version_text(ProtocolVersion::TLSv1_3), "TLSv1.3");
    assert_eq!(
        version_text(ProtocolVersion::from(0x7f1c)),
        "protocol version 0x7f1c"
    );
}

/// A certificate that names the server only in its Common Name: the
/// verifier refuses it, and the checks' name matching agrees (so the login,
/// which follows the verifier, and the report say the same thing).
#[tokio::test]
async fn cn_only_certificate_verifier_and_checks_agree() {
    let pki = Pki::new().unwrap();
    let setup = setup_for(&pki);
    let leaf = pki
        .issue_leaf(&LeafSpec::new(&["localhost"]).cn_only())
        .unwrap();
    let (facts, _) = facts_for(&setup, &leaf, "localhost").await;
    assert!(!facts.trusted(), "rustls refuses a CN-only certificate");
    let name = crate::probe::plan::TlsName {
        name: "localhost".into(),
        why: "the target".into(),
        sni: Some("localhost".into()),
    };
    let session = crate::probe::engine::tls_session(
        &setup,
        &facts.chain,
        facts.verify_error.as_ref(),
        &name,
        facts.version.clone(),
        facts.cipher.clone(),
        Duration::ZERO,
    );
    let n = session.name.expect("a name finding");
    assert!(!n.valid && n.used_cn, "{n:?}");
    assert_eq!(n.names, vec!["localhost"]);
}

/// Every rustls error in French: no English left (the TLS library's own
/// General text aside), no message id.
#[test]
fn every_rustls_error_in_french() {
    use crate::i18n::testing::english_word;
    use crate::i18n::{Lang, scoped};
    for e in &every_rustls_error() {
        let words = scoped(Lang::Fr, || {
            [
                describe_tls_error(e),
                describe_verify_error(e),
                TlsError::Tls(e.clone()).to_string(),
            ]
        });
        // Text carried by the error itself (rustls' General string, alert
        // names) is not popscope's to translate.
        let injected = match e {
            rustls::Error::General(t) => t.clone(),
            rustls::Error::AlertReceived(a) => {
                crate::probe::legacy::alert_name(u8::from(*a)).into()
            }
            _ => String::new(),
        };
        for w in &words {
            assert!(!w.contains("probe-"), "{e:?}: {w}");
            let rest = if injected.is_empty() {
                w.clone()
            } else {
                w.replace(&injected, " ")
            };
            assert_eq!(english_word(&rest, &[]), None, "{e:?}: {w}");
        }
    }
}

/// Plain POP3 on the TLS port is told by structure, not by the words: the
/// handshake failure recorded in French still marks the port.
#[tokio::test]
async fn plain_pop3_on_tls_port_is_detected_in_french() {
    use crate::i18n::{Lang, scoped};
    use crate::model::Security;
    use crate::probe::engine::tls_failure;
    use crate::probe::outcome::{FailureKind, LegOutcome};
    let setup = TlsSetup::new(None).unwrap();
    let addr = raw_server(|mut tcp| async move {
        let _ = tcp.write_all(b"+OK POP3 server ready <1@x>\r\n").await;
        let mut buf = [0u8; 512];
        let _ = tokio::time::timeout(T, tcp.read(&mut buf)).await;
    })
    .await;
    let (res, _) = connect(&setup, addr, "localhost").await;
    let err = res.err().unwrap().error;
    let failure = scoped(Lang::Fr, || tls_failure(&err));
    assert_eq!(failure.kind, FailureKind::Plaintext);
    assert!(
        failure.message.contains("message d’accueil POP3") && !failure.message.contains("greeting"),
        "{}",
        failure.message
    );
    let mut leg = LegOutcome::new(addr, Security::ImplicitTls, false);
    leg.connect = Some(Ok(Duration::from_millis(1)));
    leg.tls = Some(Err(failure));
    assert!(scoped(Lang::Fr, || leg.plain_on_tls_port()));
    assert!(leg.plain_on_tls_port());

    // Another service's plaintext is not plain POP3, in any language.
    let other = TlsError::PlaintextReply {
        first_bytes: b"* OK IMAP4rev1 ready\r\n".to_vec(),
    };
    leg.tls = Some(Err(scoped(Lang::Fr, || tls_failure(&other))));
    assert!(!leg.plain_on_tls_port());
    leg.tls = Some(Err(scoped(Lang::En, || tls_failure(&other))));
    assert!(!leg.plain_on_tls_port());
}
