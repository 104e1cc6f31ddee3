//! Exports recorded in the plan file's register: the workbook's hidden sheet is sealed with the
//! plan's key and the export (id, kind, department, projects with base revisions, MAC, time,
//! dxplan version) is recorded before the file is written. An export the register does not
//! know is never merged; one recorded but not written (the disk filled up) is harmless.

use std::path::Path;

use super::{
    build_department, build_master, department_projects, save, ExportError, ExportKind, ExportMeta,
    ExportOptions, ExportSummary,
};
use crate::model::ids::{is_valid_id, shown};
use crate::model::Plan;
use crate::store::{NewExport, RegisterKind, RegisteredProject, Store, StoreError};

fn register_err(path: &Path) -> impl Fn(StoreError) -> ExportError + '_ {
    move |source| ExportError::Register {
        file: path.to_path_buf(),
        source,
    }
}

/// The plan given is the plan file's (a caller may pass a subset of it, never another plan).
fn same_plan(store: &Store, plan_id: &str, path: &Path) -> Result<(), ExportError> {
    let own = store.plan_info().map_err(register_err(path))?;
    if own.id == plan_id {
        Ok(())
    } else {
        Err(ExportError::OtherPlan {
            file: path.to_path_buf(),
            found: shown(plan_id),
        })
    }
}

/// Options for an export of this plan: its key, a fresh export id (or the caller's, when it is
/// in dxplan's form) and the time now.
fn sealed_options(
    store: &Store,
    opts: &ExportOptions,
    path: &Path,
) -> Result<ExportOptions, ExportError> {
    let export_id = match &opts.export_id {
        Some(id) if is_valid_id(id) => id.clone(),
        Some(id) => return Err(ExportError::BadExportId(shown(id))),
        None => uuid::Uuid::new_v4().to_string(),
    };
    Ok(ExportOptions {
        key: Some(store.mac_key().map_err(register_err(path))?),
        export_id: Some(export_id),
        exported_at: Some(
            opts.exported_at
                .unwrap_or_else(|| chrono::Local::now().fixed_offset()),
        ),
        received: None,
        // The plan's own scale unless the caller gives one.
        progress_scale: match &opts.progress_scale {
            Some(s) => Some(s.clone()),
            None => Some(store.progress_scale().map_err(register_err(path))?),
        },
        ..opts.clone()
    })
}

fn projects_of(summary: &ExportSummary, opts: &ExportOptions) -> Vec<RegisteredProject> {
    summary
        .projects
        .iter()
        .map(|(id, _)| RegisteredProject {
            id: id.clone(),
            revision: opts.revisions.get(id).copied(),
        })
        .collect()
}

fn exported_at(opts: &ExportOptions) -> String {
    opts.exported_at.map(|t| t.to_rfc3339()).unwrap_or_default()
}

/// Writes the department workbook of `unit_id` and records it. `plan` is the plan file's plan,
/// or the part of it holding the unit's projects (`Store::load_plan_of_units`); the base
/// revisions are read from the plan file.
pub fn export_department(
    store: &Store,
    plan: &Plan,
    unit_id: &str,
    path: &Path,
    opts: &ExportOptions,
) -> Result<ExportSummary, ExportError> {
    same_plan(store, &plan.info.id, path)?;
    let mut opts = sealed_options(store, opts, path)?;
    // One query for all: per project, a large plan's export would wait on thousands.
    let mut all = store.project_revisions().map_err(register_err(path))?;
    opts.revisions = department_projects(plan, unit_id)
        .iter()
        .filter_map(|p| all.remove(&p.id).map(|r| (p.id.clone(), r)))
        .collect();
    let (wb, summary) = build_department(plan, unit_id, path, &opts)?;
    let unit = plan.unit(unit_id);
    store
        .register_export(&NewExport {
            export_id: summary.export_id.clone(),
            kind: RegisterKind::Department,
            plan_id: plan.info.id.clone(),
            department_id: Some(unit_id.to_string()),
            department: unit.map(|u| u.name.clone()).unwrap_or_default(),
            projects: projects_of(&summary, &opts),
            mac: Some(summary.mac.clone()),
            exported_at: exported_at(&opts),
            file: path.display().to_string(),
            round: opts.round.as_ref().map(|r| crate::store::RoundLink {
                round_id: r.id,
                reviewed_in: opts.reviewed_in.clone(),
            }),
        })
        .map_err(register_err(path))?;
    save(wb, path, &opts)?;
    Ok(summary)
}

/// Writes the master workbook of the whole plan and records it.
pub fn export_master(
    store: &Store,
    plan: &Plan,
    path: &Path,
    opts: &ExportOptions,
) -> Result<ExportSummary, ExportError> {
    same_plan(store, &plan.info.id, path)?;
    let mut opts = sealed_options(store, opts, path)?;
    opts.revisions = store.project_revisions().map_err(register_err(path))?;
    let (wb, summary) = build_master(plan, path, &opts)?;
    store
        .register_export(&NewExport {
            export_id: summary.export_id.clone(),
            kind: RegisterKind::Master,
            plan_id: plan.info.id.clone(),
            department_id: None,
            department: String::new(),
            projects: projects_of(&summary, &opts),
            mac: Some(summary.mac.clone()),
            exported_at: exported_at(&opts),
            file: path.display().to_string(),
            round: None,
        })
        .map_err(register_err(path))?;
    save(wb, path, &opts)?;
    Ok(summary)
}

/// Writes a department's submission from its working copy (`store`, a plan file of its own that
/// cannot know the office's key): the visible sheets hold the working copy's values, the hidden
/// sheet is the one received, verbatim (the office's export id, base and MAC). Recorded in the
/// working copy's own register as a `submission`.
pub fn export_submission(
    store: &Store,
    local: &Plan,
    received: &ExportMeta,
    path: &Path,
    opts: &ExportOptions,
) -> Result<ExportSummary, ExportError> {
    let dept = match (&received.kind, &received.department) {
        (ExportKind::Department, Some(d)) => d,
        _ => {
            return Err(ExportError::UnknownUnit(
                "（全体版のブックには課がありません / a master workbook has no department）".into(),
            ))
        }
    };
    same_plan(store, &local.info.id, path)?;
    same_plan(store, &received.plan.id, path)?;
    let sealed = received
        .sealed
        .as_ref()
        .ok_or_else(|| ExportError::NotReceived {
            file: path.to_path_buf(),
        })?;
    // The 課 answers this working copy gathered (a 部's review), for the office's chain.
    let via = store
        .submissions()
        .map_err(register_err(path))?
        .into_iter()
        .filter(|s| !s.undone)
        .map(|s| crate::store::ViaRecord {
            export_id: s.export_id,
            department_id: s.department_id,
            department: s.department,
            respondent: s.respondent,
            contact: s.contact,
            remarks: s.remarks,
            saved_at: s.saved_at,
            digest: s.digest,
        })
        .collect();
    let opts = ExportOptions {
        received: Some(received.clone()),
        export_id: Some(received.export_id.clone()),
        key: None,
        round: received.round.clone(),
        members: received.members.clone(),
        progress_scale: received.progress_scale.clone(),
        via,
        ..opts.clone()
    };
    let (wb, summary) = build_department(local, &dept.unit_id, path, &opts)?;
    store
        .register_export(&NewExport {
            export_id: received.export_id.clone(),
            kind: RegisterKind::Submission,
            plan_id: received.plan.id.clone(),
            department_id: Some(dept.unit_id.clone()),
            department: dept.name.clone(),
            projects: received
                .projects
                .iter()
                .map(|b| RegisteredProject {
                    id: b.id.clone(),
                    revision: b.revision,
                })
                .collect(),
            mac: sealed.mac_text().map(str::to_string),
            exported_at: chrono::Local::now().fixed_offset().to_rfc3339(),
            file: path.display().to_string(),
            round: None,
        })
        .map_err(register_err(path))?;
    save(wb, path, &opts)?;
    Ok(summary)
}
