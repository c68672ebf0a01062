//! `veeam-auth-mock health`: asks a running mock whether it answers, for container
//! `HEALTHCHECK`s (a `FROM scratch` image has no curl).
//!
//! A plain HTTP/1.1 GET over a TCP socket is all it takes, so it is written here rather than
//! pulling an HTTP client into the binary. Any HTTP answer below 500 counts as healthy: the
//! server is up and routing.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::{Context, bail};

/// Asks `address` for `path`; Ok with the status when the mock answers below 500.
pub(crate) fn check(address: SocketAddr, path: &str) -> anyhow::Result<u16> {
    let timeout = Duration::from_secs(3);
    let mut stream = TcpStream::connect_timeout(&address, timeout)
        .with_context(|| format!("cannot connect to {address}"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).context("cannot send the request")?;
    let mut head = [0; 64];
    let read = stream.read(&mut head).context("no answer")?;
    let status = parse_status(&head[..read]).context("the answer is not HTTP")?;
    if status >= 500 {
        bail!("the mock answered {status}");
    }
    Ok(status)
}

/// The status code of an HTTP/1.x status line (`HTTP/1.1 200 OK`).
fn parse_status(head: &[u8]) -> Option<u16> {
    let line = std::str::from_utf8(head).ok()?.lines().next()?;
    let mut parts = line.split(' ');
    parts.next().filter(|version| version.starts_with("HTTP/1."))?;
    parts.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::parse_status;

    #[test]
    fn status_lines_are_read() {
        assert_eq!(parse_status(b"HTTP/1.1 200 OK\r\ncontent-length: 0"), Some(200));
        assert_eq!(parse_status(b"HTTP/1.0 404 Not Found\r\n"), Some(404));
        assert_eq!(parse_status(b"SSH-2.0-OpenSSH"), None);
    }
}
