//! Starting the server: defaults derived from the data directory, serving on a socket.
use std::time::Duration;

use clap::Parser;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One raw HTTP/1.1 exchange (the server closes the connection after it).
async fn exchange(addr: std::net::SocketAddr, request: String) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

/// What the binary and the end-to-end tests run: `serve` on a real socket, with a generated
/// signing key and private data directory, peer addresses from the connection.
#[tokio::test]
async fn serve_on_a_socket_with_defaults_derived_from_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = server::Config::try_parse_from([
        "server",
        "--data-dir",
        data.to_str().unwrap(),
        "--static-dir",
        dir.path().join("dist").to_str().unwrap(),
    ])
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(server::serve(config, listener));

    let body = r#"{"email":"sock@example.com","password":"plum-Sofa-42-quartz"}"#;
    let request = format!(
        "POST /user/register HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let response = tokio::time::timeout(Duration::from_secs(30), exchange(addr, request))
        .await
        .unwrap();
    assert!(
        response.starts_with("HTTP/1.1 201 Created\r\n"),
        "{response}"
    );
    assert!(
        response.contains("\r\ncache-control: no-store\r\n"),
        "{response}"
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join("jwt-secret")), 0o600);
    }
    assert_eq!(std::fs::read(data.join("jwt-secret")).unwrap().len(), 32);
    assert!(data.join("account-console.db").is_file());
    assert!(data.join("outbox").is_dir());
    server.abort();
}
