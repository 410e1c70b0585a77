//! `radhus serve` stopped by SIGTERM, as a service manager or an orchestrator stops a node
//! (issue 14 item 1): it stops taking connections, answers the request in flight and exits 0.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn radhus() -> Command {
    Command::new(env!("CARGO_BIN_EXE_radhus"))
}

fn get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").ok()?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).ok()?;
    Some(answer)
}

#[test]
fn sigterm_answers_the_request_in_flight_then_exits_0() {
    let dir = std::env::temp_dir().join(format!("radhus-sigterm-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let keys = radhus().args(["keys", "generate"]).output().expect("keys generate");
    assert!(keys.status.success());
    std::fs::write(dir.join("pii-keys"), &keys.stdout).expect("key file");
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let mut server = radhus()
        .args(["serve", "--data"])
        .arg(&dir)
        .env("RADHUS_LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let started = Instant::now();
    while !get(port, "/readyz").is_some_and(|a| a.starts_with("HTTP/1.1 200")) {
        assert!(server.try_wait().expect("wait").is_none(), "serve ended before it was ready");
        assert!(started.elapsed() < Duration::from_secs(120), "serve did not become ready");
        std::thread::sleep(Duration::from_millis(100));
    }

    // A login form whose body is still on its way when the signal comes.
    let token = "a".repeat(40);
    let body = format!("_csrf={token}&email=ingen%40example.se&password=fel-l%C3%B6senord");
    let (first, rest) = body.split_at(20);
    let mut slow = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    slow.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    write!(
        slow,
        "POST /logga-in HTTP/1.1\r\nHost: localhost:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nCookie: radhus-csrf={token}; __Host-radhus-csrf={token}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    )
    .expect("send the start");
    std::thread::sleep(Duration::from_millis(300));

    let signalled = Instant::now();
    let kill = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().expect("kill");
    assert!(kill.success());
    std::thread::sleep(Duration::from_millis(500));
    // No new connections…
    assert!(get(port, "/healthz").is_none(), "a new connection after SIGTERM must be refused");
    // …but the process waits for the request in flight.
    assert!(server.try_wait().expect("wait").is_none(), "serve exited with a request in flight");
    slow.write_all(rest.as_bytes()).expect("send the rest");
    let mut answer = String::new();
    slow.read_to_string(&mut answer).expect("the answer");
    let status: u16 = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    assert!(answer.starts_with("HTTP/1.1 ") && (200..500).contains(&status), "the request in flight is answered: {answer:.300}");

    loop {
        if let Some(exit) = server.try_wait().expect("wait") {
            assert!(exit.success(), "serve exits 0 after SIGTERM: {exit}");
            break;
        }
        assert!(signalled.elapsed() < Duration::from_secs(15), "serve did not exit after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
