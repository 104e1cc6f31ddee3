//! .xls workbooks and encrypted .xlsx files are CFB containers (OLE compound files). calamine
//! follows a container's sector chains without checking them: a 5.6 KB file whose directory
//! chain loops made it allocate until the process died. So every CFB file is opened with the
//! `cfb` crate first, which refuses loops, sectors pointed to twice and chains past the end of
//! the file; encryption is told from the directory; and calamine is handed a fresh container
//! holding only the workbook stream, written here, never the file itself.

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Write};
use std::path::Path;

use super::error::ReadError;

/// What a CFB file holds, read through the `cfb` crate.
pub enum Contents {
    /// An encrypted OOXML package (`EncryptionInfo`, `EncryptedPackage`).
    Encrypted,
    /// A BIFF workbook: the stream's name (`Workbook`, or `Book` before Excel 97) and bytes.
    Workbook { name: &'static str, stream: Vec<u8> },
}

fn corrupt(path: &Path, e: impl std::fmt::Display) -> ReadError {
    ReadError::Corrupt {
        file: path.to_path_buf(),
        detail: format!("CFB: {e}"),
    }
}

pub fn read(path: &Path) -> Result<Contents, ReadError> {
    let f = File::open(path).map_err(|e| ReadError::io(path, e))?;
    let len = f.metadata().map_err(|e| ReadError::io(path, e))?.len();
    let mut cfb = cfb::CompoundFile::open(BufReader::new(f)).map_err(|e| corrupt(path, e))?;
    if cfb.exists("/EncryptedPackage") || cfb.exists("/EncryptionInfo") {
        return Ok(Contents::Encrypted);
    }
    for name in ["Workbook", "Book"] {
        let at = format!("/{name}");
        if !cfb.is_stream(&at) {
            continue;
        }
        let stream = cfb.open_stream(&at).map_err(|e| corrupt(path, e))?;
        // A stream never holds more than the file (the crate has checked its chain).
        let mut bytes = Vec::with_capacity(stream.len().min(len) as usize);
        stream
            .take(len)
            .read_to_end(&mut bytes)
            .map_err(|e| corrupt(path, e))?;
        return Ok(Contents::Workbook {
            name,
            stream: bytes,
        });
    }
    Err(corrupt(
        path,
        "Workbook ストリームがありません / no Workbook stream",
    ))
}

/// A well-formed container holding only the stream `name`, for calamine.
pub fn container(path: &Path, name: &str, stream: &[u8]) -> Result<Cursor<Vec<u8>>, ReadError> {
    let write = || -> std::io::Result<Vec<u8>> {
        let mut cfb = cfb::CompoundFile::create_with_version(
            cfb::Version::V3,
            Cursor::new(Vec::with_capacity(stream.len() + 8192)),
        )?;
        let mut s = cfb.create_stream(format!("/{name}"))?;
        s.write_all(stream)?;
        s.flush()?;
        drop(s);
        cfb.flush()?;
        Ok(cfb.into_inner().into_inner())
    };
    write().map(Cursor::new).map_err(|e| corrupt(path, e))
}
