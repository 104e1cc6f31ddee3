//! The plan's own secret key, generated when the plan file is made and never written anywhere
//! else: the key the hidden sheet of every export is sealed with (`export::seal`).

/// A plan's secret key. Not `Serialize`, and its `Debug` shows nothing of it.
#[derive(Clone, PartialEq, Eq)]
pub struct MacKey([u8; 32]);

impl std::fmt::Debug for MacKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MacKey(…)")
    }
}

impl MacKey {
    /// Key length in bytes.
    pub const LEN: usize = 32;

    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        MacKey(bytes)
    }

    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut b = [0u8; 32];
        getrandom::fill(&mut b)?;
        Ok(MacKey(b))
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}
