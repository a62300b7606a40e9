//! The lab's in-memory maildrops: users, seeded sample messages (or `.eml`
//! files from a directory), the per-user maildrop lock and the session view
//! whose deletions are applied only in the UPDATE state.

use md5::{Digest, Md5};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::i18n::t;

/// A lab account. Passwords are deliberately printable: the lab is a teaching
/// and test fixture, and the CLI shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabUser {
    /// Login name.
    pub name: String,
    /// Password (also the APOP/CRAM-MD5 shared secret).
    pub password: String,
    /// What this account is for.
    pub note: String,
}

/// The accounts every lab has (notes in the current language).
pub fn default_users() -> Vec<LabUser> {
    vec![
        LabUser {
            name: "alice".into(),
            password: "wonderland".into(),
            note: t!("lab-user-alice"),
        },
        LabUser {
            name: "bob".into(),
            password: "builder".into(),
            note: t!("lab-user-bob"),
        },
    ]
}

/// One stored message, in network form (CRLF line ends, not dot-stuffed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Unique id as reported by UIDL (1-70 printable characters).
    pub uid: String,
    /// The message octets, CRLF line ends.
    pub data: Arc<[u8]>,
}

impl Message {
    /// A message from raw bytes: line ends normalised to CRLF, a leading
    /// mbox `From ` line dropped, uid derived from the content (MD5 hex).
    pub fn from_bytes(raw: &[u8]) -> Message {
        let data = normalise_crlf(strip_mbox_from(raw));
        let uid = hex(&Md5::digest(&data));
        Message {
            uid,
            data: data.into(),
        }
    }

    /// Size in octets as reported by LIST and STAT (CRLF counted as two).
    pub fn size(&self) -> usize {
        self.data.len()
    }
}

fn strip_mbox_from(raw: &[u8]) -> &[u8] {
    if raw.starts_with(b"From ") {
        match raw.iter().position(|&b| b == b'\n') {
            Some(i) => &raw[i + 1..],
            None => &[],
        }
    } else {
        raw
    }
}

fn normalise_crlf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 32 + 2);
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\r' => {
                out.extend_from_slice(b"\r\n");
                if raw.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => out.extend_from_slice(b"\r\n"),
            b => out.push(b),
        }
        i += 1;
    }
    if !out.is_empty() && !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Sample messages for `alice`: different sizes, one with lines starting
/// with `.` (including a lone `.`), so that dot-stuffing is exercised.
pub fn sample_messages() -> Vec<Message> {
    let welcome = "From: Lab Postmaster <postmaster@popscope.lab>\n\
        To: alice@popscope.lab\n\
        Subject: Welcome to the popscope lab\n\
        Date: Mon, 01 Jan 2024 09:00:00 +0000\n\
        Message-ID: <welcome@popscope.lab>\n\
        \n\
        Hello Alice,\n\
        \n\
        this maildrop lives in memory inside popscope. Deleting messages only\n\
        takes effect when you QUIT; RSET undoes deletions.\n";
    let dots = "From: Dot Tester <dots@popscope.lab>\n\
        To: alice@popscope.lab\n\
        Subject: Lines that start with a dot\n\
        Date: Tue, 02 Jan 2024 10:30:00 +0000\n\
        Message-ID: <dots@popscope.lab>\n\
        \n\
        The next lines start with dots and must be dot-stuffed on the wire:\n\
        .hidden\n\
        ..two dots\n\
        .\n\
        The line above is a lone dot; it must not end the response.\n";
    let mut report = String::from(
        "From: Monitoring <monitor@popscope.lab>\n\
         To: alice@popscope.lab\n\
         Subject: Weekly report (long body)\n\
         Date: Wed, 03 Jan 2024 08:15:00 +0000\n\
         Message-ID: <report@popscope.lab>\n\
         MIME-Version: 1.0\n\
         Content-Type: text/plain; charset=us-ascii\n\
         \n",
    );
    for i in 1..=200 {
        report.push_str(&format!(
            "{i:03}: mailbox check ok, latency {} ms, queue {} messages\n",
            (i * 37) % 250,
            (i * 13) % 40
        ));
    }
    let attachment = {
        use base64::Engine;
        let mut x: u32 = 0x1234_5678;
        let bytes: Vec<u8> = (0..24_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        let mut s = String::from(
            "From: Bob <bob@popscope.lab>\n\
             To: alice@popscope.lab\n\
             Subject: Photo (base64 attachment)\n\
             Date: Thu, 04 Jan 2024 17:45:00 +0000\n\
             Message-ID: <photo@popscope.lab>\n\
             MIME-Version: 1.0\n\
             Content-Type: multipart/mixed; boundary=\"lab-boundary\"\n\
             \n\
             --lab-boundary\n\
             Content-Type: text/plain\n\
             \n\
             A picture of the lab.\n\
             --lab-boundary\n\
             Content-Type: application/octet-stream; name=\"lab.bin\"\n\
             Content-Transfer-Encoding: base64\n\
             \n",
        );
        for chunk in b64.as_bytes().chunks(76) {
            s.push_str(std::str::from_utf8(chunk).unwrap_or_default());
            s.push('\n');
        }
        s.push_str("--lab-boundary--\n");
        s
    };
    [welcome, dots, report.as_str(), attachment.as_str()]
        .iter()
        .map(|m| Message::from_bytes(m.as_bytes()))
        .collect()
}

/// Why a maildrop could not be loaded from a directory.
#[derive(Debug, thiserror::Error)]
pub enum MailboxError {
    /// The directory or a file could not be read.
    #[error(
        "{}",
        t!("lab-error-read-mailbox", path = path.display().to_string(), error = source.to_string())
    )]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A sub-directory is named after no lab user.
    #[error(
        "{}",
        t!(
            "lab-error-mailbox-user",
            path = path.display().to_string(),
            user = crate::i18n::quote(user),
            known = known
        )
    )]
    UnknownUser {
        /// The sub-directory.
        path: PathBuf,
        /// Its name.
        user: String,
        /// The lab's user names.
        known: String,
    },
}

/// Loads `.eml` files: files directly in `dir` go to the first user
/// (`alice`), files in `dir/<user>/` go to that user. Files are taken in
/// name order. Users without files get an empty maildrop.
pub fn load_dir(
    dir: &Path,
    users: &[LabUser],
) -> Result<BTreeMap<String, Vec<Message>>, MailboxError> {
    let mut out: BTreeMap<String, Vec<Message>> =
        users.iter().map(|u| (u.name.clone(), Vec::new())).collect();
    let first = users.first().map(|u| u.name.clone()).unwrap_or_default();
    out.insert(first.clone(), read_eml_files(dir)?);
    for entry in read_dir_sorted(dir)? {
        if !entry.is_dir() {
            continue;
        }
        let user = entry
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if user.starts_with('.') {
            continue;
        }
        if !out.contains_key(&user) {
            return Err(MailboxError::UnknownUser {
                path: entry.clone(),
                user,
                known: users
                    .iter()
                    .map(|u| u.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        let msgs = read_eml_files(&entry)?;
        out.entry(user).or_default().extend(msgs);
    }
    Ok(out)
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>, MailboxError> {
    let io = |source| MailboxError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        paths.push(entry.map_err(io)?.path());
    }
    paths.sort();
    Ok(paths)
}

fn read_eml_files(dir: &Path) -> Result<Vec<Message>, MailboxError> {
    let mut msgs = Vec::new();
    for path in read_dir_sorted(dir)? {
        let is_eml = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("eml"));
        if !is_eml || !path.is_file() {
            continue;
        }
        let raw = std::fs::read(&path).map_err(|source| MailboxError::Io {
            path: path.clone(),
            source,
        })?;
        msgs.push(Message::from_bytes(&raw));
    }
    Ok(msgs)
}

/// Why a maildrop could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LockError {
    /// No such user.
    NoUser,
    /// Another session holds the maildrop.
    InUse,
}

#[derive(Debug)]
struct UserBox {
    password: String,
    messages: Vec<Message>,
    locked: bool,
}

/// All maildrops of one lab, shared by every connection of every scenario.
#[derive(Debug)]
pub(crate) struct MailStore {
    boxes: Mutex<BTreeMap<String, UserBox>>,
}

impl MailStore {
    /// A store for `users`, with the given initial messages per user.
    pub(crate) fn new(users: &[LabUser], mut messages: BTreeMap<String, Vec<Message>>) -> Self {
        let boxes = users
            .iter()
            .map(|u| {
                let mut msgs = messages.remove(&u.name).unwrap_or_default();
                dedupe_uids(&mut msgs);
                (
                    u.name.clone(),
                    UserBox {
                        password: u.password.clone(),
                        messages: msgs,
                        locked: false,
                    },
                )
            })
            .collect();
        MailStore {
            boxes: Mutex::new(boxes),
        }
    }

    fn boxes(&self) -> MutexGuard<'_, BTreeMap<String, UserBox>> {
        // A panic while holding the lock cannot leave the map inconsistent
        // (every update is a single assignment), so poisoning is ignored.
        self.boxes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The user's password, if the user exists.
    pub(crate) fn password(&self, user: &str) -> Option<String> {
        self.boxes().get(user).map(|b| b.password.clone())
    }

    /// Current unique ids of a user's messages.
    pub(crate) fn uidls(&self, user: &str) -> Option<Vec<String>> {
        self.boxes()
            .get(user)
            .map(|b| b.messages.iter().map(|m| m.uid.clone()).collect())
    }

    /// Appends a message to a user's maildrop; false for an unknown user.
    pub(crate) fn deliver(&self, user: &str, mut msg: Message) -> bool {
        let mut boxes = self.boxes();
        let Some(b) = boxes.get_mut(user) else {
            return false;
        };
        let base = msg.uid.clone();
        let mut n = 1;
        while b.messages.iter().any(|m| m.uid == msg.uid) {
            n += 1;
            msg.uid = format!("{base}-{n}");
        }
        b.messages.push(msg);
        true
    }

    /// Whether a user's maildrop is currently locked by a session.
    pub(crate) fn is_locked(&self, user: &str) -> bool {
        self.boxes().get(user).is_some_and(|b| b.locked)
    }

    /// Locks a maildrop for a session and returns its snapshot.
    pub(crate) fn open(self: &Arc<Self>, user: &str) -> Result<Maildrop, LockError> {
        let mut boxes = self.boxes();
        let b = boxes.get_mut(user).ok_or(LockError::NoUser)?;
        if b.locked {
            return Err(LockError::InUse);
        }
        b.locked = true;
        let messages = b.messages.clone();
        Ok(Maildrop {
            store: Arc::clone(self),
            user: user.to_string(),
            deleted: vec![false; messages.len()],
            messages,
        })
    }
}

fn dedupe_uids(msgs: &mut [Message]) {
    let mut seen = std::collections::HashSet::new();
    for m in msgs.iter_mut() {
        let base = m.uid.clone();
        let mut n = 1;
        while !seen.insert(m.uid.clone()) {
            n += 1;
            m.uid = format!("{base}-{n}");
        }
    }
}

/// A session's locked view of one maildrop. Dropping it releases the lock
/// and discards pending deletions; [`Maildrop::commit`] applies them.
#[derive(Debug)]
pub(crate) struct Maildrop {
    store: Arc<MailStore>,
    user: String,
    messages: Vec<Message>,
    deleted: Vec<bool>,
}

impl Maildrop {
    /// The owner's name.
    pub(crate) fn user(&self) -> &str {
        &self.user
    }

    /// Message `n` (1-based) unless out of range or marked deleted.
    pub(crate) fn get(&self, n: usize) -> Result<&Message, MsgError> {
        let i = n.checked_sub(1).ok_or(MsgError::NoSuch)?;
        match (self.messages.get(i), self.deleted.get(i)) {
            (Some(_), Some(true)) => Err(MsgError::Deleted),
            (Some(m), _) => Ok(m),
            _ => Err(MsgError::NoSuch),
        }
    }

    /// `(number, message)` for every message not marked deleted.
    pub(crate) fn live(&self) -> impl Iterator<Item = (usize, &Message)> {
        self.messages
            .iter()
            .zip(&self.deleted)
            .enumerate()
            .filter(|(_, (_, d))| !**d)
            .map(|(i, (m, _))| (i + 1, m))
    }

    /// `(count, octets)` of messages not marked deleted (STAT).
    pub(crate) fn stat(&self) -> (usize, usize) {
        self.live()
            .fold((0, 0), |(n, size), (_, m)| (n + 1, size + m.size()))
    }

    /// Marks message `n` deleted.
    pub(crate) fn delete(&mut self, n: usize) -> Result<(), MsgError> {
        self.get(n)?;
        self.deleted[n - 1] = true;
        Ok(())
    }

    /// Unmarks every deletion (RSET).
    pub(crate) fn reset(&mut self) {
        self.deleted.iter_mut().for_each(|d| *d = false);
    }

    /// The UPDATE state: removes the marked messages from the store, releases
    /// the lock and returns how many messages remain.
    pub(crate) fn commit(self) -> usize {
        let gone: std::collections::HashSet<&str> = self
            .messages
            .iter()
            .zip(&self.deleted)
            .filter(|(_, d)| **d)
            .map(|(m, _)| m.uid.as_str())
            .collect();
        let mut boxes = self.store.boxes();
        match boxes.get_mut(&self.user) {
            Some(b) => {
                b.messages.retain(|m| !gone.contains(m.uid.as_str()));
                b.messages.len()
            }
            None => 0,
        }
        // The lock is released by Drop, after the guard above is gone.
    }
}

impl Drop for Maildrop {
    fn drop(&mut self) {
        if let Some(b) = self.store.boxes().get_mut(&self.user) {
            b.locked = false;
        }
    }
}

/// Why a message number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MsgError {
    /// No message with that number.
    NoSuch,
    /// The message is marked deleted.
    Deleted,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Arc<MailStore> {
        let users = default_users();
        let mut msgs = BTreeMap::new();
        msgs.insert("alice".to_string(), sample_messages());
        Arc::new(MailStore::new(&users, msgs))
    }

    #[test]
    fn normalises_line_ends() {
        assert_eq!(normalise_crlf(b"a\nb\r\nc\rd"), b"a\r\nb\r\nc\r\nd\r\n");
        assert_eq!(normalise_crlf(b""), b"");
        let m = Message::from_bytes(b"From x@y Mon\nSubject: s\n\nbody");
        assert_eq!(&*m.data, b"Subject: s\r\n\r\nbody\r\n");
        assert_eq!(m.uid.len(), 32);
    }

    #[test]
    fn samples_differ_in_size_and_have_a_dot_line() {
        let msgs = sample_messages();
        assert!(msgs.len() >= 3);
        let mut sizes: Vec<_> = msgs.iter().map(Message::size).collect();
        sizes.dedup();
        assert_eq!(sizes.len(), msgs.len());
        assert!(
            msgs.iter()
                .any(|m| m.data.windows(3).any(|w| w == b"\n.\r"))
        );
        for m in &msgs {
            assert!(m.uid.bytes().all(|b| (0x21..=0x7e).contains(&b)));
        }
    }

    #[test]
    fn lock_commit_and_drop() {
        let s = store();
        let before = s.uidls("alice").unwrap();
        let mut md = s.open("alice").unwrap();
        assert_eq!(s.open("alice").unwrap_err(), LockError::InUse);
        md.delete(1).unwrap();
        assert_eq!(md.delete(1), Err(MsgError::Deleted));
        assert_eq!(md.get(99).unwrap_err(), MsgError::NoSuch);
        assert_eq!(md.get(0).unwrap_err(), MsgError::NoSuch);
        drop(md);
        assert_eq!(s.uidls("alice").unwrap(), before, "drop applies nothing");
        let mut md = s.open("alice").unwrap();
        md.delete(2).unwrap();
        assert_eq!(md.commit(), before.len() - 1);
        assert!(!s.is_locked("alice"));
        assert_eq!(s.uidls("alice").unwrap().len(), before.len() - 1);
        assert_eq!(s.open("nobody").unwrap_err(), LockError::NoUser);
    }

    #[test]
    fn loads_eml_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.eml"), "Subject: b\n\nB\n").unwrap();
        std::fs::write(dir.path().join("a.EML"), "Subject: a\n\nA\n").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        std::fs::create_dir(dir.path().join("bob")).unwrap();
        std::fs::write(dir.path().join("bob/x.eml"), "Subject: x\n\nX\n").unwrap();
        let users = default_users();
        let loaded = load_dir(dir.path(), &users).unwrap();
        assert_eq!(loaded["alice"].len(), 2);
        assert!(loaded["alice"][0].data.starts_with(b"Subject: a"));
        assert_eq!(loaded["bob"].len(), 1);
        std::fs::create_dir(dir.path().join("mallory")).unwrap();
        assert!(matches!(
            load_dir(dir.path(), &users),
            Err(MailboxError::UnknownUser { .. })
        ));
    }
}
