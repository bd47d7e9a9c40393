//! Lock and lease owners: `host:pid:random`, and the check that an owner on this host is dead.

use std::fmt;

/// The identity this process uses for locks, leases and runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner(String);

impl Owner {
    /// `host:pid:random` for this process.
    pub fn this_process() -> Owner {
        let host = this_host();
        let token: u32 = rand::random();
        Owner(format!("{host}:{}:{token:08x}", std::process::id()))
    }

    /// The owner string, as stored in locks, leases and runs.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn this_host() -> String {
    // ':' separates the owner's parts, so it must not appear in the host part.
    gethostname::gethostname().to_string_lossy().replace(':', "_")
}

/// Whether `owner` names a process on this host that no longer runs. Owners on other hosts, or that
/// cannot be parsed, are never declared dead (only their TTL frees their locks).
pub fn process_is_dead(owner: &str) -> bool {
    let mut parts = owner.rsplitn(3, ':');
    let (Some(_token), Some(pid), Some(host)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let Ok(pid) = pid.parse::<u32>() else { return false };
    host == this_host() && pid != std::process::id() && !pid_alive(pid)
}

/// Linux: `/proc/PID` exists and is not a zombie. Elsewhere we cannot tell, so we say alive.
fn pid_alive(pid: u32) -> bool {
    if !std::path::Path::new("/proc/self").exists() {
        return true;
    }
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name: "PID (comm) S ...".
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X'])),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_finished_child_is_dead() {
        let me = Owner::this_process();
        assert!(!process_is_dead(me.as_str()));
        let mut child = std::process::Command::new("true")
            .spawn()
            .unwrap_or_else(|e| panic!("spawn: {e}"));
        let pid = child.id();
        let _ = child.wait();
        assert!(process_is_dead(&format!("{}:{pid}:abcd", this_host())));
        assert!(
            !process_is_dead(&format!("elsewhere:{pid}:abcd")),
            "other hosts wait for the TTL"
        );
        assert!(!process_is_dead("garbage"));
    }
}
