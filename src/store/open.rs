use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::error::{Result, StoreError};
use super::schema::{latest_version, migrations, APPLICATION_ID};
use crate::model::PlanInfo;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn configure(conn: &Connection) -> Result<()> {
    // busy_timeout: a second process writing the same plan waits instead of failing at once.
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a committed edit survives power loss too, not only a crash of the app.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Large imports and merges are one transaction: keep its pages in memory instead of
    // spilling them to the WAL mid-transaction (64 MiB, freed with the connection).
    conn.pragma_update(None, "cache_size", -65_536)?;
    Ok(())
}

pub fn create(path: &Path, info: &PlanInfo) -> Result<Connection> {
    if path.exists() {
        return Err(StoreError::AlreadyExists(path.to_path_buf()));
    }
    if info.first_fy > info.last_fy {
        return Err(StoreError::Invalid(format!(
            "計画期間の開始年度が終了年度より後です / first fiscal year {} is after last {}",
            info.first_fy, info.last_fy
        )));
    }
    let mut conn = Connection::open(path)?;
    // Before the first table: a project's rows (long texts, many small children) fit in fewer,
    // larger pages, and a large import writes about a tenth faster than with 4 KiB pages.
    conn.pragma_update(None, "page_size", 16_384)?;
    configure(&conn)?;
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

/// Looks at the file read-only before anything may write to it.
fn inspect(path: &Path) -> Result<()> {
    let mut f = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => StoreError::NotFound(path.to_path_buf()),
        _ => StoreError::Io {
            path: path.to_path_buf(),
            source: e,
        },
    })?;
    let mut head = [0u8; 16];
    if f.read_exact(&mut head).is_err() || &head != SQLITE_MAGIC {
        return Err(StoreError::NotAPlan(path.to_path_buf()));
    }
    // Only a file SQLite does not take for a database is "not a plan": a plan that is locked,
    // or whose folder or drive cannot be written (SQLite needs -wal/-shm beside it), is a plan.
    let not_a_plan = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) | None => StoreError::NotAPlan(path.to_path_buf()),
        _ => StoreError::Sqlite(e),
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(not_a_plan)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(not_a_plan)?;
    if app_id != APPLICATION_ID {
        return Err(StoreError::NotAPlan(path.to_path_buf()));
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > latest_version() {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported: latest_version(),
        });
    }
    Ok(())
}

pub fn open(path: &Path) -> Result<Connection> {
    inspect(path)?;
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ReadOnly) | Some(rusqlite::ErrorCode::CannotOpen) => {
            io_err(path)(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                e.to_string(),
            ))
        }
        _ => StoreError::Sqlite(e),
    })?;
    configure(&conn)?;
    migrations().to_latest(&mut conn)?;
    Ok(conn)
}
