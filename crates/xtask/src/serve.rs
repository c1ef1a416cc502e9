//! `cargo xtask serve`: build the app with trunk, then serve `dist/` on 127.0.0.1.
//!
//! The site is plain static files, so a tiny static server is all that is needed, and it serves
//! the build exactly as any static host would (relative URLs, hash routes, no rewrites).

use crate::shell::{announce, root};
use crate::{dist, setup};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

/// Options of `cargo xtask serve`.
pub struct Options {
    /// TCP port on 127.0.0.1.
    port: u16,
    /// Build with the release profile (optimised, wasm-opt) instead of the dev profile.
    release: bool,
}

impl Options {
    /// Parses `[--port N] [--release]`.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            port: 8080,
            release: false,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--release" => options.release = true,
                "--port" => {
                    let value = args
                        .next()
                        .ok_or("`--port` needs a number, e.g. `--port 8081`")?;
                    options.port = parse_port(value)?;
                }
                other => match other.strip_prefix("--port=") {
                    Some(value) => options.port = parse_port(value)?,
                    None => {
                        return Err(format!(
                            "unknown option `{other}` for serve; usage: cargo xtask serve [--port N] [--release]"
                        ));
                    }
                },
            }
        }
        Ok(options)
    }
}

fn parse_port(value: &str) -> Result<u16, String> {
    match value.parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(format!("`{value}` is not a port number (1–65535)")),
    }
}

/// Sets up, builds, and serves until interrupted.
pub fn run(options: &Options) -> Result<(), String> {
    setup::run()?;
    // Bind before building, so a busy port is reported at once rather than after the build.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, options.port)).map_err(|error| {
        format!(
            "cannot listen on 127.0.0.1:{}: {error}; pass another port, e.g. `cargo xtask serve --port {}`",
            options.port,
            options.port.wrapping_add(1).max(1024)
        )
    })?;
    dist::build(options.release)?;
    let dir = root().join("dist");
    announce(&format!(
        "serving dist/ at http://127.0.0.1:{}/   (Ctrl-C to stop; run again to rebuild)",
        options.port
    ));
    serve_forever(&listener, &dir);
    Ok(())
}

fn serve_forever(listener: &TcpListener, dir: &Path) {
    for stream in listener.incoming().flatten() {
        let dir = dir.to_path_buf();
        std::thread::spawn(move || {
            let _ = handle(stream, &dir);
        });
    }
}

fn handle(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?.take(16 * 1024));
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers; nothing in them changes the answer.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"method not allowed\n",
            true,
        );
    }
    let Some(path) = resolve(dir, target) else {
        return respond(
            &mut stream,
            "404 Not Found",
            "text/plain",
            b"not found\n",
            method == "GET",
        );
    };
    match std::fs::read(&path) {
        Ok(body) => respond(
            &mut stream,
            "200 OK",
            mime_type(&path),
            &body,
            method == "GET",
        ),
        Err(_) => respond(
            &mut stream,
            "404 Not Found",
            "text/plain",
            b"not found\n",
            method == "GET",
        ),
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    mime: &str,
    body: &[u8],
    with_body: bool,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if with_body {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// Maps a request target to a file under `dir`; `None` for anything outside it or missing.
fn resolve(dir: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path)?;
    let mut file = dir.to_path_buf();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file, by extension (browsers refuse to stream-compile wasm without
/// `application/wasm`, and refuse module scripts without a JavaScript type).
fn mime_type(path: &Path) -> &'static str {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_port_and_release() {
        let options = Options::parse(&args(&["--port", "9000", "--release"])).unwrap();
        assert_eq!((options.port, options.release), (9000, true));
        let options = Options::parse(&args(&["--port=81"])).unwrap();
        assert_eq!((options.port, options.release), (81, false));
        assert_eq!(Options::parse(&[]).unwrap().port, 8080);
    }

    #[test]
    fn rejects_bad_options() {
        assert!(Options::parse(&args(&["--port"])).is_err());
        assert!(Options::parse(&args(&["--port", "0"])).is_err());
        assert!(Options::parse(&args(&["--port", "70000"])).is_err());
        assert!(Options::parse(&args(&["--watch"])).is_err());
    }

    #[test]
    fn wasm_and_scripts_get_their_mime_types() {
        assert_eq!(mime_type(Path::new("a/app_bg.wasm")), "application/wasm");
        assert!(mime_type(Path::new("app.js")).starts_with("text/javascript"));
        assert!(mime_type(Path::new("INDEX.HTML")).starts_with("text/html"));
        assert_eq!(mime_type(Path::new("favicon.svg")), "image/svg+xml");
    }

    #[test]
    fn resolves_only_inside_the_served_directory() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(
            resolve(dir, "/Cargo.toml?x=1"),
            Some(dir.join("Cargo.toml"))
        );
        assert_eq!(
            resolve(dir, "/src/%6Dain.rs"),
            Some(dir.join("src").join("main.rs"))
        );
        assert_eq!(resolve(dir, "/../Cargo.toml"), None);
        assert_eq!(resolve(dir, "/%2e%2e/Cargo.toml"), None);
        assert_eq!(resolve(dir, "/missing"), None);
        assert_eq!(percent_decode("%zz"), None);
    }
}
