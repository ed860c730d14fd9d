//! Stable hashes of names and keys: the same on every run and machine,
//! so that inference's keys and signatures do not depend on the run.

/// FNV-1a: a stable hash, so that keys and signatures do not depend on the
/// run.
pub(super) fn hash_str(s: &str) -> u64 {
    hash_bytes(0xcbf2_9ce4_8422_2325, s.as_bytes())
}

/// `h` with `x` mixed into it.
pub(super) fn hash_mix(h: u64, x: u64) -> u64 {
    hash_bytes(h, &x.to_le_bytes())
}

fn hash_bytes(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &byte| {
        (h ^ byte as u64).wrapping_mul(0x0100_0000_01b3)
    })
}
