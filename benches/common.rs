//! What the benchmarks share.

/// The peak resident memory of this process in MB, from /proc (Linux).
pub(crate) fn peak_memory_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or("unknown".to_string(), |kb| (kb / 1024).to_string())
}
