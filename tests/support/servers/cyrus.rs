//! A private Cyrus IMAP pop3d (Debian 12's 3.6.1) under its own `master`.
//!
//! [`Cyrus::start`] writes `imapd.conf` and `cyrus.conf` into a fresh
//! temporary directory (config directory, mail partition, sasldb,
//! certificates all live there), runs `master -C imapd.conf -M cyrus.conf`
//! in the foreground as the leader of a process group (it drops to the
//! `cyrus` user itself), and waits until the plain port greets. The unpacked
//! Cyrus libraries come from `LD_LIBRARY_PATH`.
//!
//! Authentication: SASL auxprop with a private sasldb made by
//! `saslpasswd2 -f` for [`TEST_USER`]/[`TEST_PASSWORD`] (not PAM), and
//! `autocreate_quota: 0` creates the INBOX at the first login.

use std::fs;
use std::net::{Ipv4Addr, SocketAddr};
use std::os::unix::fs::chown;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use std::io::Write as _;

use super::{
    CertKind, Daemon, TEST_PASSWORD, TEST_USER, TlsFiles, available_or_skip, port_conflict,
    servers_dir, skip_reason, temp_dir, user_ids, write_tls,
};

const BIN_DIR: &str = "cyrus/usr/lib/cyrus/bin";
const LIB_DIR: &str = "cyrus/usr/lib/x86_64-linux-gnu";
const SASLPASSWD2: &str = "/usr/sbin/saslpasswd2";

/// Why the Cyrus fixture cannot run here, or `None`.
pub fn cyrus_skip_reason() -> Option<String> {
    skip_reason(
        "Cyrus",
        &[
            "cyrus/usr/lib/cyrus/bin/master",
            "cyrus/usr/lib/cyrus/bin/pop3d",
            "cyrus/usr/lib/cyrus/bin/ctl_cyrusdb",
            SASLPASSWD2,
        ],
    )
    .or_else(|| {
        user_ids("cyrus")
            .is_none()
            .then(|| "the cyrus user does not exist (run .ci/install-servers.sh)".to_string())
    })
}

/// `true` when Cyrus can run here (see [`available_or_skip`]).
pub fn cyrus_or_skip(test: &str) -> bool {
    available_or_skip(test, cyrus_skip_reason())
}

/// Knobs for [`Cyrus::start`]; the default is a healthy server: STLS and
/// pop3s with a good certificate, no plain-text login before TLS.
#[derive(Debug, Clone)]
pub struct CyrusOpts {
    /// Configure a certificate: STLS offered and the pop3s port open.
    pub tls: bool,
    /// `allowplaintext`: USER/PASS and PLAIN before TLS.
    pub allow_plaintext: bool,
    /// The server certificate.
    pub cert: CertKind,
}

impl Default for CyrusOpts {
    fn default() -> Self {
        CyrusOpts {
            tls: true,
            allow_plaintext: false,
            cert: CertKind::Good,
        }
    }
}

/// A running private Cyrus. Stopped on drop.
pub struct Cyrus {
    master: Daemon,
    pop3: SocketAddr,
    pop3s: Option<SocketAddr>,
    tls_files: TlsFiles,
    // Last: removed after the server has stopped.
    dir: tempfile::TempDir,
}

impl Cyrus {
    /// Starts Cyrus as `opts` says and waits (at most 10 s) until the plain
    /// port greets and the pop3s port accepts.
    pub fn start(opts: CyrusOpts) -> Result<Cyrus> {
        let root = servers_dir();
        let (uid, gid) = user_ids("cyrus").ok_or_else(|| anyhow!("no cyrus user"))?;
        let dir = temp_dir("popscope-cyrus-")?;
        let d = dir.path();
        for sub in ["conf", "spool", "run"] {
            fs::create_dir(d.join(sub))?;
            chown(d.join(sub), Some(uid), Some(gid))?;
        }
        let tls_files = write_tls(d, opts.cert)?;
        chown(&tls_files.key, Some(uid), Some(gid))?;
        let sasldb = d.join("sasldb2");
        make_sasldb(&sasldb)?;
        chown(&sasldb, Some(uid), Some(gid))?;

        let ports = if opts.tls { 2 } else { 1 };
        let (master, pop3, pop3s) = super::with_port_retries(ports, |p, attempt| {
            let pop3 = SocketAddr::from((Ipv4Addr::LOCALHOST, p[0]));
            let pop3s = opts
                .tls
                .then(|| SocketAddr::from((Ipv4Addr::LOCALHOST, p[1])));
            let imapd = write_imapd_conf(d, &opts, &tls_files, &sasldb).map_err(|e| (e, false))?;
            let cyrus_conf =
                write_cyrus_conf(d, &root, &imapd, pop3, pop3s, attempt).map_err(|e| (e, false))?;
            let mut cmd = Command::new(root.join(BIN_DIR).join("master"));
            cmd.env_clear()
                .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
                .env("LD_LIBRARY_PATH", root.join(LIB_DIR))
                .arg("-C")
                .arg(&imapd)
                .arg("-M")
                .arg(&cyrus_conf)
                .arg("-p")
                .arg(d.join("run").join(format!("master{attempt}.pid")));
            let log = d.join(format!("master{attempt}.log"));
            let mut master = Daemon::spawn("cyrus master", cmd, &log).map_err(|e| (e, false))?;
            let deadline = Instant::now() + Duration::from_secs(10);
            let ready = master
                .wait_ready(pop3, true, deadline)
                .and_then(|()| match pop3s {
                    Some(a) => master.wait_ready(a, false, deadline),
                    None => Ok(()),
                });
            match ready {
                Ok(()) => Ok((master, pop3, pop3s)),
                Err(e) => {
                    master.stop();
                    let text = master.log();
                    // master logs to syslog, so a lost port race shows as
                    // "not ready" as well: always retry with new ports.
                    let retry = port_conflict(&text) || text.is_empty();
                    Err((e.context(format!("--- master log ---\n{text}")), retry))
                }
            }
        })?;
        Ok(Cyrus {
            master,
            pop3,
            pop3s,
            tls_files,
            dir,
        })
    }

    /// The plain POP3 address.
    pub fn pop3_addr(&self) -> SocketAddr {
        self.pop3
    }

    /// The implicit-TLS address, when TLS is configured.
    pub fn pop3s_addr(&self) -> Option<SocketAddr> {
        self.pop3s
    }

    /// The test CA that issued the server certificate.
    pub fn ca_pem_path(&self) -> &Path {
        &self.tls_files.ca
    }

    /// The master's process id (= process group of every Cyrus process).
    pub fn pid(&self) -> Option<u32> {
        self.master.pid()
    }

    /// The fixture's temporary directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

fn make_sasldb(path: &Path) -> Result<()> {
    let mut child = Command::new(SASLPASSWD2)
        .args(["-p", "-c", "-u", "localhost", "-f"])
        .arg(path)
        .arg(TEST_USER)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("running saslpasswd2")?;
    child
        .stdin
        .take()
        .ok_or_else(|| anyhow!("no stdin"))?
        .write_all(TEST_PASSWORD.as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!(
            "saslpasswd2 failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

fn write_imapd_conf(d: &Path, opts: &CyrusOpts, tls: &TlsFiles, sasldb: &Path) -> Result<PathBuf> {
    let mut conf = format!(
        "# Generated by popscope tests/support/servers/cyrus.rs.
configdirectory: {conf}
defaultpartition: default
partition-default: {spool}
servername: localhost
serverinfo: on
admins: cyrus
allowplaintext: {plain}
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: {sasldb}
sasl_mech_list: PLAIN LOGIN
autocreate_quota: 0
popminpoll: 0
unixhierarchysep: yes
syslog_prefix: popscope-cyrus
",
        conf = d.join("conf").display(),
        spool = d.join("spool").display(),
        plain = if opts.allow_plaintext { "yes" } else { "no" },
        sasldb = sasldb.display(),
    );
    if opts.tls {
        conf.push_str(&format!(
            "tls_server_cert: {}\ntls_server_key: {}\n",
            tls.cert.display(),
            tls.key.display()
        ));
    }
    let path = d.join("imapd.conf");
    fs::write(&path, conf)?;
    Ok(path)
}

fn write_cyrus_conf(
    d: &Path,
    root: &Path,
    imapd: &Path,
    pop3: SocketAddr,
    pop3s: Option<SocketAddr>,
    attempt: u32,
) -> Result<PathBuf> {
    let bin = root.join(BIN_DIR);
    let (bin, imapd) = (bin.display(), imapd.display());
    let mut services =
        format!("  pop3 cmd=\"{bin}/pop3d -C {imapd}\" listen=\"{pop3}\" prefork=0\n");
    if let Some(a) = pop3s {
        services.push_str(&format!(
            "  pop3s cmd=\"{bin}/pop3d -s -C {imapd}\" listen=\"{a}\" prefork=0\n"
        ));
    }
    let conf = format!(
        "START {{
  recover cmd=\"{bin}/ctl_cyrusdb -C {imapd} -r\"
}}
SERVICES {{
{services}}}
EVENTS {{
}}
DAEMON {{
}}
"
    );
    let path = d.join(format!("cyrus{attempt}.conf"));
    fs::write(&path, conf)?;
    Ok(path)
}
