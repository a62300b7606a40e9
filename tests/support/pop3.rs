//! A minimal line-based POP3 client over plain TCP, for the fixtures'
//! helpers and for tests that talk to a server without popscope.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::{Result, bail};

/// A minimal line-based POP3 client over plain TCP.
pub struct RawPop3 {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    /// The greeting line (without CRLF).
    pub greeting: String,
}

impl RawPop3 {
    /// Connects (5 s timeout) and reads the greeting.
    pub fn connect(addr: SocketAddr) -> Result<RawPop3> {
        Self::connect_timeout(addr, Duration::from_secs(5))
    }

    /// Connects with a timeout (also used for each read) and reads the greeting.
    pub fn connect_timeout(addr: SocketAddr, timeout: Duration) -> Result<RawPop3> {
        let s = TcpStream::connect_timeout(&addr, timeout)?;
        s.set_read_timeout(Some(timeout))?;
        s.set_write_timeout(Some(timeout))?;
        let writer = s.try_clone()?;
        let mut c = RawPop3 {
            reader: BufReader::new(s),
            writer,
            greeting: String::new(),
        };
        c.greeting = c.read_line()?;
        Ok(c)
    }

    /// Reads one line, CRLF stripped.
    pub fn read_line(&mut self) -> Result<String> {
        let mut buf = Vec::new();
        let n = self.reader.read_until(b'\n', &mut buf)?;
        if n == 0 {
            bail!("connection closed");
        }
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    /// Sends a command line and returns the first response line.
    pub fn command(&mut self, line: &str) -> Result<String> {
        self.writer.write_all(format!("{line}\r\n").as_bytes())?;
        self.read_line()
    }

    /// Sends a command and fails unless the answer is `+OK`.
    pub fn expect_ok(&mut self, line: &str) -> Result<String> {
        let r = self.command(line)?;
        if !r.starts_with("+OK") {
            let shown = if line.starts_with("PASS ") {
                "PASS ***"
            } else {
                line
            };
            bail!("{shown} -> {r}");
        }
        Ok(r)
    }

    /// Sends a command with a multi-line answer; returns the lines between
    /// `+OK` and `.`, dot-unstuffed.
    pub fn multiline(&mut self, line: &str) -> Result<Vec<String>> {
        self.expect_ok(line)?;
        let mut out = Vec::new();
        loop {
            let l = self.read_line()?;
            if l == "." {
                return Ok(out);
            }
            out.push(l.strip_prefix('.').map(str::to_string).unwrap_or(l));
        }
    }

    /// `CAPA` lines.
    pub fn capa(&mut self) -> Result<Vec<String>> {
        self.multiline("CAPA")
    }
}
