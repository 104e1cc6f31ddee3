//! What makes a hidden sheet 「_dxplan」 trustworthy.
//!
//! - The **MAC** (HMAC-SHA256 under the plan's own secret key, which never leaves the plan file)
//!   authenticates the export: only the plan that issued it can compute it, so changed base
//!   values, keys, project set or department are detected even when someone recomputes a hash.
//! - The **digest** (plain SHA-256, no key) only detects damage and casual edits; it is what a
//!   reader without the key (the department's working copy, `import` into a new plan) can check.
//!   Format 1 exports, written before the MAC, carry the digest alone.
//!
//! Both run over the non-empty cells in row order as (row, column, length, text), so the same
//! cells give the same seal however a spreadsheet program re-saved the file.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Prefix of a MAC in the hidden sheet.
pub const MAC_PREFIX: &str = "hmac-sha256:";
/// Prefix of a digest in the hidden sheet.
pub const DIGEST_PREFIX: &str = "sha256:";
/// Bound into every MAC, so a MAC of dxplan exports is never valid for anything else.
const MAC_DOMAIN: &[u8] = b"dxplan export seal 2\0";

/// The plan's secret key (kept in the plan file: `store`).
pub use crate::store::MacKey;

/// One cell as sealed: (row, column) and text.
pub type SealedCell<'a> = ((u32, u32), &'a str);

fn feed<'a>(mut update: impl FnMut(&[u8]), cells: impl Iterator<Item = SealedCell<'a>>) {
    for ((r, c), text) in cells {
        if text.is_empty() {
            continue;
        }
        update(&r.to_le_bytes());
        update(&c.to_le_bytes());
        update(&(text.len() as u64).to_le_bytes());
        update(text.as_bytes());
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 == 1 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

fn hmac(key: &MacKey) -> Hmac<Sha256> {
    // HMAC takes a key of any length: this cannot fail.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key.bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    m.update(MAC_DOMAIN);
    m
}

/// `hmac-sha256:<hex>` over the cells.
pub fn mac<'a>(key: &MacKey, cells: impl Iterator<Item = SealedCell<'a>>) -> String {
    let mut m = hmac(key);
    feed(|b| m.update(b), cells);
    format!("{MAC_PREFIX}{}", hex(&m.finalize().into_bytes()))
}

/// Whether `text` is the MAC of the cells under `key` (compared in constant time).
pub fn verify_mac<'a>(
    key: &MacKey,
    cells: impl Iterator<Item = SealedCell<'a>>,
    text: &str,
) -> bool {
    let Some(tag) = text.strip_prefix(MAC_PREFIX).and_then(unhex) else {
        return false;
    };
    let mut m = hmac(key);
    feed(|b| m.update(b), cells);
    m.verify_slice(&tag).is_ok()
}

/// `sha256:<hex>` over the cells: damage detection only (anyone can recompute it).
pub fn digest<'a>(cells: impl Iterator<Item = SealedCell<'a>>) -> String {
    let mut h = Sha256::new();
    feed(|b| h.update(b), cells);
    format!("{DIGEST_PREFIX}{}", hex(&h.finalize()))
}

/// Both seals computed row by row, so a hidden sheet can be written as its rows are made
/// (a 10,000-project sheet is tens of MB of JSON): the same MAC and digest as `mac` and
/// `digest` over the same cells.
pub(crate) struct Sealer {
    mac: Hmac<Sha256>,
    digest: Sha256,
}

impl Sealer {
    pub(crate) fn new(key: &MacKey) -> Sealer {
        Sealer {
            mac: hmac(key),
            digest: Sha256::new(),
        }
    }

    /// Seals row `r` (into both the MAC and the digest).
    pub(crate) fn row(&mut self, r: u32, row: &[String]) {
        let cells = || {
            row.iter()
                .enumerate()
                .map(move |(c, t)| ((r, c as u32), t.as_str()))
        };
        feed(|b| self.mac.update(b), cells());
        feed(|b| self.digest.update(b), cells());
    }

    /// The MAC of the rows so far.
    pub(crate) fn mac(&self) -> String {
        format!(
            "{MAC_PREFIX}{}",
            hex(&self.mac.clone().finalize().into_bytes())
        )
    }

    /// Seals row `r` into the digest only (the MAC row), then gives the digest.
    pub(crate) fn digest_after(mut self, r: u32, row: &[String]) -> String {
        let cells = row
            .iter()
            .enumerate()
            .map(|(c, t)| ((r, c as u32), t.as_str()));
        feed(|b| self.digest.update(b), cells);
        format!("{DIGEST_PREFIX}{}", hex(&self.digest.finalize()))
    }
}

/// The cells of rows (row index, column index) as sealed.
pub fn row_cells(rows: &[Vec<String>]) -> impl Iterator<Item = SealedCell<'_>> {
    rows.iter().enumerate().flat_map(|(r, row)| {
        row.iter()
            .enumerate()
            .map(move |(c, t)| ((r as u32, c as u32), t.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(texts: &[&'static str]) -> Vec<SealedCell<'static>> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| ((i as u32, 1), *t))
            .collect()
    }

    #[test]
    fn sealing_row_by_row_gives_the_seals_of_the_whole_sheet() {
        let k = MacKey::from_bytes([3; 32]);
        let rows: Vec<Vec<String>> = [vec!["format", "x", "2"], vec!["a", "", "b"], vec!["c"]]
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect();
        let mut sealer = Sealer::new(&k);
        for (r, row) in rows.iter().enumerate() {
            sealer.row(r as u32, row);
        }
        let m = sealer.mac();
        assert_eq!(m, mac(&k, row_cells(&rows)));
        let mac_row = vec!["mac".to_string(), m];
        let d = sealer.digest_after(rows.len() as u32, &mac_row);
        let mut all = rows.clone();
        all.push(mac_row);
        assert_eq!(d, digest(row_cells(&all)));
    }

    #[test]
    fn the_mac_needs_the_key_and_covers_every_cell() {
        let k = MacKey::from_bytes([7; 32]);
        let c = cells(&["a", "b", "", "c"]);
        let m = mac(&k, c.iter().copied());
        assert!(verify_mac(&k, c.iter().copied(), &m));
        assert!(!verify_mac(
            &MacKey::from_bytes([8; 32]),
            c.iter().copied(),
            &m
        ));
        let changed = cells(&["a", "b", "", "d"]);
        assert!(!verify_mac(&k, changed.iter().copied(), &m));
        // A plain hash of the same cells is not a MAC.
        let d = digest(c.iter().copied());
        assert!(!verify_mac(&k, c.iter().copied(), &d));
        assert!(!verify_mac(
            &k,
            c.iter().copied(),
            &d.replace(DIGEST_PREFIX, MAC_PREFIX)
        ));
        for bad in ["", "hmac-sha256:", "hmac-sha256:zz", "hmac-sha256:0"] {
            assert!(!verify_mac(&k, c.iter().copied(), bad), "{bad}");
        }
        // Moving a cell changes the MAC.
        let moved: Vec<SealedCell> = vec![((0, 1), "a"), ((1, 2), "b"), ((3, 1), "c")];
        assert!(!verify_mac(&k, moved.into_iter(), &m));
        assert_eq!(format!("{k:?}"), "MacKey(…)");
        assert_ne!(MacKey::generate().unwrap(), MacKey::generate().unwrap());
    }
}
