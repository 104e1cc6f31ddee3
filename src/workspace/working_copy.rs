//! A department's working copy: the department workbook it received, opened as a plan file of
//! its own (one per export), edited, and written back as its submission.
//!
//! Its files are named from the SHA-256 of the export id (`<64 hex>.dxplan` and `.json`), never
//! from the id itself: the id comes from a workbook (or `settings.json`), and even a validated
//! one is not text a file name should be built from. Working copies made before this change,
//! named `<export id>.dxplan`, are renamed when they are next opened.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Mode, Result, Workspace, WorkspaceError};
use crate::export::{ExportMeta, ExportSummary};
use crate::merge::report::MergeReport;
use crate::merge::MergeOptions;
use crate::model::ids::{is_valid_id, shown};

/// What a department working copy remembers about the workbook it came from (stored beside
/// the working copy as `<sha-256 of the export id>.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkingCopy {
    /// The working copy's plan file.
    pub plan: PathBuf,
    /// The workbook it was made from.
    pub workbook: PathBuf,
    /// The department.
    pub unit_id: String,
    /// Its name, as the workbook says.
    pub unit_name: String,
    /// The workbook's export id.
    pub export_id: String,
}

impl WorkingCopy {
    /// The mode a workspace on this working copy is opened in.
    pub fn mode(&self) -> Mode {
        Mode::Department {
            unit_id: self.unit_id.clone(),
            unit_name: self.unit_name.clone(),
            workbook: self.workbook.clone(),
            export_id: self.export_id.clone(),
        }
    }

    /// The working copy of that export in `dir`, if one was opened there before (one named
    /// after the export id itself, as before, is renamed first). `None` for an id that is not
    /// in dxplan's form.
    pub fn read(dir: &Path, export_id: &str) -> Option<WorkingCopy> {
        if !is_valid_id(export_id) {
            return None;
        }
        let names = Names::of(dir, export_id);
        // A failed rename leaves the old files where they were: found again next time.
        names.migrate().ok()?;
        let mut wc: WorkingCopy = std::fs::read(&names.note)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())?;
        // The note names its plan file; the place is ours to say, not the note's.
        if wc.export_id != export_id {
            return None;
        }
        wc.plan = names.plan;
        Some(wc)
    }

    /// The file name (without extension) of the working copy of `export_id`: the SHA-256 of
    /// the id in hex, whatever the id holds.
    pub fn file_stem(export_id: &str) -> String {
        Sha256::digest(export_id.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Where the working copy of one export lives in `dir`, and where it lived before.
struct Names {
    plan: PathBuf,
    note: PathBuf,
    /// Named after the export id itself (before); `None` when the id is not in dxplan's form.
    old: Option<(PathBuf, PathBuf)>,
}

impl Names {
    fn of(dir: &Path, export_id: &str) -> Names {
        let stem = WorkingCopy::file_stem(export_id);
        Names {
            plan: dir.join(format!("{stem}.dxplan")),
            note: dir.join(format!("{stem}.json")),
            // Only an id of 36 hex digits and dashes is ever joined into a path.
            old: is_valid_id(export_id).then(|| {
                (
                    dir.join(format!("{export_id}.dxplan")),
                    dir.join(format!("{export_id}.json")),
                )
            }),
        }
    }

    /// Renames a working copy under the old name to the new one (its SQLite `-wal` and `-shm`
    /// before the plan file, so no committed edit is left behind), unless one under the new
    /// name is already there.
    fn migrate(&self) -> Result<()> {
        let Some((old_plan, old_note)) = &self.old else {
            return Ok(());
        };
        if old_plan.exists() && !self.plan.exists() {
            for suffix in ["-wal", "-shm"] {
                let from = side_file(old_plan, suffix);
                if from.exists() {
                    let to = side_file(&self.plan, suffix);
                    std::fs::rename(&from, &to).map_err(|e| WorkspaceError::io(&from, e))?;
                }
            }
            std::fs::rename(old_plan, &self.plan).map_err(|e| WorkspaceError::io(old_plan, e))?;
        }
        if old_note.exists() {
            if !self.note.exists() {
                let mut wc: WorkingCopy = std::fs::read(old_note)
                    .ok()
                    .and_then(|b| serde_json::from_slice(&b).ok())
                    .ok_or_else(|| {
                        WorkspaceError::io(
                            old_note,
                            std::io::Error::new(std::io::ErrorKind::InvalidData, "not a note"),
                        )
                    })?;
                wc.plan = self.plan.clone();
                write_note(&self.note, &wc)?;
            }
            std::fs::remove_file(old_note).map_err(|e| WorkspaceError::io(old_note, e))?;
        }
        Ok(())
    }
}

fn side_file(plan: &Path, suffix: &str) -> PathBuf {
    let mut s = plan.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn write_note(note: &Path, wc: &WorkingCopy) -> Result<()> {
    std::fs::write(note, serde_json::to_vec_pretty(wc)?).map_err(|e| WorkspaceError::io(note, e))
}

/// The hidden sheet of a department workbook as received; refused with `not_department` when
/// the workbook is not one dxplan wrote for a department.
pub fn received_workbook(workbook: &Path) -> Result<ExportMeta> {
    let wb = crate::workbook::open(workbook).map_err(crate::import::ImportError::from)?;
    let native = crate::import::native::read_native(workbook, &wb)?.ok_or_else(|| {
        WorkspaceError::NotDepartmentWorkbook("このファイルは dxplan が書き出した課別ブックではありません。従来の様式は「Excel取込」から取り込んでください。".into())
    })?;
    if native.meta.department.is_none() {
        return Err(master_workbook());
    }
    Ok(native.meta)
}

fn master_workbook() -> WorkspaceError {
    WorkspaceError::NotDepartmentWorkbook(
        "このブックは全体版です。課モードで開けるのは課別ブックだけです。".into(),
    )
}

/// Opens a department workbook as a local working copy in `dir` (one per export): created from
/// the workbook on first open (the plan items and projects it carries, by id), reopened after.
pub fn open_department_workbook(dir: &Path, workbook: &Path) -> Result<WorkingCopy> {
    let meta = received_workbook(workbook)?;
    let dept = meta.department.clone().ok_or_else(master_workbook)?;
    // The meta reader refuses an id not in dxplan's form; checked again here because a file
    // name follows from it.
    if !is_valid_id(&meta.export_id) {
        return Err(WorkspaceError::NotDepartmentWorkbook(format!(
            "書き出し ID「{}」が不正な課別ブックです。",
            shown(&meta.export_id)
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| WorkspaceError::io(dir, e))?;
    let names = Names::of(dir, &meta.export_id);
    names.migrate()?;
    let plan_path = names.plan.clone();
    let wc = WorkingCopy {
        plan: plan_path.clone(),
        workbook: workbook.to_path_buf(),
        unit_id: dept.unit_id,
        unit_name: dept.name,
        export_id: meta.export_id.clone(),
    };
    if !plan_path.exists() {
        crate::import::new_plan_from_workbook(&plan_path, &meta.plan, workbook)?;
    }
    write_note(&names.note, &wc)?;
    Ok(wc)
}

impl Workspace {
    /// The workbook this working copy was made from, read again (the office's hidden sheet).
    fn received(&self) -> Result<ExportMeta> {
        let Mode::Department { workbook, .. } = &self.mode else {
            return Err(WorkspaceError::ReadOnly(
                "課の回答の取り込みと提出用ファイルは課モード（課別ブックを開いた作業用コピー）で扱います。".into(),
            ));
        };
        received_workbook(workbook).map_err(|e| match e {
            WorkspaceError::NotDepartmentWorkbook(_) => WorkspaceError::NotDepartmentWorkbook(
                "受け取った課別ブックが見つからないか、dxplan の課別ブックではありません。".into(),
            ),
            e => e,
        })
    }

    /// 部 review: the 課 whose answers this working copy gathers (a 部's workbook of a round
    /// started with a review), by name; empty for a 課's own workbook and the office's plan.
    pub fn review_members(&self) -> Result<Vec<String>> {
        if !matches!(self.mode, Mode::Department { .. }) {
            return Ok(Vec::new());
        }
        Ok(self
            .received()?
            .members
            .into_iter()
            .map(|m| m.name)
            .collect())
    }

    /// 部 review: merges the answers of the 課 under this 部 into its working copy, under the
    /// merge's own rules (`round::review`); the 部 then reviews and writes one submission.
    /// `dry_run` shows what would change and writes nothing.
    pub fn gather_answers(&mut self, files: &[PathBuf], dry_run: bool) -> Result<MergeReport> {
        let received = self.received()?;
        if files.is_empty() {
            return Err(WorkspaceError::Invalid(
                "取り込む課の回答ファイルを選んでください。".into(),
            ));
        }
        let r = crate::round::review::merge_answers(
            self.store_mut()?,
            &received,
            files,
            MergeOptions { dry_run },
        )?;
        if !dry_run {
            self.reload()?;
        }
        Ok(r)
    }

    /// Writes the submission of a department working copy: the working copy's values on the
    /// visible sheets, the hidden sheet as received (the office's export id, base and MAC,
    /// verbatim), recorded in the working copy's own register; with the answer's cover
    /// (記入者, 連絡先, 連絡事項) when given.
    pub fn write_submission(
        &self,
        path: &Path,
        cover: Option<crate::export::CoverAnswer>,
    ) -> Result<ExportSummary> {
        // The base is what the department received: read it again from that workbook.
        let received = self.received()?;
        let opts = crate::export::ExportOptions {
            cover_answer: cover,
            ..Default::default()
        };
        Ok(crate::export::export_submission(
            self.store(),
            self.plan(),
            &received,
            path,
            &opts,
        )?)
    }
}

/// The cover of an answer as a person filled it in: each field trimmed, 記入者 required (the
/// office calls back on it), each within the length the workbook's own input rule allows
/// (`export::department::cover_max_chars`).
pub fn checked_cover(
    respondent: &str,
    contact: &str,
    remarks: &str,
) -> Result<crate::export::CoverAnswer> {
    let cover = crate::export::CoverAnswer {
        respondent: respondent.trim().to_string(),
        contact: contact.trim().to_string(),
        remarks: remarks.trim().to_string(),
    };
    for (key, label, v) in [
        ("respondent", "記入者", &cover.respondent),
        ("contact", "連絡先", &cover.contact),
        ("remarks", "連絡事項", &cover.remarks),
    ] {
        if let Some(max) = crate::export::department::cover_max_chars(key) {
            let n = v.chars().count();
            if n > max as usize {
                return Err(WorkspaceError::Invalid(format!(
                    "{label}は {max} 文字以内で入力してください（{n} 文字）。"
                )));
            }
        }
    }
    if cover.respondent.is_empty() {
        return Err(WorkspaceError::Invalid(
            "記入者（所属・氏名）を入力してください。事務局が問い合わせるときに使います。".into(),
        ));
    }
    Ok(cover)
}

#[cfg(test)]
mod cover_tests {
    use super::checked_cover;

    #[test]
    fn a_cover_is_trimmed_needs_its_respondent_and_keeps_to_the_workbooks_lengths() {
        let c = checked_cover(" 情報政策課 山田 ", " 内線 1234 ", "").unwrap();
        assert_eq!(
            (c.respondent.as_str(), c.contact.as_str()),
            ("情報政策課 山田", "内線 1234")
        );
        let e = checked_cover("   ", "", "").unwrap_err().to_string();
        assert!(e.contains("記入者"), "{e}");
        let long = "あ".repeat(101);
        let e = checked_cover(&long, "", "").unwrap_err().to_string();
        assert!(e.contains("100 文字以内") && e.contains("101 文字"), "{e}");
        assert!(checked_cover("山田", "", &"い".repeat(2000)).is_ok());
        assert!(checked_cover("山田", "", &"い".repeat(2001)).is_err());
    }
}
