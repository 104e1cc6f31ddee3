//! Files the person picked, kept on the Rust side: the web side never names a file.
//!
//! A native dialog (or, in debug builds, `DXPLAN_TEST_PICK`) answers with a path; the app keeps
//! it here behind a random handle (128 bits, hex) issued for one purpose, and the UI receives
//! only the handle and names to show. Every command that reads or writes a file takes a handle
//! and asks for it with the purpose it serves, in one line:
//!
//! ```ignore
//! let path = state.files.take(&file, Purpose::SaveWorkbook)?;
//! ```
//!
//! A handle unknown to this run of the app, one issued for another purpose (a read handle to
//! write, a save handle to read, a plan to import …) or a path string in its place is refused.
//! Handles live as long as the app runs; a save handle is spent by the write it was picked for.
//! Files the app lists itself (recent plans, backups, answers already merged) get read handles
//! the same way.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::dto::{FolderPurpose, PickPurpose};
use crate::error::AppError;

/// An opaque handle for a file (or folder) the Rust side holds: 32 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct FileHandle(String);

impl FileHandle {
    fn random() -> Result<FileHandle, AppError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)
            .map_err(|e| AppError::internal(format!("乱数を得られません: {e}")))?;
        Ok(FileHandle(
            bytes.iter().map(|b| format!("{b:02x}")).collect(),
        ))
    }

    fn well_formed(&self) -> bool {
        self.0.len() == 32
            && self
                .0
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }
}

/// What a handle may be used for. Reading purposes never write, writing ones never read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Workbooks to import.
    Import,
    /// A department's answer to merge.
    Submission,
    /// A folder of answers to merge.
    Answers,
    /// A department workbook to open as a working copy.
    DepartmentWorkbook,
    /// A plan file to open.
    Plan,
    /// A backup to restore.
    Backup,
    /// Where to write a workbook (export, answer, 督促一覧, 新旧対照表).
    SaveWorkbook,
    /// Where to write a plan file (new plan, 名前を付けて保存, a copy).
    SavePlan,
    /// Where to write a report (PDF): for the report screen's save command, whose dialog
    /// purpose maps here (`From<PickPurpose>`).
    SaveReport,
    /// The folder a round writes its workbooks into.
    RoundOutput,
}

impl Purpose {
    /// Whether the file is written (a save dialog's answer) rather than read.
    pub fn writes(self) -> bool {
        matches!(
            self,
            Purpose::SaveWorkbook | Purpose::SavePlan | Purpose::SaveReport | Purpose::RoundOutput
        )
    }

    /// A save handle is good for the one write it was picked for.
    fn single_use(self) -> bool {
        matches!(
            self,
            Purpose::SaveWorkbook | Purpose::SavePlan | Purpose::SaveReport
        )
    }

    fn label(self) -> &'static str {
        match self {
            Purpose::Import => "取り込むファイル",
            Purpose::Submission => "統合する提出ファイル",
            Purpose::Answers => "回答のフォルダー",
            Purpose::DepartmentWorkbook => "課別ブック",
            Purpose::Plan => "計画ファイル",
            Purpose::Backup => "バックアップ",
            Purpose::SaveWorkbook => "ブックの書き出し先",
            Purpose::SavePlan => "計画ファイルの保存先",
            Purpose::SaveReport => "報告書（PDF）の保存先",
            Purpose::RoundOutput => "照会のブックの書き出し先",
        }
    }
}

impl From<PickPurpose> for Purpose {
    fn from(p: PickPurpose) -> Purpose {
        match p {
            PickPurpose::Import => Purpose::Import,
            PickPurpose::Submission => Purpose::Submission,
            PickPurpose::DepartmentWorkbook => Purpose::DepartmentWorkbook,
            PickPurpose::Plan => Purpose::Plan,
            PickPurpose::SaveWorkbook => Purpose::SaveWorkbook,
            PickPurpose::SavePlan => Purpose::SavePlan,
            PickPurpose::SaveReport => Purpose::SaveReport,
        }
    }
}

impl From<FolderPurpose> for Purpose {
    fn from(p: FolderPurpose) -> Purpose {
        match p {
            FolderPurpose::RoundOutput => Purpose::RoundOutput,
            FolderPurpose::Answers => Purpose::Answers,
        }
    }
}

/// A picked file as the UI holds it: the handle, and names to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct PickedFile {
    pub handle: FileHandle,
    /// The file (or folder) name.
    pub name: String,
    /// The folder it is in, for display.
    pub folder: String,
}

struct Entry {
    path: PathBuf,
    purpose: Purpose,
}

/// The handles issued in this run of the app (`AppState::files`).
#[derive(Default)]
pub struct Files {
    issued: Mutex<HashMap<FileHandle, Entry>>,
}

fn refused(message: String) -> AppError {
    AppError::new(crate::error::ShellErrorCode::InvalidHandle, message)
}

impl Files {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<FileHandle, Entry>> {
        self.issued.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A handle for `path`, for `purpose`. A file read again (a recent plan listed at every
    /// start) keeps its handle, so the list stays as long as the files named.
    pub fn issue(&self, path: PathBuf, purpose: Purpose) -> Result<PickedFile, AppError> {
        let mut issued = self.lock();
        let known = (!purpose.writes())
            .then(|| {
                issued
                    .iter()
                    .find(|(_, e)| e.purpose == purpose && e.path == path)
                    .map(|(h, _)| h.clone())
            })
            .flatten();
        let handle = match known {
            Some(h) => h,
            None => {
                let h = FileHandle::random()?;
                issued.insert(
                    h.clone(),
                    Entry {
                        path: path.clone(),
                        purpose,
                    },
                );
                h
            }
        };
        Ok(picked(handle, &path))
    }

    /// The path behind `handle` if it was issued for `purpose`; a save handle is spent.
    pub fn take(&self, handle: &FileHandle, purpose: Purpose) -> Result<PathBuf, AppError> {
        let path = self.peek(handle, purpose)?;
        if purpose.single_use() {
            self.lock().remove(handle);
        }
        Ok(path)
    }

    /// The path behind `handle` if it was issued for `purpose`, left usable (a form that may
    /// be sent again after a refusal; `spend` once it succeeded).
    pub fn peek(&self, handle: &FileHandle, purpose: Purpose) -> Result<PathBuf, AppError> {
        if !handle.well_formed() {
            return Err(refused(format!(
                "{}はファイルを選ぶ画面から選んでください（パスの指定は受け付けません）。",
                purpose.label()
            )));
        }
        let issued = self.lock();
        let e = issued.get(handle).ok_or_else(|| {
            refused(format!(
                "{}が分かりません。もう一度選んでください。",
                purpose.label()
            ))
        })?;
        if e.purpose != purpose {
            return Err(refused(format!(
                "このファイルは{}として選ばれたものです。{}として使うには、もう一度選んでください。",
                e.purpose.label(),
                purpose.label()
            )));
        }
        Ok(e.path.clone())
    }

    /// Forgets a handle (a save handle whose write is done).
    pub fn spend(&self, handle: &FileHandle) {
        self.lock().remove(handle);
    }

    /// The paths behind several handles, each issued for one of `purposes`.
    pub fn take_all(
        &self,
        handles: &[FileHandle],
        purposes: &[Purpose],
    ) -> Result<Vec<PathBuf>, AppError> {
        handles
            .iter()
            .map(|h| {
                let found = self.lock().get(h).map(|e| e.purpose);
                // Not one of them: refused as the first (its message names what was wanted).
                let purpose = found
                    .filter(|p| purposes.contains(p))
                    .or_else(|| purposes.first().copied())
                    .unwrap_or(Purpose::Import);
                self.take(h, purpose)
            })
            .collect()
    }
}

/// The names shown for a path: its last component and the folder it is in.
pub fn picked(handle: FileHandle, path: &Path) -> PickedFile {
    PickedFile {
        handle,
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string()),
        folder: path
            .parent()
            .map(|d| d.display().to_string())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files_with(path: &str, purpose: Purpose) -> (Files, FileHandle) {
        let f = Files::default();
        let h = f.issue(PathBuf::from(path), purpose).unwrap().handle;
        (f, h)
    }

    #[test]
    fn a_handle_is_random_hex_and_shows_only_names() {
        let f = Files::default();
        let a = f
            .issue(PathBuf::from("/data/計画/市.dxplan"), Purpose::SavePlan)
            .unwrap();
        let b = f
            .issue(PathBuf::from("/data/計画/市.dxplan"), Purpose::SavePlan)
            .unwrap();
        assert!(a.handle.well_formed() && b.handle.well_formed());
        assert_ne!(a.handle, b.handle, "each save dialog gets its own handle");
        assert_eq!(a.name, "市.dxplan");
        assert_eq!(a.folder, "/data/計画");
        // A file listed again (recent plans) keeps its read handle.
        let r1 = f
            .issue(PathBuf::from("/p/a.dxplan"), Purpose::Plan)
            .unwrap();
        let r2 = f
            .issue(PathBuf::from("/p/a.dxplan"), Purpose::Plan)
            .unwrap();
        assert_eq!(r1.handle, r2.handle);
    }

    #[test]
    fn an_unknown_handle_is_refused() {
        let (f, _) = files_with("/p/a.xlsx", Purpose::Import);
        let other = FileHandle::random().unwrap();
        let e = f.take(&other, Purpose::Import).unwrap_err();
        assert_eq!(e.code, crate::error::ShellErrorCode::InvalidHandle);
        // Nor does another run's handle work: a fresh registry knows none.
        let (_, h) = files_with("/p/a.xlsx", Purpose::Import);
        assert_eq!(
            Files::default().take(&h, Purpose::Import).unwrap_err().code,
            crate::error::ShellErrorCode::InvalidHandle
        );
    }

    #[test]
    fn a_path_string_is_not_a_handle() {
        let (f, _) = files_with("/etc/passwd", Purpose::Import);
        for s in [
            "/etc/passwd",
            "../../x.dxplan",
            "C:\\Users\\x\\plan.dxplan",
            "",
            "0123456789abcdef0123456789abcdeg",
        ] {
            let e = f.take(&FileHandle(s.into()), Purpose::Import).unwrap_err();
            assert_eq!(e.code, crate::error::ShellErrorCode::InvalidHandle, "{s}");
        }
        // Over the IPC a path arrives as a JSON string: it is a handle only in name.
        let h: FileHandle = serde_json::from_str("\"/etc/passwd\"").unwrap();
        assert!(f.take(&h, Purpose::Import).is_err());
        // And an object with a path is not even a handle.
        assert!(serde_json::from_str::<FileHandle>(r#"{"path":"/etc/passwd"}"#).is_err());
    }

    #[test]
    fn a_handle_of_another_purpose_is_refused() {
        // A read handle cannot be written to …
        let (f, h) = files_with("/p/plan.dxplan", Purpose::Plan);
        for p in [
            Purpose::SavePlan,
            Purpose::SaveWorkbook,
            Purpose::RoundOutput,
        ] {
            assert_eq!(
                f.take(&h, p).unwrap_err().code,
                crate::error::ShellErrorCode::InvalidHandle,
                "{p:?}"
            );
        }
        // … nor used for another kind of reading.
        assert!(f.take(&h, Purpose::Import).is_err());
        assert!(f.take(&h, Purpose::Backup).is_err());
        assert_eq!(
            f.take(&h, Purpose::Plan).unwrap(),
            Path::new("/p/plan.dxplan")
        );
        // A save handle cannot be read from.
        let (f, h) = files_with("/p/out.xlsx", Purpose::SaveWorkbook);
        for p in [Purpose::Import, Purpose::Submission, Purpose::Plan] {
            assert!(f.take(&h, p).is_err(), "{p:?}");
        }
        assert!(f.take(&h, Purpose::SavePlan).is_err());
        // Refusals spend nothing: the right purpose still works, once.
        assert_eq!(
            f.take(&h, Purpose::SaveWorkbook).unwrap(),
            Path::new("/p/out.xlsx")
        );
        assert!(f.take(&h, Purpose::SaveWorkbook).is_err(), "spent");
    }

    #[test]
    fn read_handles_last_and_peeked_save_handles_until_spent() {
        let (f, h) = files_with("/p/a.xlsx", Purpose::Submission);
        for _ in 0..3 {
            assert!(f.take(&h, Purpose::Submission).is_ok());
        }
        let (f, h) = files_with("/p/new.dxplan", Purpose::SavePlan);
        assert!(f.peek(&h, Purpose::SavePlan).is_ok());
        assert!(f.peek(&h, Purpose::SavePlan).is_ok());
        f.spend(&h);
        assert!(f.peek(&h, Purpose::SavePlan).is_err());
    }

    #[test]
    fn several_handles_each_of_an_allowed_purpose() {
        let f = Files::default();
        let a = f
            .issue(PathBuf::from("/p/a.xlsx"), Purpose::Submission)
            .unwrap();
        let d = f
            .issue(PathBuf::from("/p/answers"), Purpose::Answers)
            .unwrap();
        let i = f
            .issue(PathBuf::from("/p/i.xlsx"), Purpose::Import)
            .unwrap();
        let both = [Purpose::Submission, Purpose::Answers];
        assert_eq!(
            f.take_all(&[a.handle.clone(), d.handle.clone()], &both)
                .unwrap(),
            vec![PathBuf::from("/p/a.xlsx"), PathBuf::from("/p/answers")]
        );
        assert!(f.take_all(&[a.handle, i.handle], &both).is_err());
    }
}
