//! The hidden sheet 「_dxplan」 of every exported workbook: what a merge needs to take a
//! returned workbook back. Format marker and version, the plan, the export (id, kind,
//! department, time), the plan-level items the projects reference (so a department workbook is
//! self-contained) and, per project, its sheet, base revision and base values (the project as
//! exported, JSON split across cells). Two seals end the sheet (see `seal`): the MAC under the
//! plan's secret key, which only the issuing plan can check and nobody else can compute, and a
//! plain digest that detects damage without the key. Format 1 (before the MAC) has the digest
//! only.
//!
//! Layout: column A holds the row's key, B… its values; every cell is a string.
//! ```text
//! format      | dxplan-export | 2
//! export_id   | <uuid>
//! kind        | department | master
//! exported_at | <RFC 3339>
//! department  | <unit id> | <unit name>          (department workbooks only)
//! round       | <round id> | <title> | <deadline YYYY-MM-DD> | <fiscal year>   (a round's workbooks)
//! scale       | <状況 choices JSON> | <評価 choices JSON>   (the plan's progress scale)
//! member      | <export id> | <unit id> | <unit name> | <register seq> | <MAC>   (a 部's workbook:
//!               the 課 workbooks of the same round whose answers it gathers, one row each)
//! plan        | <PlanInfo JSON, in chunks…>
//! org_units   | <JSON chunks…>
//! policies    | <JSON chunks…>
//! measures    | <JSON chunks…>
//! project     | <id> | <sheet name> | <revision or empty> | <Project JSON chunks…>   (one row each)
//! mac         | hmac-sha256:<hex over every cell above: row, column, text>   (format 2)
//! digest      | sha256:<hex over every cell above, the mac row included>
//! ```
//!
//! A submission written from a department's working copy carries this sheet exactly as the
//! department received it (`Sealed`), MAC included: the working copy cannot know the key.

use serde::{Deserialize, Serialize};

use super::seal::{self, MacKey, SealedCell};
use crate::grid::Grid;
use crate::model::ids::{is_valid_id, shown};
use crate::model::{Id, Measure, OrgUnit, PlanInfo, Policy, Project};

pub(crate) const META_SHEET: &str = "_dxplan";
pub(crate) const FORMAT_MARKER: &str = "dxplan-export";
/// 2: sealed with a MAC as well as the digest. 1: the digest only (read for old exports).
pub const FORMAT_VERSION: u32 = 2;
pub(crate) const MAC_ROW: &str = "mac";
pub(crate) const DIGEST_ROW: &str = "digest";
/// Characters per JSON chunk: far below Excel's 32,767 even in UTF-16.
pub const CHUNK_CHARS: usize = 8_000;

/// What a workbook was exported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// A department's workbook (照会).
    Department,
    /// The master workbook (全体版).
    Master,
}

impl ExportKind {
    /// The kind as the hidden sheet writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportKind::Department => "department",
            ExportKind::Master => "master",
        }
    }
}

/// The department a workbook was exported for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentRef {
    /// The unit's id.
    pub unit_id: Id,
    /// Name.
    pub name: String,
}

/// One project as exported: the base a three-way merge compares against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaseProject {
    /// The project's id.
    pub id: Id,
    /// The sheet it was written to (it may have been renamed since).
    pub sheet: String,
    /// `Store::project_revision` at export, when known.
    pub revision: Option<i64>,
    /// The project as exported (the base of a merge).
    pub project: Project,
}

/// The round (照会) a workbook was sent in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundRef {
    /// The round's id.
    pub id: i64,
    /// The round's title.
    pub title: String,
    /// YYYY-MM-DD.
    pub deadline: String,
    /// The fiscal year the round asks about.
    pub fiscal_year: crate::model::FiscalYear,
}

/// A 課 workbook of the same round whose answer a 部's workbook gathers: its export id,
/// department, register sequence and MAC, as the office issued it. A 部's working copy accepts
/// an answer to it when its hidden sheet carries that id, department and MAC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberExport {
    /// The 課 workbook's export id.
    pub export_id: String,
    /// The unit's id.
    pub unit_id: Id,
    /// The 課's name.
    pub name: String,
    /// Sequence number in the register.
    pub seq: i64,
    /// The MAC that seals the hidden sheet.
    pub mac: String,
}

/// The hidden sheet 「_dxplan」 of an exported workbook: what was sent, to whom, as what base.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportMeta {
    /// Format version of the hidden sheet.
    pub version: u32,
    /// The export id of the workbook.
    pub export_id: String,
    /// Department or master.
    pub kind: ExportKind,
    /// When the workbook was exported (RFC 3339).
    pub exported_at: String,
    /// The department, for a department workbook.
    pub department: Option<DepartmentRef>,
    /// The plan's facts.
    pub plan: PlanInfo,
    /// The units it names.
    pub org_units: Vec<OrgUnit>,
    /// The policies of its projects.
    pub policies: Vec<Policy>,
    /// The measures of its projects.
    pub measures: Vec<Measure>,
    /// In export order (plan order).
    pub projects: Vec<BaseProject>,
    /// The round the workbook was sent in, if any.
    #[serde(default)]
    pub round: Option<RoundRef>,
    /// The plan's progress scale when exported (a working copy writes its drop-downs from it).
    #[serde(default)]
    pub progress_scale: Option<crate::model::scale::ProgressScale>,
    /// A 部's workbook: the 課 workbooks whose answers it gathers.
    #[serde(default)]
    pub members: Vec<MemberExport>,
    /// Actuals up to this fiscal year were locked in the workbook (closed by a rollover and not
    /// opened for this export); sealed, so a merge refuses them even from an unprotected copy.
    #[serde(default)]
    pub locked_actuals_through: Option<crate::model::FiscalYear>,
    /// The sheet as read (None for an export being written).
    #[serde(skip)]
    pub sealed: Option<Sealed>,
}

/// The hidden sheet as it was read: every non-empty cell, the seals and where the rows are.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sealed {
    /// The hidden sheet.
    pub sheet: String,
    /// Every non-empty cell, in row order: what a submission copies verbatim.
    pub cells: Vec<((u32, u32), String)>,
    /// Row and text of the MAC; None in a format 1 export.
    pub mac: Option<(u32, String)>,
    /// Row of the digest.
    pub digest_row: u32,
    /// Cell addresses (「_dxplan!B2」) for messages.
    pub at: MetaCells,
}

/// The hidden sheet's cells of one export, as text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetaCells {
    /// The export id of the workbook.
    pub export_id: String,
    /// Kind as written.
    pub kind: String,
    /// Department as written.
    pub department: String,
    /// Plan as written.
    pub plan: String,
    /// The MAC cell (the digest cell in format 1).
    pub seal: String,
    /// (project id, its row's id cell).
    pub projects: Vec<(Id, String)>,
}

impl Sealed {
    /// The cells the MAC covers: all but the two seal rows.
    pub fn mac_cells(&self) -> impl Iterator<Item = SealedCell<'_>> {
        let mac_row = self.mac.as_ref().map(|(r, _)| *r);
        self.cells
            .iter()
            .filter(move |((r, _), _)| Some(*r) != mac_row && *r != self.digest_row)
            .map(|(k, t)| (*k, t.as_str()))
    }

    /// Written before exports carried a MAC (format 1).
    pub fn is_legacy(&self) -> bool {
        self.mac.is_none()
    }

    /// The MAC text, if the sheet carries one.
    pub fn mac_text(&self) -> Option<&str> {
        self.mac.as_ref().map(|(_, t)| t.as_str())
    }

    /// Whether the MAC is the one `key` gives (false for a format 1 export).
    pub fn verify(&self, key: &MacKey) -> bool {
        match &self.mac {
            Some((_, text)) => seal::verify_mac(key, self.mac_cells(), text),
            None => false,
        }
    }

    pub(crate) fn project_at(&self, id: &str) -> String {
        self.at
            .projects
            .iter()
            .find(|(p, _)| p == id)
            .map_or_else(|| format!("{}!A1", self.sheet), |(_, at)| at.clone())
    }
}

fn chunks(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        // The byte offset of the CHUNK_CHARS-th character, or the end.
        let end = rest
            .char_indices()
            .nth(CHUNK_CHARS)
            .map_or(rest.len(), |(i, _)| i);
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

fn json_row(key: &str, v: &impl Serialize) -> Result<Vec<String>, serde_json::Error> {
    let mut row = vec![key.to_string()];
    row.extend(chunks(&serde_json::to_string(v)?));
    Ok(row)
}

/// A project's row of the hidden sheet, borrowed: an export writes its projects' rows from
/// the plan itself, without a copy of every project.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ProjectRow<'a> {
    pub id: &'a str,
    pub sheet: &'a str,
    pub revision: Option<i64>,
    pub project: &'a Project,
}

impl<'a> From<&'a BaseProject> for ProjectRow<'a> {
    fn from(p: &'a BaseProject) -> Self {
        ProjectRow {
            id: &p.id,
            sheet: &p.sheet,
            revision: p.revision,
            project: &p.project,
        }
    }
}

impl ProjectRow<'_> {
    fn cells(&self) -> Result<Vec<String>, serde_json::Error> {
        let mut row = vec![
            "project".to_string(),
            self.id.to_string(),
            self.sheet.to_string(),
            self.revision.map(|r| r.to_string()).unwrap_or_default(),
        ];
        row.extend(chunks(&serde_json::to_string(self.project)?));
        Ok(row)
    }
}

impl ExportMeta {
    /// The rows of the hidden sheet, seal rows excluded.
    pub fn rows(&self) -> Result<Vec<Vec<String>>, serde_json::Error> {
        let mut rows = self.head_rows()?;
        for p in &self.projects {
            rows.push(ProjectRow::from(p).cells()?);
        }
        Ok(rows)
    }

    /// The rows before the projects'.
    fn head_rows(&self) -> Result<Vec<Vec<String>>, serde_json::Error> {
        let mut rows = vec![
            vec![
                "format".to_string(),
                FORMAT_MARKER.to_string(),
                self.version.to_string(),
            ],
            vec!["export_id".to_string(), self.export_id.clone()],
            vec!["kind".to_string(), self.kind.as_str().to_string()],
            vec!["exported_at".to_string(), self.exported_at.clone()],
        ];
        if let Some(d) = &self.department {
            rows.push(vec![
                "department".to_string(),
                d.unit_id.clone(),
                d.name.clone(),
            ]);
        }
        if let Some(r) = &self.round {
            rows.push(vec![
                "round".to_string(),
                r.id.to_string(),
                r.title.clone(),
                r.deadline.clone(),
                r.fiscal_year.to_string(),
            ]);
        }
        if let Some(sc) = &self.progress_scale {
            rows.push(vec![
                "scale".to_string(),
                serde_json::to_string(&sc.status)?,
                serde_json::to_string(&sc.evaluation)?,
            ]);
        }
        if let Some(fy) = self.locked_actuals_through {
            rows.push(vec!["locked_actuals".to_string(), fy.to_string()]);
        }
        for m in &self.members {
            rows.push(vec![
                "member".to_string(),
                m.export_id.clone(),
                m.unit_id.clone(),
                m.name.clone(),
                m.seq.to_string(),
                m.mac.clone(),
            ]);
        }
        rows.push(json_row("plan", &self.plan)?);
        rows.push(json_row("org_units", &self.org_units)?);
        rows.push(json_row("policies", &self.policies)?);
        rows.push(json_row("measures", &self.measures)?);
        Ok(rows)
    }
}

/// The rows of the hidden sheet sealed with `key`: the rows, then the MAC row, then the digest
/// row. Returns the rows and the MAC.
pub fn sealed_rows(
    meta: &ExportMeta,
    key: &MacKey,
) -> Result<(Vec<Vec<String>>, String), serde_json::Error> {
    let mut rows = Vec::new();
    let mac = write_sealed(meta, std::iter::empty(), key, |_, row| {
        rows.push(row);
        Ok::<(), serde_json::Error>(())
    })?;
    Ok((rows, mac))
}

/// The sealed rows of the hidden sheet handed to `put` one at a time, in order (row index,
/// cells): the rows of `meta`, then a row for each of `more` (projects written from the plan
/// itself, after `meta.projects`), then the MAC row and the digest row. Only one project's
/// JSON is held at a time. Returns the MAC.
pub(crate) fn write_sealed<'a, E: From<serde_json::Error>>(
    meta: &ExportMeta,
    more: impl Iterator<Item = ProjectRow<'a>>,
    key: &MacKey,
    mut put: impl FnMut(u32, Vec<String>) -> Result<(), E>,
) -> Result<String, E> {
    let mut sealer = seal::Sealer::new(key);
    let mut r = 0u32;
    let mut next = |row: Vec<String>, sealer: &mut seal::Sealer| {
        sealer.row(r, &row);
        put(r, row)?;
        r += 1;
        Ok::<(), E>(())
    };
    for row in meta.head_rows()? {
        next(row, &mut sealer)?;
    }
    for p in &meta.projects {
        next(ProjectRow::from(p).cells()?, &mut sealer)?;
    }
    for p in more {
        next(p.cells()?, &mut sealer)?;
    }
    let mac = sealer.mac();
    let mac_row = vec![MAC_ROW.to_string(), mac.clone()];
    let digest = sealer.digest_after(r, &mac_row);
    put(r, mac_row)?;
    put(r + 1, vec![DIGEST_ROW.to_string(), digest])?;
    Ok(mac)
}

/// Whether a sheet is a dxplan meta sheet (its first row names the format).
pub fn is_meta_sheet(g: &Grid) -> bool {
    g.text(0, 0) == "format" && g.text(0, 1) == FORMAT_MARKER
}

/// Why a meta sheet could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum MetaProblem {
    /// The digest is missing or does not match: the hidden sheet was changed.
    Digest(String),
    /// A newer dxplan wrote it.
    Newer(u32),
    /// A row is missing or unreadable.
    /// A cell of the hidden sheet that cannot be read.
    Bad {
        /// Where: sheet and cell (`Sheet!A1`).
        at: String,
        /// What is wrong, in words.
        message: String,
    },
}

impl std::fmt::Display for MetaProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetaProblem::Digest(d) => write!(f, "改ざん検出用のダイジェストが一致しません / digest mismatch: {d}"),
            MetaProblem::Newer(v) => write!(f, "新しい版の dxplan で書き出されています（形式 {v} > {FORMAT_VERSION}） / written by a newer dxplan (format {v})"),
            MetaProblem::Bad { at, message } => write!(f, "{at}: {message}"),
        }
    }
}

/// Reads the meta sheet and checks its digest (damage) and the form of every id in it. The MAC
/// needs the issuing plan's key: `Sealed::verify`, done by the merge.
pub fn read_meta(g: &Grid) -> Result<ExportMeta, MetaProblem> {
    let bad = |r: u32, c: u32, m: &str| MetaProblem::Bad {
        at: g.at(r, c),
        message: m.to_string(),
    };
    let rows = g.used_rows();
    let keyed = |key: &str| -> Vec<u32> {
        rows.iter()
            .copied()
            .filter(|&r| g.text(r, 0) == key)
            .collect()
    };
    let digest_row = match keyed(DIGEST_ROW).as_slice() {
        [r] => *r,
        [] => {
            return Err(MetaProblem::Digest(
                "ダイジェストの行がありません / no digest row".into(),
            ))
        }
        [_, r, ..] => {
            return Err(bad(
                *r,
                0,
                "ダイジェストの行が複数あります / two digest rows",
            ))
        }
    };
    let expected = g.text(digest_row, 1);
    let actual = seal::digest(
        g.cells
            .iter()
            .filter(|((r, _), _)| *r != digest_row)
            .map(|(k, c)| (*k, c.text.as_str())),
    );
    if expected != actual {
        return Err(MetaProblem::Digest(format!(
            "{} ≠ {}",
            g.at(digest_row, 1),
            "computed"
        )));
    }
    let version: u32 = g
        .text(0, 2)
        .parse()
        .map_err(|_| bad(0, 2, "形式の版が読めません / bad format version"))?;
    if version > FORMAT_VERSION {
        return Err(MetaProblem::Newer(version));
    }
    let mac = match (version, keyed(MAC_ROW).as_slice()) {
        (1, []) => None,
        (1, [r, ..]) => {
            return Err(bad(
                *r,
                0,
                "形式 1 に MAC の行はありません / a format 1 sheet has no mac row",
            ))
        }
        (_, [r]) => Some((*r, g.text(*r, 1).to_string())),
        (_, []) => return Err(bad(0, 2, "MAC の行がありません / no mac row")),
        (_, [_, r, ..]) => return Err(bad(*r, 0, "MAC の行が複数あります / two mac rows")),
    };
    // Nothing may sit beside a seal: those cells would be outside the MAC.
    for r in std::iter::once(digest_row).chain(mac.as_ref().map(|(r, _)| *r)) {
        if let Some((c, _)) = g.row(r).find(|(c, cell)| *c > 1 && !cell.text.is_empty()) {
            return Err(bad(
                r,
                c,
                "封印の行に余分なセルがあります / extra cell in a seal row",
            ));
        }
    }
    let row_of = |key: &str| rows.iter().copied().find(|&r| g.text(r, 0) == key);
    let value = |key: &str| -> Result<(u32, String), MetaProblem> {
        let r = row_of(key).ok_or_else(|| MetaProblem::Bad {
            at: g.name.clone(),
            message: format!("「{key}」の行がありません / missing row {key}"),
        })?;
        Ok((r, g.text(r, 1).to_string()))
    };
    let joined = |r: u32, from: u32| -> String {
        g.row(r)
            .filter(|(c, _)| *c >= from)
            .map(|(_, cell)| cell.text.as_str())
            .collect()
    };
    fn parse<T: serde::de::DeserializeOwned>(json: &str, at: String) -> Result<T, MetaProblem> {
        serde_json::from_str(json).map_err(|e| MetaProblem::Bad {
            at,
            message: format!("JSON: {e}"),
        })
    }
    let json_of = |key: &str| -> Result<(u32, String), MetaProblem> {
        let (r, _) = value(key)?;
        Ok((r, joined(r, 1)))
    };
    let (er, export_id) = value("export_id")?;
    let (kr, kind) = value("kind")?;
    let kind = match kind.as_str() {
        "department" => ExportKind::Department,
        "master" => ExportKind::Master,
        _ => return Err(bad(kr, 1, "種類が読めません / unknown kind")),
    };
    let (_, exported_at) = value("exported_at")?;
    let dept_row = row_of("department");
    let department = dept_row.map(|r| DepartmentRef {
        unit_id: g.text(r, 1).to_string(),
        name: g.text(r, 2).to_string(),
    });
    let (pr, j) = json_of("plan")?;
    let plan: PlanInfo = parse(&j, g.at(pr, 1))?;
    let (ur, j) = json_of("org_units")?;
    let org_units: Vec<OrgUnit> = parse(&j, g.at(ur, 1))?;
    let (polr, j) = json_of("policies")?;
    let policies: Vec<Policy> = parse(&j, g.at(polr, 1))?;
    let (mr, j) = json_of("measures")?;
    let measures: Vec<Measure> = parse(&j, g.at(mr, 1))?;
    let round = match row_of("round") {
        None => None,
        Some(r) => Some(RoundRef {
            id: g
                .text(r, 1)
                .parse()
                .map_err(|_| bad(r, 1, "照会の番号が読めません / bad round id"))?,
            title: g.text(r, 2).to_string(),
            deadline: g.text(r, 3).to_string(),
            fiscal_year: g
                .text(r, 4)
                .parse()
                .map_err(|_| bad(r, 4, "年度が読めません / bad fiscal year"))?,
        }),
    };
    let progress_scale = match row_of("scale") {
        None => None,
        Some(r) => Some(crate::model::scale::ProgressScale {
            status: parse(g.text(r, 1), g.at(r, 1))?,
            evaluation: parse(g.text(r, 2), g.at(r, 2))?,
        }),
    };
    let locked_actuals_through = match row_of("locked_actuals") {
        None => None,
        Some(r) => Some(
            g.text(r, 1)
                .parse()
                .map_err(|_| bad(r, 1, "締め切った年度が読めません / bad closed fiscal year"))?,
        ),
    };
    let mut members = Vec::new();
    for &r in rows.iter().filter(|&&r| g.text(r, 0) == "member") {
        let export_id = g.text(r, 1).to_string();
        let unit_id = g.text(r, 2).to_string();
        id_form(&export_id, g.at(r, 1), ("書き出し", "export"))?;
        id_form(&unit_id, g.at(r, 2), ("課", "unit"))?;
        members.push(MemberExport {
            export_id,
            unit_id,
            name: g.text(r, 3).to_string(),
            seq: g
                .text(r, 4)
                .parse()
                .map_err(|_| bad(r, 4, "書き出し番号が読めません / bad export sequence"))?,
            mac: g.text(r, 5).to_string(),
        });
    }
    let mut projects = Vec::new();
    let mut project_at = Vec::new();
    for &r in rows.iter().filter(|&&r| g.text(r, 0) == "project") {
        let revision = match g.text(r, 3) {
            "" => None,
            t => Some(
                t.parse::<i64>()
                    .map_err(|_| bad(r, 3, "版数が読めません / bad revision"))?,
            ),
        };
        let id = g.text(r, 1).to_string();
        id_form(&id, g.at(r, 1), ("事業", "project"))?;
        let project: Project = parse(&joined(r, 4), g.at(r, 4))?;
        if project.id != id {
            return Err(bad(r, 1, "事業 ID が一致しません / project id mismatch"));
        }
        project_ids(&project, g.at(r, 4))?;
        project_at.push((id.clone(), g.at(r, 1)));
        projects.push(BaseProject {
            id,
            sheet: g.text(r, 2).to_string(),
            revision,
            project,
        });
    }
    // Every id, before anything uses it.
    id_form(&export_id, g.at(er, 1), ("書き出し", "export"))?;
    id_form(&plan.id, g.at(pr, 1), ("計画", "plan"))?;
    if let (Some(d), Some(r)) = (&department, dept_row) {
        id_form(&d.unit_id, g.at(r, 1), ("課", "unit"))?;
    }
    for u in &org_units {
        id_form(&u.id, g.at(ur, 1), ("組織", "unit"))?;
        if let Some(p) = &u.parent_id {
            id_form(p, g.at(ur, 1), ("組織", "unit"))?;
        }
    }
    for p in &policies {
        id_form(&p.id, g.at(polr, 1), ("基本方針", "policy"))?;
    }
    for m in &measures {
        id_form(&m.id, g.at(mr, 1), ("施策", "measure"))?;
        id_form(&m.policy_id, g.at(mr, 1), ("基本方針", "policy"))?;
    }
    let seal_row = mac.as_ref().map_or(digest_row, |(r, _)| *r);
    let sealed = Sealed {
        sheet: g.name.clone(),
        cells: g
            .cells
            .iter()
            .filter(|(_, c)| !c.text.is_empty())
            .map(|(k, c)| (*k, c.text.clone()))
            .collect(),
        mac,
        digest_row,
        at: MetaCells {
            export_id: g.at(er, 1),
            kind: g.at(kr, 1),
            department: dept_row.map_or_else(|| g.at(kr, 1), |r| g.at(r, 1)),
            plan: g.at(pr, 1),
            seal: g.at(seal_row, 1),
            projects: project_at,
        },
    };
    Ok(ExportMeta {
        version,
        export_id,
        kind,
        exported_at,
        department,
        plan,
        org_units,
        policies,
        measures,
        projects,
        round,
        progress_scale,
        members,
        locked_actuals_through,
        sealed: Some(sealed),
    })
}

/// An id in the form dxplan writes (`model::ids`), or a problem naming the cell.
pub fn id_form(id: &str, at: String, (ja, en): (&str, &str)) -> Result<(), MetaProblem> {
    if is_valid_id(id) {
        Ok(())
    } else {
        Err(MetaProblem::Bad {
            at,
            message: format!(
                "{ja}の ID の形式が正しくありません / malformed {en} id: 「{}」",
                shown(id)
            ),
        })
    }
}

/// The ids inside a base project: its indicators, tasks, owners and measures.
fn project_ids(p: &Project, at: String) -> Result<(), MetaProblem> {
    for i in &p.indicators {
        id_form(&i.id, at.clone(), ("指標", "indicator"))?;
    }
    for t in &p.schedule {
        id_form(&t.id, at.clone(), ("工程", "task"))?;
    }
    for o in &p.owners {
        id_form(&o.unit_id, at.clone(), ("組織", "unit"))?;
    }
    for m in &p.measure_ids {
        id_form(m, at.clone(), ("施策", "measure"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_keep_every_char() {
        let s = "あ".repeat(CHUNK_CHARS * 2 + 5);
        let c = chunks(&s);
        assert_eq!(c.len(), 3);
        assert_eq!(c.concat(), s);
        assert_eq!(chunks(""), vec![String::new()]);
    }
}
