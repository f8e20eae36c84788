//! Fuzz-like: nothing panics.

use super::*;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

pub(super) fn try_everything(bytes: &[u8]) {
    let _ = detect_kind("f.csv", bytes);
    let _ = import_bytes("f.csv", bytes, None);
    for kind in ImportKind::ALL {
        if let Err(e) = import_bytes("f.csv", bytes, Some(kind)) {
            let msg = e.to_string();
            assert!(msg.starts_with("f.csv"), "{msg}");
            assert!(!msg.contains('\n'), "one paragraph: {msg}");
        }
    }
}

#[test]
pub(super) fn random_bytes_never_panic() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let alphabet: &[u8] = b"0123456789,,,\"\"\r\n\n /~-.abcSUMLEVgeoid\x96\xf1\xff\x00";
    for round in 0..400 {
        let len = rng.below(300);
        let bytes: Vec<u8> = if round % 2 == 0 {
            (0..len).map(|_| rng.next() as u8).collect()
        } else {
            (0..len).map(|_| alphabet[rng.below(alphabet.len())]).collect()
        };
        try_everything(&bytes);
    }
}

#[test]
pub(super) fn mutated_real_files_never_panic() {
    let mut rng = Rng(0xC0FF_EE00_DEAD_BEEF);
    let sources: Vec<Vec<u8>> = [co_est_2023(), sub_est_2019(), fbi(), bjs_releases(), bjs_admissions()]
        .iter()
        .map(|p| {
            let b = read(p);
            b[..b.len().min(6000)].to_vec()
        })
        .collect();
    let inserts: &[&[u8]] = &[b"\"", b",", b"\r\n", b"\n", b"\x96", b"\xc3", b"/", b"-1", b"\x00", b"99999999999999999999999"];
    for _ in 0..300 {
        let mut bytes = sources[rng.below(sources.len())].clone();
        for _ in 0..1 + rng.below(4) {
            match rng.below(4) {
                0 => bytes.truncate(rng.below(bytes.len() + 1)),
                1 => {
                    let at = rng.below(bytes.len() + 1);
                    let ins = inserts[rng.below(inserts.len())];
                    bytes.splice(at..at, ins.iter().copied());
                }
                2 if !bytes.is_empty() => {
                    let at = rng.below(bytes.len());
                    bytes.remove(at);
                }
                _ if !bytes.is_empty() => {
                    let at = rng.below(bytes.len());
                    bytes[at] = rng.next() as u8;
                }
                _ => {}
            }
        }
        try_everything(&bytes);
    }
}
