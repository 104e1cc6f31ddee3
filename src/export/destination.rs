//! Where an export may be written. `dxplan export PLAN -o PLAN` used to replace the plan with
//! a workbook: the target of an export is never the plan, one of its SQLite sidecars
//! (`-wal`, `-shm`, `-journal`), or any existing SQLite database or WAL file.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::ExportError;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// First four bytes of a WAL file (big- or little-endian checksums).
const WAL_MAGIC: [[u8; 4]; 2] = [[0x37, 0x7f, 0x06, 0x82], [0x37, 0x7f, 0x06, 0x83]];
const SIDECARS: [&str; 3] = ["-wal", "-shm", "-journal"];

/// `why` is 「日本語 / English」: each half goes to its language's part of the message.
fn unsafe_target(file: &Path, why: &str) -> ExportError {
    let (ja, en) = why.split_once(" / ").unwrap_or((why, why));
    ExportError::UnsafeTarget {
        file: file.to_path_buf(),
        why: ja.to_string(),
        why_en: en.to_string(),
    }
}

/// Refuses an existing target that is a SQLite database or WAL file, whatever its name.
pub fn refuse_database(target: &Path) -> Result<(), ExportError> {
    refuse_special(target)?;
    let Ok(mut f) = std::fs::File::open(target) else {
        return Ok(()); // Nothing there (or unreadable: the write will say so).
    };
    let mut head = [0u8; 16];
    let n = f.read(&mut head).unwrap_or(0);
    if n == 16 && &head == SQLITE_MAGIC {
        return Err(unsafe_target(
            target,
            "SQLite のデータベース（計画ファイルなど）です / it is a SQLite database, such as a plan file",
        ));
    }
    if n >= 4 && WAL_MAGIC.iter().any(|m| head[..4] == m[..]) {
        return Err(unsafe_target(
            target,
            "SQLite の作業ファイル（-wal）です / it is a SQLite write-ahead log",
        ));
    }
    Ok(())
}

/// Refuses an existing target that is not a regular file, from its metadata alone: opening a
/// pipe to look at it would block.
fn refuse_special(target: &Path) -> Result<(), ExportError> {
    match std::fs::metadata(target) {
        Ok(m) if !m.is_file() => Err(unsafe_target(
            target,
            "通常のファイルではありません（フォルダー、パイプなど） / not a regular file",
        )),
        _ => Ok(()),
    }
}

/// The path with its folder resolved (symbolic links, `..`), for a file that may not exist yet.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(name))
}

/// File names compare without regard to case where the file system usually ignores it.
fn same_name(a: &Path, b: &Path) -> bool {
    if cfg!(any(windows, target_os = "macos")) {
        a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
    } else {
        a == b
    }
}

/// Refuses an export target that is the plan being exported (same path, same file through a
/// link) or one of its sidecars, or any existing SQLite file. Called before anything is built.
pub fn check_destination(target: &Path, plan: &Path) -> Result<(), ExportError> {
    let is_plan = "書き出し元の計画ファイルです / it is the plan being exported";
    refuse_special(target)?;
    if same_file::is_same_file(target, plan).unwrap_or(false) {
        return Err(unsafe_target(target, is_plan));
    }
    let (t, p) = (resolved(target), resolved(plan));
    if let (Some(t), Some(p)) = (&t, &p) {
        if same_name(t, p) {
            return Err(unsafe_target(target, is_plan));
        }
        for suffix in SIDECARS {
            let mut side = p.as_os_str().to_os_string();
            side.push(suffix);
            let side = PathBuf::from(side);
            let same =
                same_name(t, &side) || same_file::is_same_file(target, &side).unwrap_or(false);
            if same {
                return Err(unsafe_target(
                    target,
                    &format!(
                        "計画ファイルの作業ファイル（{suffix}）です / it is the plan's {suffix} file"
                    ),
                ));
            }
        }
    }
    refuse_database(target)
}
