//! The [`Sniff`] stream under the TLS client: it keeps the server's first
//! bytes so that a plaintext answer on a TLS port (a POP3, IMAP, SMTP, HTTP
//! or SSH greeting) can be recognised and named.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// How many of the server's first bytes are kept to recognise a plaintext
/// answer.
pub const SNIFF_BYTES: usize = 64;

/// Whether `b` starts like a POP3 status line (`+OK`, `-ERR`): plain POP3
/// where TLS was expected.
pub fn is_pop3_reply(b: &[u8]) -> bool {
    b.starts_with(b"+OK") || b.starts_with(b"-ERR")
}

/// What kind of plaintext answer `b` looks like, in words of the run's
/// language (`an IMAP greeting`).
pub fn plaintext_label(b: &[u8]) -> Option<String> {
    use crate::i18n::t;
    if is_pop3_reply(b) {
        Some(t!("probe-plaintext-pop3"))
    } else if b.starts_with(b"* OK") || b.starts_with(b"* PREAUTH") || b.starts_with(b"* BYE") {
        Some(t!("probe-banner-imap"))
    } else if b.starts_with(b"220") || b.starts_with(b"554") || b.starts_with(b"421") {
        Some(t!("probe-plaintext-smtp-ftp"))
    } else if b.starts_with(b"HTTP/") {
        Some(t!("probe-banner-http"))
    } else if b.starts_with(b"SSH-") {
        Some(t!("probe-banner-ssh"))
    } else {
        None
    }
}

/// A stream adapter that remembers the first [`SNIFF_BYTES`] bytes read, to
/// recognise a plaintext answer on a TLS port. Otherwise a pass-through.
#[derive(Debug)]
pub struct Sniff<S> {
    inner: S,
    first: Arc<Mutex<Vec<u8>>>,
    done: bool,
}

impl<S> Sniff<S> {
    pub(super) fn new(inner: S) -> (Sniff<S>, Arc<Mutex<Vec<u8>>>) {
        let first = Arc::new(Mutex::new(Vec::with_capacity(SNIFF_BYTES)));
        (
            Sniff {
                inner,
                first: first.clone(),
                done: false,
            },
            first,
        )
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Sniff<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        let res = Pin::new(&mut this.inner).poll_read(cx, buf);
        if !this.done && res.is_ready() {
            let new = &buf.filled()[before..];
            let mut first = this.first.lock().unwrap_or_else(PoisonError::into_inner);
            let take = (SNIFF_BYTES - first.len()).min(new.len());
            first.extend_from_slice(&new[..take]);
            this.done = first.len() >= SNIFF_BYTES;
        }
        res
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Sniff<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// True when the first bytes of an answer cannot be a TLS record.
pub(super) fn looks_not_tls(first: &[u8]) -> bool {
    match first {
        [] => false,
        [t, ..] if !(0x14..=0x18).contains(t) => true,
        [_, major, ..] => *major != 0x03,
        _ => false,
    }
}
