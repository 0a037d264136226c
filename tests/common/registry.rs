//! A real registry for engine tests: Debian's `docker-registry` (the reference registry, 2.8)
//! on 127.0.0.1 with storage in a temp dir, stopped when dropped. The engine treats
//! 127.0.0.0/8 as an insecure registry by default, so plain HTTP works without daemon settings.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Registry {
    pub port: u16,
    child: Option<Child>,
    dir: tempfile::TempDir,
}

impl Registry {
    /// Starts a registry, or returns `None` (printing why) when `docker-registry` is not
    /// installed and the test may skip. With `DEVBOX_REQUIRE_DOCKER=1` a missing binary fails.
    pub fn start() -> Option<Registry> {
        let binary = "/usr/bin/docker-registry";
        if !std::path::Path::new(binary).exists() {
            if std::env::var("DEVBOX_REQUIRE_DOCKER").as_deref() == Ok("1") {
                panic!("no {binary}: apt-get install docker-registry (.ci/run does)");
            }
            eprintln!("skipped: no docker-registry");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let mut registry = Registry {
            port: 0,
            child: None,
            dir,
        };
        registry.spawn();
        Some(registry)
    }

    fn spawn(&mut self) {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let config = self.dir.path().join("config.yml");
        let storage = self.dir.path().join("storage");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{port}\n",
                storage.display()
            ),
        )
        .unwrap();
        let log = std::fs::File::create(self.dir.path().join("registry.log")).unwrap();
        let child = Command::new("/usr/bin/docker-registry")
            .arg("serve")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        self.child = Some(child);
        self.port = port;
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.get("/v2/").starts_with("HTTP/1.1 200") {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the registry did not answer within 20 s: {}", self.log());
    }

    /// `127.0.0.1:PORT/<path>`.
    pub fn reference(&self, path: &str) -> String {
        format!("127.0.0.1:{}/{path}", self.port)
    }

    /// A raw GET against the registry's HTTP API (status line, headers and body).
    pub fn get(&self, path: &str) -> String {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return String::new();
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/vnd.docker.distribution.manifest.v2+json\r\nConnection: close\r\n\r\n"
        );
        if stream.write_all(request.as_bytes()).is_err() {
            return String::new();
        }
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    }

    /// Stops the registry (the engine then cannot reach it); its storage stays.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop();
    }
}
