//! A small stable hash for input fingerprints.
//!
//! FNV-1a rather than `DefaultHasher` because plans record the hash and it
//! must not change between Rust versions or machines.

/// 64-bit FNV-1a.
#[derive(Debug, Clone)]
pub struct Fnv(u64);

impl Fnv {
    /// A fresh hasher.
    pub fn new() -> Self {
        Fnv(0xcbf29ce484222325)
    }

    /// Feeds bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x100000001b3);
        }
    }

    /// The hash so far.
    pub fn finish(&self) -> u64 {
        self.0
    }
}

impl Default for Fnv {
    fn default() -> Self {
        Fnv::new()
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        Fnv::write(self, bytes);
    }

    fn finish(&self) -> u64 {
        Fnv::finish(self)
    }
}

/// A map keyed by short ids (driver ids), hashed with [`Fnv`]: the
/// engine's per-plan lookups, where SipHash was a tenth of a batch. Only
/// for lookups: nothing may depend on its iteration order.
pub type IdMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// A set of short ids hashed with [`Fnv`] (see [`IdMap`]).
pub type IdSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<Fnv>>;
