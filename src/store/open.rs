//! Opening a plan file. Everything that can refuse a file does so before anything may write
//! to it: not a regular file (a pipe would block forever), not SQLite, not a plan, a newer
//! schema, or a schema that is not exactly dxplan's (`verify`). Every connection runs in
//! SQLite's defensive mode with `trusted_schema` off.
//!
//! Read commands open the file read-only and never migrate it. When nothing else has the plan
//! open (no `-wal` or `-journal` beside it) it is opened `immutable`, so that SQLite creates
//! no `-wal`/`-shm` either; a `ReadGuard` then checks after each read that no other process
//! changed the file meanwhile (immutable takes no locks). A write left unfinished (a `-journal`
//! beside the plan) is rolled back first, as SQLite does only on a connection that may write.
//!
//! A plan on a network share (`location`) is never put in WAL mode: WAL keeps its index in
//! memory shared between the processes using the file, which machines on a network do not
//! share, and SQLite does not support it there. Such a plan is written in rollback-journal
//! mode (`journal_mode=DELETE`, the journal beside the plan) with `locking_mode=EXCLUSIVE`,
//! set before the first read: the lock is taken at the first read and held until the plan is
//! closed, so one machine at a time works on it and no shared memory is ever used.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use super::error::{Result, StoreError};
use super::location::Location;
use super::schema::{latest_version, migrations, APPLICATION_ID};
use crate::model::PlanInfo;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
const HEADER: usize = 100;

/// `PATH-wal`, `PATH-shm`, `PATH-journal`.
pub(crate) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

fn io_err(path: &Path, source: std::io::Error) -> StoreError {
    match source.kind() {
        std::io::ErrorKind::NotFound => StoreError::NotFound(path.to_path_buf()),
        _ => StoreError::Io {
            path: path.to_path_buf(),
            source,
        },
    }
}

/// Safety settings of every connection, before its first statement parses the schema.
fn harden(conn: &Connection) -> Result<()> {
    // Defensive: no writable_schema, no journal_mode=OFF, no writes to shadow tables, so a
    // statement cannot corrupt the file. Untrusted schema: functions with side effects are
    // not run from views, triggers or defaults of a file someone else wrote.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Every statement of a project's load and save is `prepare_cached`: rusqlite keeps 16 by
    // default, fewer than one save alone uses, so a merge or an import parsed each again for
    // every project (about 5 % of a merge's CPU, docs/perf-stream.md).
    conn.set_prepared_statement_cache_capacity(128);
    Ok(())
}

/// The locking of a connection that may write, before it reads anything: exclusive on a
/// network share, so that no WAL index in shared memory is ever used there.
fn lock_for(conn: &Connection, location: Location) -> Result<()> {
    if location == Location::Network {
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
    }
    Ok(())
}

/// The page cache of a connection, in KiB.
pub(crate) const CACHE_KIB: i64 = 65_536;

fn configure(conn: &Connection, location: Location) -> Result<()> {
    // busy_timeout (harden): a second process writing the same plan waits instead of failing.
    conn.pragma_update(None, "foreign_keys", true)?;
    let journal = match location {
        Location::Local => "WAL",
        // A plan moved to a share leaves WAL here (its WAL is checkpointed first).
        Location::Network => "DELETE",
    };
    conn.pragma_update(None, "journal_mode", journal)?;
    // FULL: a committed edit survives power loss too, not only a crash of the app.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Large merges are one transaction: keep its pages in memory instead of spilling them to
    // the WAL mid-transaction (freed with the connection). An import lowers it (`with_cache`).
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    Ok(())
}

pub fn create(path: &Path, info: &PlanInfo, location: Location) -> Result<Connection> {
    if path.exists() {
        return Err(StoreError::AlreadyExists(path.to_path_buf()));
    }
    super::validate::plan_info(info).map_err(StoreError::Invalid)?;
    let mut conn = Connection::open(path)?;
    harden(&conn)?;
    lock_for(&conn, location)?;
    // Before the first table: a project's rows (long texts, many small children) fit in fewer,
    // larger pages, and a large import writes about a tenth faster than with 4 KiB pages.
    conn.pragma_update(None, "page_size", 16_384)?;
    configure(&conn, location)?;
    migrations().to_latest(&mut conn)?;
    conn.execute(
        "INSERT INTO plan (id, title, city, version, first_fy, last_fy, vision, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        rusqlite::params![
            info.id,
            info.title,
            info.city,
            info.version,
            info.first_fy,
            info.last_fy,
            info.vision,
            chrono::Utc::now().to_rfc3339()
        ],
    )?;
    // Written last: a file cut off before this point is not taken for a plan.
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    Ok(conn)
}

/// A regular file (or a link to one), and so are its sidecars if they exist: opening a FIFO or
/// a device would block or read forever. Checked on metadata, before any open.
fn check_regular(path: &Path) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| io_err(path, e))?;
    if !meta.is_file() {
        return Err(StoreError::NotRegularFile(path.to_path_buf()));
    }
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = sidecar(path, suffix);
        if let Ok(m) = std::fs::metadata(&side) {
            if !m.is_file() {
                return Err(StoreError::NotRegularFile(side));
            }
        }
    }
    Ok(())
}

fn read_header(path: &Path) -> Result<[u8; HEADER]> {
    let mut f = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
    let mut head = [0u8; HEADER];
    if f.read_exact(&mut head).is_err() || &head[..16] != SQLITE_MAGIC {
        return Err(StoreError::NotAPlan(path.to_path_buf()));
    }
    Ok(head)
}

/// What a read relies on when the file was opened `immutable`: its size, time and header.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReadGuard {
    len: u64,
    modified: Option<SystemTime>,
    header: [u8; HEADER],
}

impl ReadGuard {
    fn take(path: &Path) -> Result<ReadGuard> {
        let meta = std::fs::metadata(path).map_err(|e| io_err(path, e))?;
        Ok(ReadGuard {
            len: meta.len(),
            modified: meta.modified().ok(),
            header: read_header(path)?,
        })
    }

    /// Refuses what was read if another process changed the file meanwhile.
    pub(crate) fn check(&self, path: &Path) -> Result<()> {
        match ReadGuard::take(path) {
            Ok(now) if &now == self => Ok(()),
            _ => Err(StoreError::ChangedWhileReading(path.to_path_buf())),
        }
    }
}

/// `file:` URI of a path for SQLite (UTF-8, percent-encoded; Windows drive and UNC forms).
fn file_uri(path: &Path, query: &str) -> String {
    let text = path.to_string_lossy();
    let mut p = if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    };
    if cfg!(windows) && p.as_bytes().get(1) == Some(&b':') {
        p.insert(0, '/'); // 「C:/x」 → 「/C:/x」
    }
    if p.starts_with("//") {
        // A UNC path (or a POSIX 「//x」) after an empty authority, not taken for a host.
        p.insert_str(0, "//");
    }
    let mut out = String::from("file:");
    for b in p.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out.push('?');
    out.push_str(query);
    out
}

/// A read-only connection, `immutable` with a guard when nothing else has the file open.
fn open_ro(path: &Path) -> Result<(Connection, Option<ReadGuard>)> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let not_a_plan = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) | None => StoreError::NotAPlan(path.to_path_buf()),
        _ => StoreError::Sqlite(e),
    };
    let idle = !sidecar(path, "-wal").exists() && !sidecar(path, "-journal").exists();
    if idle {
        let guard = ReadGuard::take(path)?;
        let conn = Connection::open_with_flags(file_uri(path, "immutable=1"), flags)
            .map_err(not_a_plan)?;
        harden(&conn)?;
        return Ok((conn, Some(guard)));
    }
    let conn = Connection::open_with_flags(file_uri(path, "mode=ro"), flags).map_err(not_a_plan)?;
    harden(&conn)?;
    Ok((conn, None))
}

/// A read-only connection beside the one that writes the plan (`Store::reader`).
pub(crate) fn reader(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(file_uri(path, "mode=ro"), flags)?;
    harden(&conn)?;
    Ok(conn)
}

/// How a plan file is opened: to read (never migrated or written) or to read and write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read only.
    Read,
    /// Read and write.
    Write,
}

pub(crate) struct Opened {
    pub conn: Connection,
    pub guard: Option<ReadGuard>,
}

/// A `-journal` beside the plan is left by a write that never finished: the app or the machine
/// stopped in the middle of a write to a plan on a share (written with a rollback journal), or
/// a plan was copied with its journal. SQLite puts the plan back as it was before that write at
/// the first read of a connection that may write, but refuses a read-only one ("attempt to
/// write a readonly database"), and every open looks at a plan read-only first (`inspect`): so
/// the journal is rolled back here. A journal a running writer holds is left alone (SQLite sees
/// its lock); a plan that cannot be written is then refused by the read-only open.
fn roll_back_unfinished(path: &Path) {
    if !sidecar(path, "-journal").exists() {
        return;
    }
    let Ok(conn) = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return;
    };
    if harden(&conn).is_ok() {
        // Reading the header takes the shared lock, and with it SQLite's rollback.
        let _ = conn.pragma_query_value(None, "schema_version", |r| r.get::<_, i64>(0));
    }
}

/// Checks that the file is a plan of a version this build reads, with dxplan's schema.
/// Returns the read-only connection it looked through and the file's schema version.
fn inspect(path: &Path) -> Result<(Connection, Option<ReadGuard>, i64)> {
    check_regular(path)?;
    roll_back_unfinished(path);
    read_header(path)?;
    let (conn, guard) = open_ro(path)?;
    let not_a_plan = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) | None => StoreError::NotAPlan(path.to_path_buf()),
        _ => StoreError::Sqlite(e),
    };
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(not_a_plan)?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    // A plan gets its application id after its schema: with version 0 it is no plan.
    if app_id != APPLICATION_ID || version <= 0 {
        return Err(StoreError::NotAPlan(path.to_path_buf()));
    }
    if version > latest_version() {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported: latest_version(),
        });
    }
    if let Some(detail) = super::verify::schema_difference(&conn, version)? {
        return Err(StoreError::ForeignSchema {
            path: path.to_path_buf(),
            detail,
        });
    }
    if let Some(g) = &guard {
        g.check(path)?;
    }
    Ok((conn, guard, version))
}

pub(crate) fn open(path: &Path, access: Access, location: Location) -> Result<Opened> {
    let (ro, guard, version) = inspect(path)?;
    if access == Access::Read {
        // SQLITE_OPEN_READ_ONLY already (not `query_only`, which would also forbid the
        // connection's own temp tables that a department export reads through).
        if version == latest_version() {
            return Ok(Opened { conn: ro, guard });
        }
        // An older plan is read through an up-to-date copy in memory; the file stays as it is.
        let conn = migrated_copy(&ro).map_err(|detail| StoreError::OldSchemaUnreadable {
            path: path.to_path_buf(),
            found: version,
            detail,
        })?;
        if let Some(g) = &guard {
            g.check(path)?;
        }
        return Ok(Opened { conn, guard: None });
    }
    drop(ro);
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ReadOnly) | Some(rusqlite::ErrorCode::CannotOpen) => io_err(
            path,
            std::io::Error::new(std::io::ErrorKind::PermissionDenied, e.to_string()),
        ),
        _ => StoreError::Sqlite(e),
    })?;
    harden(&conn)?;
    lock_for(&conn, location)?;
    // Again on the connection that writes: the file may have changed since it was inspected.
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if let Some(detail) = super::verify::schema_difference(&conn, version)? {
        return Err(StoreError::ForeignSchema {
            path: path.to_path_buf(),
            detail,
        });
    }
    configure(&conn, location)?;
    migrations().to_latest(&mut conn)?;
    Ok(Opened { conn, guard: None })
}

/// The plan copied into memory and migrated there.
fn migrated_copy(src: &Connection) -> std::result::Result<Connection, String> {
    let mut mem = Connection::open_in_memory().map_err(|e| e.to_string())?;
    {
        let backup = rusqlite::backup::Backup::new(src, &mut mem).map_err(|e| e.to_string())?;
        backup
            .run_to_completion(1 << 16, std::time::Duration::ZERO, None)
            .map_err(|e| e.to_string())?;
    }
    harden(&mem).map_err(|e| e.to_string())?;
    mem.pragma_update(None, "foreign_keys", true)
        .map_err(|e| e.to_string())?;
    migrations()
        .to_latest(&mut mem)
        .map_err(|e| e.to_string())?;
    Ok(mem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded() {
        let u = file_uri(Path::new("/tmp/計画 #1?.dxplan"), "mode=ro");
        assert!(u.starts_with("file:/tmp/%E8%A8%88"), "{u}");
        assert!(u.ends_with("%20%231%3F.dxplan?mode=ro"), "{u}");
    }
}
