//! The compact copy a recorded version keeps: the plan model as JSON, deflated, with the
//! SHA-256 of the JSON so a damaged copy is refused rather than misread.
//!
//! Why a copy and not a position in the change log walked backwards: the copy depends on
//! nothing written after it (a write path that logs less than everything, a later schema, a
//! change log trimmed by hand cannot make an old version wrong), and it costs a few seconds and
//! a few MB on a 10,000-project plan (docs/performance.md), far less on a real one. Fields added
//! to the model later must read as their default from older copies (`#[serde(default)]`).

use std::io::{Read, Write};

use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256};

use super::error::{Result, StoreError};
use crate::model::Plan;

/// The `encoding` column of a copy written by this build.
pub const ENCODING: &str = "plan-json+deflate/1";

/// A plan copied for keeping.
pub struct Snapshot {
    pub bytes: Vec<u8>,
    pub raw_size: usize,
    pub digest: String,
}

/// Writes the JSON through the digest into the compressor, never holding it whole.
struct Tee<'a, W: Write> {
    out: W,
    hash: &'a mut Sha256,
    n: usize,
}

impl<W: Write> Write for Tee<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hash.update(&buf[..n]);
        self.n += n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn encode(plan: &Plan) -> Result<Snapshot> {
    let invalid = |e: &dyn std::fmt::Display| {
        StoreError::Invalid(format!("版の写しを作れません / cannot copy the plan: {e}"))
    };
    let mut hash = Sha256::new();
    // The default level: on the generated 10,000-project plan, 30 MB of JSON become 3.0 MB in
    // 0.26 s (level 1: 5.1 MB in 0.07 s), a small part of the 1.8 s a version takes.
    let enc = DeflateEncoder::new(Vec::new(), Compression::default());
    let mut tee = Tee {
        out: std::io::BufWriter::with_capacity(1 << 16, enc),
        hash: &mut hash,
        n: 0,
    };
    serde_json::to_writer(&mut tee, plan).map_err(|e| invalid(&e))?;
    let raw_size = tee.n;
    let enc = tee.out.into_inner().map_err(|e| invalid(&e.error()))?;
    let bytes = enc.finish().map_err(|e| invalid(&e))?;
    Ok(Snapshot {
        bytes,
        raw_size,
        digest: hex(&hash.finalize()),
    })
}

pub fn decode(label: &str, encoding: &str, bytes: &[u8], digest: &str) -> Result<Plan> {
    let corrupt = |why: String| {
        StoreError::Corrupt(format!(
            "版「{label}」の写しを読めません / cannot read version {label}: {why}"
        ))
    };
    if encoding != ENCODING {
        return Err(corrupt(format!(
            "形式「{encoding}」はこの dxplan では読めません / unknown encoding {encoding}"
        )));
    }
    let mut json = Vec::new();
    DeflateDecoder::new(bytes)
        .read_to_end(&mut json)
        .map_err(|e| corrupt(e.to_string()))?;
    if hex(&Sha256::digest(&json)) != digest {
        return Err(corrupt(
            "内容が記録時と一致しません / digest mismatch (damaged)".into(),
        ));
    }
    serde_json::from_slice(&json).map_err(|e| corrupt(e.to_string()))
}
