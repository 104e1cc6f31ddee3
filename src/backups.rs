//! Copies of a plan file: 「名前を付けて保存」 and 「別の場所にコピー」, and the backup copies taken
//! before every import and merge (the newest N kept per plan, each restorable).
//!
//! Every copy goes through SQLite's online backup (never a byte copy of a file another
//! connection may be writing, and the WAL is included), into a temporary file beside the
//! destination that is renamed over it once complete: a crash leaves the destination as it was.
//! A restore writes the backup into the plan through SQLite as well, after backing up the
//! plan as it stands, so a restore can itself be taken back.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};

use crate::store::{Store, StoreError};

/// Why a copy, a backup or a restore failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The destination is the open plan file (or one of its sidecars).
    #[error("「{0}」は開いている計画ファイルそのものです。別の名前を指定してください / {0} is the open plan file itself")]
    SameFile(PathBuf),
    /// The copy could not be written.
    #[error("「{path}」に書き込めません: {detail} / cannot write {path}: {detail}")]
    Write {
        /// Where it was being written.
        path: PathBuf,
        /// What the system said.
        detail: String,
    },
    /// No backup at that path.
    #[error("バックアップ「{0}」が見つかりません / backup {0} not found")]
    NotFound(PathBuf),
    /// The backup is a copy of another plan (another plan id).
    #[error("バックアップ「{backup}」は別の計画（{other}）のものです。この計画には戻せません / backup {backup} is of another plan ({other})")]
    OtherPlan {
        /// The backup file.
        backup: PathBuf,
        /// The title of the plan it is a copy of.
        other: String,
    },
    /// The plan file could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
}

type Result<T> = std::result::Result<T, BackupError>;

fn write_err(path: &Path) -> impl Fn(rusqlite::Error) -> BackupError + '_ {
    move |e| BackupError::Write {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |e| BackupError::Write {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Whether two paths name the same file (through links too); false when either is missing.
fn same(a: &Path, b: &Path) -> bool {
    same_file::is_same_file(a, b).unwrap_or(false)
}

/// Copies the open plan to `dest` as one self-contained file (rollback journal, no `-wal`):
/// built beside it, then renamed over it. Refuses the plan file itself and its sidecars.
pub fn copy_plan(store: &Store, dest: &Path) -> Result<()> {
    let src = store.path();
    if same(src, dest) || same(&sidecar(src, "-wal"), dest) || same(&sidecar(src, "-shm"), dest) {
        return Err(BackupError::SameFile(dest.to_path_buf()));
    }
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io_err(dest))?;
    }
    let tmp = sidecar(dest, ".dxplan-copy");
    for p in [
        tmp.clone(),
        sidecar(&tmp, "-journal"),
        sidecar(&tmp, "-wal"),
        sidecar(&tmp, "-shm"),
    ] {
        let _ = std::fs::remove_file(p);
    }
    let result = (|| {
        let mut out = Connection::open(&tmp).map_err(write_err(&tmp))?;
        {
            let b = rusqlite::backup::Backup::new(store.connection(), &mut out)
                .map_err(write_err(&tmp))?;
            b.run_to_completion(256, std::time::Duration::ZERO, None)
                .map_err(write_err(&tmp))?;
        }
        // One file to carry around: the copy is not left in WAL mode.
        out.pragma_update(None, "journal_mode", "DELETE")
            .map_err(write_err(&tmp))?;
        out.close().map_err(|(_, e)| write_err(&tmp)(e))?;
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(io_err(&tmp))?;
        // A stale WAL beside the destination would be replayed into the new file.
        for s in ["-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(sidecar(dest, s));
        }
        std::fs::rename(&tmp, dest).map_err(io_err(dest))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A backup copy, described by the file beside it (`<name>.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupInfo {
    /// The backup file.
    pub path: PathBuf,
    /// RFC 3339, local time.
    pub taken_at: String,
    /// What it was taken before: 「取り込み」「統合」「復元」 …
    pub reason: String,
    /// The id of the plan it is a copy of.
    pub plan_id: String,
    /// That plan's title when the copy was taken.
    pub plan_title: String,
    /// The plan file it is a copy of.
    pub source: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
}

/// The folder of one plan's backups inside `root`.
pub fn plan_dir(root: &Path, plan_id: &str) -> PathBuf {
    // Plan ids are UUIDs; anything else is kept to safe characters.
    let safe: String = plan_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    root.join(safe)
}

/// Copies the plan into its backup folder under `root` before `reason`, then keeps only the
/// newest `keep` backups of that plan.
pub fn take(store: &Store, root: &Path, reason: &str, keep: usize) -> Result<BackupInfo> {
    let info = store.plan_info()?;
    let dir = plan_dir(root, &info.id);
    let now = chrono::Local::now();
    let mut name = now.format("%Y%m%d-%H%M%S-%3f").to_string();
    // Two backups in one millisecond (a test, a script) keep distinct names.
    let mut n = 1;
    while dir.join(format!("{name}.dxplan")).exists() {
        n += 1;
        name = format!("{}-{n}", now.format("%Y%m%d-%H%M%S-%3f"));
    }
    let path = dir.join(format!("{name}.dxplan"));
    copy_plan(store, &path)?;
    let backup = BackupInfo {
        bytes: std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
        path: path.clone(),
        taken_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        reason: reason.to_string(),
        plan_id: info.id.clone(),
        plan_title: info.title,
        source: store.path().to_path_buf(),
    };
    let meta = path.with_extension("json");
    let json = serde_json::to_vec_pretty(&backup).map_err(|e| BackupError::Write {
        path: meta.clone(),
        detail: e.to_string(),
    })?;
    std::fs::write(&meta, json).map_err(io_err(&meta))?;
    prune(&dir, keep);
    Ok(backup)
}

/// The backups of a plan, newest first.
pub fn list(root: &Path, plan_id: &str) -> Vec<BackupInfo> {
    let dir = plan_dir(root, plan_id);
    let mut out: Vec<BackupInfo> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| {
            let b: BackupInfo = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
            // The description travels with its file: the folder may have been copied elsewhere.
            let file = p.with_extension("dxplan");
            file.exists().then_some(BackupInfo { path: file, ..b })
        })
        .collect();
    out.sort_by(|a, b| b.path.cmp(&a.path));
    out
}

fn prune(dir: &Path, keep: usize) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "dxplan"))
        .collect();
    files.sort();
    let excess = files.len().saturating_sub(keep.max(1));
    for f in &files[..excess] {
        let _ = std::fs::remove_file(f);
        let _ = std::fs::remove_file(f.with_extension("json"));
    }
}

/// Puts a backup back as the plan at `plan` (whose store the caller has closed): the plan as
/// it stands is first backed up under `root` (reason 「復元の前」), then the backup is written
/// into it through SQLite. Refuses a backup of another plan. Returns the backup of the plan
/// as it stood.
pub fn restore(backup: &Path, plan: &Path, root: &Path, keep: usize) -> Result<BackupInfo> {
    if !backup.is_file() {
        return Err(BackupError::NotFound(backup.to_path_buf()));
    }
    let theirs = Store::open_read_only(backup)?.plan_info()?;
    let before = {
        let store = Store::open(plan)?;
        let ours = store.plan_info()?;
        if ours.id != theirs.id {
            return Err(BackupError::OtherPlan {
                backup: backup.to_path_buf(),
                other: theirs.title,
            });
        }
        take(&store, root, "復元の前", keep + 1)?
    };
    let src = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(write_err(plan))?;
    let mut dst = Connection::open(plan).map_err(write_err(plan))?;
    {
        let b = rusqlite::backup::Backup::new(&src, &mut dst).map_err(write_err(plan))?;
        b.run_to_completion(256, std::time::Duration::ZERO, None)
            .map_err(write_err(plan))?;
    }
    dst.close().map_err(|(_, e)| write_err(plan)(e))?;
    Ok(before)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{new_id, PlanInfo};
    use crate::store::{OpInfo, OpKind};

    fn plan(dir: &Path) -> Store {
        let info = PlanInfo {
            id: new_id(),
            title: "テスト計画".into(),
            city: "テスト市".into(),
            version: "第1.0版".into(),
            first_fy: 2024,
            last_fy: 2027,
            vision: String::new(),
        };
        Store::create(&dir.join("plan.dxplan"), &info).unwrap()
    }

    fn retitle(store: &mut Store, title: &str) {
        let mut info = store.plan_info().unwrap();
        info.title = title.into();
        store
            .write(OpInfo::new(OpKind::LocalEdit), |w| w.set_plan_info(&info))
            .unwrap();
    }

    #[test]
    fn a_copy_is_one_file_with_the_plan_and_the_plan_itself_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = plan(dir.path());
        retitle(&mut store, "書き換えた題名");
        let dest = dir.path().join("sub").join("copy.dxplan");
        copy_plan(&store, &dest).unwrap();
        assert!(!sidecar(&dest, "-wal").exists());
        let copy = Store::open_read_only(&dest).unwrap();
        assert_eq!(copy.plan_info().unwrap().title, "書き換えた題名");
        assert!(matches!(
            copy_plan(&store, store.path()),
            Err(BackupError::SameFile(_))
        ));
    }

    #[test]
    fn backups_are_kept_n_and_a_restore_is_itself_backed_up() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("backups");
        let mut store = plan(dir.path());
        let id = store.plan_info().unwrap().id;
        let first = take(&store, &root, "取り込み", 3).unwrap();
        for i in 0..4 {
            retitle(&mut store, &format!("版{i}"));
            take(&store, &root, "統合", 3).unwrap();
        }
        let kept = list(&root, &id);
        assert_eq!(kept.len(), 3);
        assert!(kept.iter().all(|b| b.path != first.path), "oldest pruned");
        assert_eq!(kept[0].reason, "統合");
        // the newest backup holds 版3; restore the oldest kept (版1)
        let path = store.path().to_path_buf();
        drop(store);
        let before = restore(&kept[2].path, &path, &root, 3).unwrap();
        assert_eq!(before.reason, "復元の前");
        let store = Store::open(&path).unwrap();
        assert_eq!(store.plan_info().unwrap().title, "版1");
        assert!(list(&root, &id).iter().any(|b| b.reason == "復元の前"));
    }

    #[test]
    fn a_backup_of_another_plan_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = plan(dir.path());
        let other_dir = tempfile::tempdir().unwrap();
        let b = plan(other_dir.path());
        let root = dir.path().join("backups");
        let bk = take(&b, &root, "取り込み", 5).unwrap();
        let path = a.path().to_path_buf();
        drop(a);
        assert!(matches!(
            restore(&bk.path, &path, &root, 5),
            Err(BackupError::OtherPlan { .. })
        ));
    }
}
