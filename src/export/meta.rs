//! The hidden sheet 「_dxplan」 of every exported workbook: what a merge needs to take a
//! returned workbook back. Format marker and version, the plan, the export (id, kind,
//! department, time), the plan-level items the projects reference (so a department workbook is
//! self-contained) and, per project, its sheet, base revision and base values (the project as
//! exported, JSON split across cells). A SHA-256 digest over all of it ends the sheet, so a
//! changed or damaged hidden sheet is detected. (The digest has no secret: it detects damage
//! and casual edits, it does not authenticate the sender.)
//!
//! Layout: column A holds the row's key, B… its values; every cell is a string.
//! ```text
//! format      | dxplan-export | 1
//! export_id   | <uuid v4>
//! kind        | department | master
//! exported_at | <RFC 3339>
//! department  | <unit id> | <unit name>          (department workbooks only)
//! plan        | <PlanInfo JSON, in chunks…>
//! org_units   | <JSON chunks…>
//! policies    | <JSON chunks…>
//! measures    | <JSON chunks…>
//! project     | <id> | <sheet name> | <revision or empty> | <Project JSON chunks…>   (one row each)
//! digest      | sha256:<hex over every cell above: row, column, text>
//! ```

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::import::grid::Grid;
use crate::model::{Id, Measure, OrgUnit, PlanInfo, Policy, Project};

pub const META_SHEET: &str = "_dxplan";
pub const FORMAT_MARKER: &str = "dxplan-export";
pub const FORMAT_VERSION: u32 = 1;
/// Characters per JSON chunk: far below Excel's 32,767 even in UTF-16.
pub const CHUNK_CHARS: usize = 8_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    Department,
    Master,
}

impl ExportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportKind::Department => "department",
            ExportKind::Master => "master",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentRef {
    pub unit_id: Id,
    pub name: String,
}

/// One project as exported: the base a three-way merge compares against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaseProject {
    pub id: Id,
    /// The sheet it was written to (it may have been renamed since).
    pub sheet: String,
    /// `Store::project_revision` at export, when known.
    pub revision: Option<i64>,
    pub project: Project,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportMeta {
    pub version: u32,
    pub export_id: String,
    pub kind: ExportKind,
    pub exported_at: String,
    pub department: Option<DepartmentRef>,
    pub plan: PlanInfo,
    pub org_units: Vec<OrgUnit>,
    pub policies: Vec<Policy>,
    pub measures: Vec<Measure>,
    /// In export order (plan order).
    pub projects: Vec<BaseProject>,
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

impl ExportMeta {
    /// The rows of the hidden sheet, digest row excluded.
    pub fn rows(&self) -> Result<Vec<Vec<String>>, serde_json::Error> {
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
        rows.push(json_row("plan", &self.plan)?);
        rows.push(json_row("org_units", &self.org_units)?);
        rows.push(json_row("policies", &self.policies)?);
        rows.push(json_row("measures", &self.measures)?);
        for p in &self.projects {
            let mut row = vec![
                "project".to_string(),
                p.id.clone(),
                p.sheet.clone(),
                p.revision.map(|r| r.to_string()).unwrap_or_default(),
            ];
            row.extend(chunks(&serde_json::to_string(&p.project)?));
            rows.push(row);
        }
        Ok(rows)
    }
}

/// SHA-256 over the non-empty cells (row, column, text) in order.
pub fn digest<'a>(cells: impl Iterator<Item = ((u32, u32), &'a str)>) -> String {
    let mut h = Sha256::new();
    for ((r, c), text) in cells {
        if text.is_empty() {
            continue;
        }
        h.update(r.to_le_bytes());
        h.update(c.to_le_bytes());
        h.update((text.len() as u64).to_le_bytes());
        h.update(text.as_bytes());
    }
    let out = h.finalize();
    let mut s = String::with_capacity(7 + 64);
    s.push_str("sha256:");
    for b in out {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

pub fn digest_rows(rows: &[Vec<String>]) -> String {
    digest(rows.iter().enumerate().flat_map(|(r, row)| {
        row.iter()
            .enumerate()
            .map(move |(c, t)| ((r as u32, c as u32), t.as_str()))
    }))
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
    Bad { at: String, message: String },
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

/// Reads and verifies the meta sheet.
pub fn read_meta(g: &Grid) -> Result<ExportMeta, MetaProblem> {
    let bad = |r: u32, c: u32, m: &str| MetaProblem::Bad {
        at: g.at(r, c),
        message: m.to_string(),
    };
    let rows = g.used_rows();
    let digest_row = rows
        .iter()
        .copied()
        .find(|&r| g.text(r, 0) == "digest")
        .ok_or_else(|| {
            MetaProblem::Digest("ダイジェストの行がありません / no digest row".into())
        })?;
    let expected = g.text(digest_row, 1);
    let actual = digest(
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
    let (_, export_id) = value("export_id")?;
    let (kr, kind) = value("kind")?;
    let kind = match kind.as_str() {
        "department" => ExportKind::Department,
        "master" => ExportKind::Master,
        _ => return Err(bad(kr, 1, "種類が読めません / unknown kind")),
    };
    let (_, exported_at) = value("exported_at")?;
    let department = row_of("department").map(|r| DepartmentRef {
        unit_id: g.text(r, 1).to_string(),
        name: g.text(r, 2).to_string(),
    });
    let (r, j) = json_of("plan")?;
    let plan: PlanInfo = parse(&j, g.at(r, 1))?;
    let (r, j) = json_of("org_units")?;
    let org_units: Vec<OrgUnit> = parse(&j, g.at(r, 1))?;
    let (r, j) = json_of("policies")?;
    let policies: Vec<Policy> = parse(&j, g.at(r, 1))?;
    let (r, j) = json_of("measures")?;
    let measures: Vec<Measure> = parse(&j, g.at(r, 1))?;
    let mut projects = Vec::new();
    for &r in rows.iter().filter(|&&r| g.text(r, 0) == "project") {
        let revision = match g.text(r, 3) {
            "" => None,
            t => Some(
                t.parse::<i64>()
                    .map_err(|_| bad(r, 3, "版数が読めません / bad revision"))?,
            ),
        };
        let project: Project = parse(&joined(r, 4), g.at(r, 4))?;
        let id = g.text(r, 1).to_string();
        if project.id != id {
            return Err(bad(r, 1, "事業 ID が一致しません / project id mismatch"));
        }
        projects.push(BaseProject {
            id,
            sheet: g.text(r, 2).to_string(),
            revision,
            project,
        });
    }
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
    })
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
