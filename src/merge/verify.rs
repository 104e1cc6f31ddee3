//! Whether a returned workbook is a submission this plan accepts. It must answer an export this
//! plan issued (its export id is in the register), to the department it was issued to, with the
//! projects it carried, its hidden sheet sealed by this plan's key; and every indicator and task
//! must be where it claims to be. Anything else is refused whole, naming the cell. (Which
//! projects it may change is `scope`; in which order answers count is `order`.)

use std::collections::BTreeSet;
use std::path::Path;

use super::MergeError;
use crate::export::ExportKind;
use crate::format::meta::ExportMeta;
use crate::format::seal::MacKey;
use crate::import::native::{ItemProblem, NativeWorkbook};
use crate::model::ids::shown;
use crate::store::{ExportRecord, RegisterKind, Writer};

/// A submission accepted: the export it answers, as the authority (the office's register, or
/// the 部 workbook a working copy received) knows it.
#[derive(Debug, Clone)]
pub(crate) struct Accepted {
    pub department_id: String,
    pub department: String,
    /// The register's sequence of the export (None: an export the register recovered has one;
    /// this is None only when nothing says).
    pub export_seq: Option<i64>,
    pub exported_at: String,
    /// The round the export was sent in (office only).
    pub round_id: Option<i64>,
}

impl Accepted {
    fn from_register(e: ExportRecord, sub: &NativeWorkbook) -> Accepted {
        let department = if e.department.is_empty() {
            sub.meta
                .department
                .as_ref()
                .map(|d| d.name.clone())
                .unwrap_or_default()
        } else {
            e.department
        };
        Accepted {
            department_id: e.department_id.unwrap_or_default(),
            department,
            export_seq: Some(e.seq),
            exported_at: e.exported_at,
            round_id: None,
        }
    }
}

/// In a 部's working copy: a 課's answer is accepted when its export is one the 部's workbook
/// lists (same export id, department and MAC, same round). The working copy has no key to check
/// the MAC itself; the office checks the 部's answer against its own register, and whatever a
/// 課 answer brings in is the 部's answer there, within the 部's scope.
pub(crate) fn verify_member(
    w: &Writer<'_>,
    received: &ExportMeta,
    file: &Path,
    sub: &NativeWorkbook,
) -> Result<Accepted, MergeError> {
    let meta = &sub.meta;
    let sealed = meta
        .sealed
        .as_ref()
        .ok_or_else(|| MergeError::NotASubmission(file.to_path_buf()))?;
    let at = &sealed.at;
    let not_member = || {
        refused(
            file,
            &at.export_id,
            Refusal::NotAMember {
                export_id: shown(&meta.export_id),
            },
        )
    };
    let member = received
        .members
        .iter()
        .find(|m| m.export_id == meta.export_id)
        .ok_or_else(not_member)?;
    if meta.kind != ExportKind::Department {
        return Err(refused(file, &at.kind, Refusal::NotDepartmentExport));
    }
    if meta.plan.id != received.plan.id {
        return Err(refused(
            file,
            &at.plan,
            Refusal::UnknownExport {
                export_id: shown(&meta.export_id),
            },
        ));
    }
    if sealed.mac_text() != Some(member.mac.as_str()) {
        return Err(refused(file, &at.seal, Refusal::BadSeal));
    }
    if meta.department.as_ref().map(|d| d.unit_id.as_str()) != Some(member.unit_id.as_str()) {
        return Err(refused(file, &at.department, Refusal::DepartmentMismatch));
    }
    if meta.round.as_ref().map(|r| r.id) != received.round.as_ref().map(|r| r.id) {
        return Err(not_member());
    }
    if let Some(p) = sub.check_item_homes(|items| w.item_homes(items))? {
        return Err(refused(file, p.at().to_string(), Refusal::Item(p)));
    }
    Ok(Accepted {
        department_id: member.unit_id.clone(),
        department: member.name.clone(),
        export_seq: Some(member.seq),
        exported_at: meta.exported_at.clone(),
        round_id: None,
    })
}

/// Why a submission is refused. Each has a Japanese and an English sentence (see the README,
/// 「受け付ける提出ファイルの条件」).
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The export id is not one this plan issued.
    /// The export id is not in the register.
    UnknownExport {
        /// The export id of the workbook.
        export_id: String,
    },
    /// The register has the id, but not as a department workbook.
    NotDepartmentExport,
    /// The MAC does not verify: the hidden sheet is not what this plan wrote.
    BadSeal,
    /// A sheet in the old format (digest only) for an export this plan sealed with a MAC.
    LegacyForSealed,
    /// The department in the hidden sheet is not the one the export was issued to.
    DepartmentMismatch,
    /// The projects (or their base revisions) are not the ones the export carried.
    /// The sheets are not the projects exported.
    ProjectSetMismatch {
        /// The project's title.
        project: String,
    },
    /// A change to a project the department does not own or co-own in the plan now.
    /// A project outside the department.
    OutOfScope {
        /// The project's title.
        project: String,
    },
    /// An indicator or task key used twice or belonging to another project.
    Item(ItemProblem),
    /// An owner the plan does not have.
    /// A unit not in the plan.
    UnknownUnit {
        /// Stable id.
        id: String,
    },
    /// The data contradicts the plan in a way no earlier check caught.
    Constraint,
    /// In a 部's working copy: not one of the 課 workbooks of the round that the 部's workbook
    /// gathers (or its seal is not the one the office listed).
    /// Not a member of the reviewing 部.
    NotAMember {
        /// The export id of the workbook.
        export_id: String,
    },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::UnknownExport { export_id } => write!(f, "この計画が書き出した記録のない書き出し ID です（{export_id}）。別の計画ファイルから書き出されたか、書き換えられています / export id {export_id} is not in this plan's export register: exported from another plan file, or altered"),
            Refusal::NotDepartmentExport => write!(f, "課別ブックとして書き出したものではありません / the register does not have this export as a department workbook"),
            Refusal::BadSeal => write!(f, "管理シートの封印（MAC）が一致しません。書き出した後に管理シートが書き換えられています / the hidden sheet's MAC does not verify: it was changed after export"),
            Refusal::LegacyForSealed => write!(f, "封印（MAC）付きで書き出したブックが、封印のない旧形式に書き換えられています / this export was sealed with a MAC but the file carries an old-format sheet without one"),
            Refusal::DepartmentMismatch => write!(f, "書き出した先の課と、管理シートの課が違います / the department is not the one this export was issued to"),
            Refusal::ProjectSetMismatch { project } => write!(f, "書き出した事業の組合せ・版と違います（{project}） / the projects or base revisions are not those exported ({project})"),
            Refusal::OutOfScope { project } => write!(f, "事業「{project}」は現在この課（またはその下の組織）の担当ではないため、変更を受け付けません / project {project} is not owned or co-owned by this department (or a unit below it) in the plan now: its changes are refused"),
            Refusal::Item(p) => write!(f, "{p}"),
            Refusal::UnknownUnit { id } => write!(f, "担当課に計画にない組織があります（{id}） / an owner the plan does not have ({id})"),
            Refusal::Constraint => write!(f, "内容が計画と矛盾します（同じ ID が別の場所にある等） / the contents contradict the plan (an id used elsewhere?)"),
            Refusal::NotAMember { export_id } => write!(f, "この部の取りまとめの対象ではありません（部のブックに記載された、同じ照会で部の下の課に送ったブックではないか、封印が一致しません）（{export_id}） / not one of the 課 workbooks of this round that the 部's workbook gathers, or its seal differs ({export_id})"),
        }
    }
}

pub(crate) fn refused(file: &Path, at: impl Into<String>, reason: Refusal) -> MergeError {
    MergeError::Refused {
        file: file.to_path_buf(),
        at: at.into(),
        reason: Box::new(reason),
    }
}

/// The export this submission answers, as the office's register has it, once everything it
/// says about itself checks out.
pub(crate) fn verify(
    w: &Writer<'_>,
    key: &MacKey,
    file: &Path,
    sub: &NativeWorkbook,
) -> Result<Accepted, MergeError> {
    let entry = verify_register(w, key, file, sub)?;
    let mut a = Accepted::from_register(entry, sub);
    a.round_id = w.round_of_export(&sub.meta.export_id)?.map(|l| l.round_id);
    Ok(a)
}

fn verify_register(
    w: &Writer<'_>,
    key: &MacKey,
    file: &Path,
    sub: &NativeWorkbook,
) -> Result<ExportRecord, MergeError> {
    let meta = &sub.meta;
    let sealed = meta
        .sealed
        .as_ref()
        .ok_or_else(|| MergeError::NotASubmission(file.to_path_buf()))?;
    let at = &sealed.at;
    let entry = w.issued_export(&meta.export_id)?.ok_or_else(|| {
        refused(
            file,
            &at.export_id,
            Refusal::UnknownExport {
                export_id: shown(&meta.export_id),
            },
        )
    })?;
    if entry.kind != RegisterKind::Department || meta.kind != ExportKind::Department {
        return Err(refused(file, &at.kind, Refusal::NotDepartmentExport));
    }
    if entry.plan_id != meta.plan.id {
        return Err(refused(
            file,
            &at.plan,
            Refusal::UnknownExport {
                export_id: shown(&meta.export_id),
            },
        ));
    }
    match (&entry.mac, sealed.mac_text()) {
        (Some(registered), Some(mac)) => {
            if !sealed.verify(key) || registered != mac {
                return Err(refused(file, &at.seal, Refusal::BadSeal));
            }
        }
        (Some(_), None) => return Err(refused(file, &at.seal, Refusal::LegacyForSealed)),
        // Exported before MACs: the register knows the id from the submissions log; the digest
        // was checked when the sheet was read.
        (None, None) => {}
        // Every export sealed with a MAC is registered with it.
        (None, Some(_)) => return Err(refused(file, &at.seal, Refusal::BadSeal)),
    }
    let dept = meta.department.as_ref().map(|d| d.unit_id.as_str());
    if dept.is_none() || dept != entry.department_id.as_deref() {
        return Err(refused(file, &at.department, Refusal::DepartmentMismatch));
    }
    if let Some(registered) = &entry.projects {
        let want: BTreeSet<(&str, Option<i64>)> = registered
            .iter()
            .map(|p| (p.id.as_str(), p.revision))
            .collect();
        let have: BTreeSet<(&str, Option<i64>)> = meta
            .projects
            .iter()
            .map(|p| (p.id.as_str(), p.revision))
            .collect();
        if want != have {
            let odd = have
                .symmetric_difference(&want)
                .next()
                .map_or("", |(id, _)| *id);
            return Err(refused(
                file,
                sealed.project_at(odd),
                Refusal::ProjectSetMismatch {
                    project: shown(odd),
                },
            ));
        }
    }
    if let Some(p) = sub.check_item_homes(|items| w.item_homes(items))? {
        return Err(refused(file, p.at().to_string(), Refusal::Item(p)));
    }
    Ok(entry)
}
