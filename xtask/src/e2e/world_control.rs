//! The world's control API (`/__world/...`) as the scenarios use it: faults, the request log, the sheet.

use std::io::{Read, Write};
use std::net::TcpStream;

use anyhow::{Context, Result, ensure};

use crate::world::WorldProcess;

/// Sends one request to the world's control API (`/__world/...`), checks it succeeded and returns the body.
pub(crate) fn control(world: &WorldProcess, method: &str, path_and_query: &str) -> Result<String> {
    control_with_body(world, method, path_and_query, "")
}

/// [`control`] with a request body.
pub(crate) fn control_with_body(
    world: &WorldProcess,
    method: &str,
    path_and_query: &str,
    body: &str,
) -> Result<String> {
    let addr = world.base_url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr)?;
    let head = format!("{method} /__world/{path_and_query} HTTP/1.1\r\nHost: {addr}\r\n");
    write!(
        stream,
        "{head}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    ensure!(
        response.starts_with("HTTP/1.1 200"),
        "control {method} {path_and_query}: {response}"
    );
    let (_, body) = response
        .split_once("\r\n\r\n")
        .context("response without a body")?;
    Ok(body.to_owned())
}
