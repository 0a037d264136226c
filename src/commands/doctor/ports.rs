//! Who holds a host port: a bind attempt says whether it is free (portable and exact), and on
//! Linux `/proc/net/tcp*` plus `/proc/<pid>/fd` name the process that listens there.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, UdpSocket};

/// Whether `host_ip:port` can be bound now. An unparsable or non-local host IP counts as free:
/// the engine will report its own error for it.
pub fn is_taken(host_ip: &str, port: u16, protocol: &str) -> bool {
    let ip: IpAddr = match host_ip {
        "" | "0.0.0.0" => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        other => match other.trim_matches(['[', ']']).parse() {
            Ok(ip) => ip,
            Err(_) => return false,
        },
    };
    let addr = SocketAddr::new(ip, port);
    let result = if protocol == "udp" {
        UdpSocket::bind(addr).map(drop)
    } else {
        TcpListener::bind(addr).map(drop)
    };
    matches!(result, Err(err) if err.kind() == std::io::ErrorKind::AddrInUse)
}

/// The process listening on a TCP port, as `name (pid N)`, where `/proc` tells.
pub fn tcp_listener_process(port: u16) -> Option<String> {
    let inode = ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|table| std::fs::read_to_string(table).ok())
        .find_map(|text| listening_inode(&text, port))?;
    let needle = format!("socket:[{inode}]");
    let procs = std::fs::read_dir("/proc").ok()?;
    for entry in procs.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        let Ok(fds) = std::fs::read_dir(entry.path().join("fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            if std::fs::read_link(fd.path())
                .is_ok_and(|target| target.as_os_str() == needle.as_str())
            {
                let comm = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
                return Some(format!("{} (pid {pid})", comm.trim()));
            }
        }
    }
    None
}

/// The socket inode of a LISTEN (state 0A) line for `port` in a `/proc/net/tcp` table.
fn listening_inode(table: &str, port: u16) -> Option<String> {
    let want = format!("{port:04X}");
    table.lines().skip(1).find_map(|line| {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let local = cols.get(1)?;
        let (_, local_port) = local.rsplit_once(':')?;
        (local_port == want && cols.get(3) == Some(&"0A"))
            .then(|| cols.get(9).map(|s| s.to_string()))?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listening_inode_reads_proc_format() {
        let table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0\n   1: 0100007F:1F91 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 999 1\n";
        assert_eq!(listening_inode(table, 8080).as_deref(), Some("12345"));
        assert_eq!(
            listening_inode(table, 8081),
            None,
            "established, not listening"
        );
    }

    #[test]
    fn a_port_this_test_holds_is_taken_and_named() {
        // 127.0.0.2: other tests of this process bind ephemeral ports on 127.0.0.1, and one
        // of them could take this port the moment it is freed.
        let listener = TcpListener::bind("127.0.0.2:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        assert!(is_taken("127.0.0.2", port, "tcp"));
        if std::path::Path::new("/proc/net/tcp").exists() {
            let who = tcp_listener_process(port).unwrap();
            assert!(
                who.contains(&format!("pid {}", std::process::id())),
                "{who}"
            );
        }
        drop(listener);
    }

    #[test]
    fn a_port_nobody_holds_is_free() {
        // A freed port can be taken again at once by any process on the machine (CI runs
        // engines and servers beside the tests), so one of a few freed ports must read free.
        let free = (0..5).any(|_| {
            let listener = TcpListener::bind("127.0.0.2:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            drop(listener);
            !is_taken("127.0.0.2", port, "tcp")
        });
        assert!(free, "five freshly freed ports all read as taken");
    }
}
