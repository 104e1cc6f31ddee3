//! Reads back a workbook dxplan exported (`crate::export`, in the format `crate::format`
//! describes): the hidden sheet 「_dxplan」 (plan, export, department, base revision and base
//! values of each project, verified by its digest) and the projects as they now read on the
//! visible sheets, where people edited the cells.
//!
//! Sheets are found by the project id in their hidden key column, never by name or order, and
//! rows by their keys. A cell whose text renders exactly what the base value renders keeps the
//! base value (so every parsed part, and choices no text can show, survive untouched); any
//! other text is read afresh. Every cell that cannot be read is reported as `Sheet!A1`; nothing
//! is dropped silently.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::error::ImportError;
use crate::format::layout::{self, ProgressField, RowKey};
use crate::format::meta::{is_meta_sheet, read_meta, BaseProject, ExportMeta};
use crate::format::sheet::fields::{self, Cell as FieldCell, FieldRow};
use crate::format::sheet::{same, Section};
use crate::grid::Grid;
use crate::model::fields::ProjectField;
use crate::model::ids::{is_valid_id, shown};
use crate::model::{
    BudgetYear, FiscalYear, Footnote, Id, Indicator, IndicatorValue, OrgUnit, Plan, Progress,
    Project, Task, Value,
};
use crate::parse::fiscal_year::parse_fiscal_year;
use crate::parse::value::{is_empty_mark, parse_money, parse_value};
pub use crate::store::ItemKind;
use crate::workbook::Workbook;

/// A returned dxplan workbook.
#[derive(Debug, Clone)]
pub struct NativeWorkbook {
    /// The hidden sheet: plan, export id, kind, department, base revisions and base projects.
    pub meta: ExportMeta,
    /// The plan as the workbook now reads: plan info and plan-level items (org units,
    /// policies, measures) from the hidden sheet, projects from the visible sheets, in the
    /// export's order.
    pub plan: Plan,
    /// (project id, sheet it was read from).
    pub sheets: Vec<(Id, String)>,
    /// Input fields of the cover (提出期限, 記入者, …): (field, text).
    pub cover: Vec<(String, String)>,
    /// Readings that rest on an assumption (e.g. schedule years kept from the base because the
    /// file format carries no cell colours).
    pub warnings: Vec<String>,
    /// Every indicator and task of the projects read, with the cell of its key.
    pub items: Vec<ItemKey>,
    /// 担当課 cells whose text differs from what was exported: read against the export's
    /// units here, and again against the plan's by whoever takes the workbook in
    /// (`OwnerCell::read`), since a department may name any unit of the plan.
    pub owner_cells: Vec<OwnerCell>,
}

/// A changed 担当課 cell.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnerCell {
    /// The project of the cell.
    pub project_id: Id,
    /// The 担当課 text as written.
    pub text: String,
    /// 「Sheet!B9」.
    pub at: String,
}

/// 担当課 as read against a plan's units: the owners, the note, and names that are no unit
/// of the plan (reported; never created, never kept as note text).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOwners {
    /// Owners read, lead first.
    pub owners: Vec<crate::model::Owner>,
    /// What was not understood as a unit.
    pub note: String,
    /// Names that are no unit of the plan.
    pub unknown: Vec<String>,
}

impl OwnerCell {
    /// Reads the cell against `units` (the plan's): known unit names (longest first; units
    /// open now before closed ones of the same name) are owners, the first the lead; a name
    /// that reads as a unit but is none of the plan's is `unknown`; anything else (「ほか」) is
    /// the note.
    pub fn read(&self, units: &[OrgUnit]) -> ReadOwners {
        use crate::model::{Owner, OwnerRole};
        let mut names: Vec<&OrgUnit> = units.iter().filter(|u| !u.name.is_empty()).collect();
        names.sort_by_key(|u| (std::cmp::Reverse(u.name.len()), u.valid_to_fy.is_some()));
        let mut out = ReadOwners {
            owners: Vec::new(),
            note: String::new(),
            unknown: Vec::new(),
        };
        let mut rest = self.text.as_str();
        let mut first = true;
        loop {
            let trimmed = rest.trim_start_matches(|c: char| {
                c.is_whitespace() || layout::OWNER_SEPARATORS.contains(&c)
            });
            // A separator before the note is part of the note (「、ほか」).
            let sep = &rest[..rest.len() - trimmed.len()];
            rest = trimmed;
            if rest.is_empty() {
                break;
            }
            if let Some(u) = names.iter().find(|u| rest.starts_with(u.name.as_str())) {
                if !out.owners.iter().any(|o| o.unit_id == u.id) {
                    out.owners.push(Owner {
                        unit_id: u.id.clone(),
                        role: if out.owners.is_empty() {
                            OwnerRole::Lead
                        } else {
                            OwnerRole::Co
                        },
                    });
                }
                rest = &rest[u.name.len()..];
                first = false;
                continue;
            }
            let end = rest
                .find(|c: char| layout::OWNER_SEPARATORS.contains(&c))
                .unwrap_or(rest.len());
            let token = &rest[..end];
            rest = &rest[end..];
            let t = token.trim_end();
            let (core, suffix) = ["ほか", "など", "等", "外"]
                .iter()
                .find_map(|s| t.strip_suffix(s).map(|c| (c, *s)))
                .unwrap_or((t, ""));
            if layout::looks_like_unit(core) {
                out.unknown.push(core.trim().to_string());
                out.note.push_str(suffix);
            } else {
                if !first || !out.note.is_empty() {
                    out.note.push_str(sep);
                }
                out.note.push_str(token);
            }
            first = false;
        }
        out
    }
}

/// An indicator or task key read from a project sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemKey {
    /// The project.
    pub project_id: Id,
    /// Indicator or task.
    pub kind: ItemKind,
    /// Its id.
    pub id: Id,
    /// 「Sheet!Q14」.
    pub at: String,
}

fn kind_name(k: ItemKind) -> (&'static str, &'static str) {
    match k {
        ItemKind::Indicator => ("指標", "indicator"),
        ItemKind::Task => ("工程", "task"),
    }
}

/// Why an indicator or task key cannot be taken as it claims.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemProblem {
    /// The same id twice in the workbook.
    Duplicate {
        /// Where: sheet and cell (`Sheet!A1`).
        at: String,
        /// First (row, column), 0-based.
        first: String,
        /// Indicator or task.
        kind: ItemKind,
        /// Stable id.
        id: Id,
    },
    /// The plan has this id under another project.
    Foreign {
        /// Where: sheet and cell (`Sheet!A1`).
        at: String,
        /// Indicator or task.
        kind: ItemKind,
        /// Stable id.
        id: Id,
        /// The item it belongs to.
        home: Id,
    },
}

impl ItemProblem {
    /// Where the problem is.
    pub fn at(&self) -> &str {
        match self {
            ItemProblem::Duplicate { at, .. } | ItemProblem::Foreign { at, .. } => at,
        }
    }
}

impl std::fmt::Display for ItemProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ItemProblem::Duplicate {
                first, kind, id, ..
            } => {
                let (ja, en) = kind_name(*kind);
                write!(f, "同じ{ja}の ID が 2 か所にあります（もう一方は {first}）。行やシートをコピーしないでください / the same {en} id is used twice (also at {first}): {id}")
            }
            ItemProblem::Foreign { kind, id, home, .. } => {
                let (ja, en) = kind_name(*kind);
                write!(f, "この{ja}の ID は別の事業（{home}）のものです / this {en} id belongs to another project ({home}): {id}")
            }
        }
    }
}

impl NativeWorkbook {
    /// Checks that every indicator and task is where it claims to be: used once in the
    /// workbook, and under the same project as in the plan (`home`: the project the plan has
    /// it under, if any). The base values are checked the same way. The first problem found.
    pub fn check_items<E>(
        &self,
        mut home: impl FnMut(ItemKind, &str) -> Result<Option<Id>, E>,
    ) -> Result<Option<ItemProblem>, E> {
        self.check_item_homes(|asked| asked.iter().map(|&(k, id, _)| home(k, id)).collect())
    }

    /// `check_items` with the homes asked all at once: `homes` is given every indicator and
    /// task of the workbook and of its base values with the project it claims (kind, id,
    /// project), and answers for each in that order (the merge reads the plan's items once a
    /// project, not once an item).
    pub fn check_item_homes<E>(
        &self,
        homes: impl FnOnce(&[(ItemKind, &str, &str)]) -> Result<Vec<Option<Id>>, E>,
    ) -> Result<Option<ItemProblem>, E> {
        let asked: Vec<(ItemKind, &str, &str)> =
            self.items
                .iter()
                .map(|k| (k.kind, k.id.as_str(), k.project_id.as_str()))
                .chain(
                    self.meta.projects.iter().flat_map(|b| {
                        base_items(b).map(move |(kind, id)| (kind, id, b.id.as_str()))
                    }),
                )
                .collect();
        let homes = homes(&asked)?;
        let mut homes = homes.into_iter().chain(std::iter::repeat(None));
        let mut seen: HashMap<(ItemKind, &str), &str> = HashMap::new();
        for k in &self.items {
            let home = homes.next().flatten();
            if let Some(first) = seen.insert((k.kind, k.id.as_str()), k.at.as_str()) {
                return Ok(Some(ItemProblem::Duplicate {
                    at: k.at.clone(),
                    first: first.to_string(),
                    kind: k.kind,
                    id: k.id.clone(),
                }));
            }
            if let Some(h) = home {
                if h != k.project_id {
                    return Ok(Some(ItemProblem::Foreign {
                        at: k.at.clone(),
                        kind: k.kind,
                        id: k.id.clone(),
                        home: h,
                    }));
                }
            }
        }
        for b in &self.meta.projects {
            for (kind, id) in base_items(b) {
                match homes.next().flatten() {
                    Some(h) if h != b.id => {
                        let at = self
                            .meta
                            .sealed
                            .as_ref()
                            .map_or_else(String::new, |s| s.project_at(&b.id));
                        return Ok(Some(ItemProblem::Foreign {
                            at,
                            kind,
                            id: id.to_string(),
                            home: h,
                        }));
                    }
                    _ => {}
                }
            }
        }
        Ok(None)
    }
}

/// The indicators and tasks of a base project, in the order the check asks about them.
fn base_items(b: &BaseProject) -> impl Iterator<Item = (ItemKind, &str)> {
    let p = &b.project;
    let indicators = p
        .indicators
        .iter()
        .map(|i| (ItemKind::Indicator, i.id.as_str()));
    indicators.chain(p.schedule.iter().map(|t| (ItemKind::Task, t.id.as_str())))
}

/// The project id of a dxplan project sheet and the column of its keys.
pub(crate) fn project_key(g: &Grid) -> Option<(String, u32)> {
    g.row(0)
        .find_map(|(c, cell)| match RowKey::from_cell(&cell.text) {
            Some(Ok(RowKey::Project { id })) => Some((id, c)),
            _ => None,
        })
}

/// `None` when the workbook is not a dxplan export; the export as it now reads otherwise.
pub fn read_native(file: &Path, wb: &Workbook) -> Result<Option<NativeWorkbook>, ImportError> {
    let meta_sheets: Vec<&Grid> = wb.sheets.iter().filter(|g| is_meta_sheet(g)).collect();
    let project_sheets: Vec<(&Grid, String, u32)> = wb
        .sheets
        .iter()
        .filter_map(|g| project_key(g).map(|(id, c)| (g, id, c)))
        .collect();
    let meta_err = |detail: String| ImportError::NativeMeta {
        file: file.to_path_buf(),
        detail,
    };
    let meta = match meta_sheets.as_slice() {
        [] if project_sheets.is_empty() => return Ok(None),
        [] => {
            return Err(meta_err(
                "非表示シート「_dxplan」がありません / the hidden sheet is missing".into(),
            ))
        }
        [g] => read_meta(g).map_err(|p| meta_err(p.to_string()))?,
        _ => {
            return Err(meta_err(
                "管理シートが複数あります / more than one dxplan sheet".into(),
            ))
        }
    };

    let mut errors: Vec<(String, String)> = Vec::new();
    let mut warnings = Vec::new();
    let mut by_id: HashMap<&str, Vec<(&Grid, u32)>> = HashMap::new();
    for (g, id, c) in &project_sheets {
        if meta.projects.iter().any(|b| &b.id == id) {
            by_id.entry(id.as_str()).or_default().push((g, *c));
        } else {
            errors.push((
                g.at(0, *c),
                format!("この書き出しにない事業のシートです（シートのコピー？）/ sheet of a project not in this export (a copied sheet?): {}", shown(id)),
            ));
        }
    }
    let cx = Ctx {
        units: &meta.org_units,
    };
    let mut projects = Vec::new();
    let mut sheets = Vec::new();
    let mut items = Vec::new();
    let mut owner_cells = Vec::new();
    for base in &meta.projects {
        match by_id.get(base.id.as_str()).map(Vec::as_slice) {
            Some([(g, key_col)]) => {
                let fills_known = g.cells.values().any(|c| c.filled);
                let mut sr = SheetReader { g, fills_known, key_col: *key_col, errors: &mut errors, warnings: &mut warnings, items: &mut items, owner_cells: &mut owner_cells };
                if let Some(p) = sr.read_project(&cx, &base.project) {
                    projects.push(p);
                    sheets.push((base.id.clone(), g.name.clone()));
                }
            }
            Some(several) => {
                let names = several.iter().map(|(g, _)| format!("「{}」", g.name)).collect::<Vec<_>>().join("");
                errors.push((
                    several[0].0.at(0, 0),
                    format!("同じ事業のシートが複数あります {names}。1 枚にしてください / several sheets hold project {} ({names})", base.project.title),
                ));
            }
            None => errors.push((
                format!("「{}」", base.sheet),
                format!("事業「{}」のシートがありません（削除された？）/ the sheet of project {} is missing", base.project.title, base.id),
            )),
        }
    }
    let cover = read_cover(wb);
    if !errors.is_empty() {
        return Err(ImportError::NativeCells {
            file: file.to_path_buf(),
            cells: errors,
        });
    }
    let plan = Plan {
        info: meta.plan.clone(),
        org_units: meta.org_units.clone(),
        policies: meta.policies.clone(),
        measures: meta.measures.clone(),
        projects,
        rollups: Vec::new(),
    };
    Ok(Some(NativeWorkbook {
        meta,
        plan,
        sheets,
        cover,
        warnings,
        items,
        owner_cells,
    }))
}

fn read_cover(wb: &Workbook) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for g in &wb.sheets {
        for ((r, _), cell) in &g.cells {
            if let Some(Ok(RowKey::Cover { field })) = RowKey::from_cell(&cell.text) {
                out.push((field, g.text(*r, 1).to_string()));
            }
        }
    }
    out
}

struct Ctx<'a> {
    units: &'a [OrgUnit],
}

struct SheetReader<'a, 'e> {
    g: &'a Grid,
    /// Exported headers are coloured: a sheet with no coloured cell was saved in a format
    /// (or read by a reader) without fills, so blank schedule bars cannot be seen.
    fills_known: bool,
    key_col: u32,
    errors: &'e mut Vec<(String, String)>,
    warnings: &'e mut Vec<String>,
    items: &'e mut Vec<ItemKey>,
    owner_cells: &'e mut Vec<OwnerCell>,
}

/// The rows of a project sheet's sections that are read year by year, located by their keys.
#[derive(Default)]
struct Located {
    /// Fiscal years and their columns.
    years: Vec<(FiscalYear, u32)>,
    /// Indicator id → its rows.
    units: HashMap<String, u32>,
    targets: HashMap<String, u32>,
    actuals: HashMap<String, u32>,
    /// 事業費 and うち一般財源.
    planned: Option<u32>,
    general: Option<u32>,
    /// Progress rows by field.
    progress: BTreeMap<u8, (ProgressField, u32)>,
}

impl SheetReader<'_, '_> {
    fn err(&mut self, r: u32, c: u32, m: impl Into<String>) {
        self.errors.push((self.g.at(r, c), m.into()));
    }

    fn text(&self, r: u32, c: u32) -> &str {
        self.g.text(r, c)
    }

    /// Whether the id of a row key is in dxplan's form; an error at the key cell if not.
    fn id_ok(&mut self, r: u32, id: &str) -> bool {
        let ok = is_valid_id(id);
        if !ok {
            self.err(
                r,
                self.key_col,
                format!(
                    "非表示列の ID の形式が正しくありません / malformed id in a row key: 「{}」",
                    shown(id)
                ),
            );
        }
        ok
    }

    /// A value cell: the base value when the text is unchanged, else the text read afresh.
    fn value(&self, r: u32, c: u32, base: Option<&Value>) -> Option<Value> {
        let t = self.text(r, c);
        match base {
            Some(b) if same(t, &b.text) => Some(b.clone()),
            None if t.is_empty() => None,
            _ => parse_value(t),
        }
    }

    fn money(&mut self, r: u32, c: u32) -> Option<i64> {
        let cell = self.g.cell(r, c)?;
        if let Some(n) = cell.number {
            return match crate::parse::value::money_from_number(n, &cell.text) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.err(r, c, e.to_string());
                    None
                }
            };
        }
        match parse_money(&cell.text) {
            Ok(m) => m.map(|m| m.thousand_yen),
            Err(e) => {
                let t = cell.text.clone();
                self.err(
                    r,
                    c,
                    format!("金額として読めません / not an amount: 「{t}」 ({e})"),
                );
                None
            }
        }
    }

    fn score(&mut self, r: u32, c: u32) -> Option<u8> {
        let cell = self.g.cell(r, c)?;
        let n = match cell.number {
            Some(n) => Some(n),
            None if is_empty_mark(&cell.text) => return None,
            None => crate::parse::label::normalize_label(&cell.text)
                .parse::<f64>()
                .ok(),
        };
        match n {
            Some(n) if n.fract() == 0.0 && (0.0..=100.0).contains(&n) => Some(n as u8),
            _ => {
                let t = cell.text.clone();
                self.err(
                    r,
                    c,
                    format!(
                        "0～100 の整数ではありません / not a whole number from 0 to 100: 「{t}」"
                    ),
                );
                None
            }
        }
    }

    /// A row of the project's fields (`format::sheet::fields`): its value cell read as the
    /// row says; a changed 担当課 kept to be read again against the plan's units.
    fn read_field(
        &mut self,
        r: u32,
        row: &FieldRow,
        t: String,
        cx: &Ctx<'_>,
        base: &Project,
        p: &mut Project,
    ) {
        match &row.cell {
            FieldCell::Plain { set, .. } => *set(p) = t,
            FieldCell::Score { set, .. } => set(p, self.score(r, 1)),
            FieldCell::Text { read, .. } => match read(&t, base, cx.units, p) {
                Ok(afresh) => {
                    if afresh && row.fields.contains(&ProjectField::Owners) {
                        self.owner_cells.push(OwnerCell {
                            project_id: p.id.clone(),
                            text: t,
                            at: self.g.at(r, 1),
                        });
                    }
                }
                Err(m) => self.err(r, 1, m),
            },
        }
    }

    fn read_project(&mut self, cx: &Ctx<'_>, base: &Project) -> Option<Project> {
        let g = self.g;
        let kc = self.key_col;
        let n_errors = self.errors.len();
        // Rows by key, in sheet order.
        let mut rows: Vec<(u32, RowKey)> = Vec::new();
        // The key column's cells, in row order (one pass over the grid, no lookup per row).
        let key_cells = g.cells.iter().filter(|((_, c), _)| *c == kc);
        for (&(r, _), cell) in key_cells {
            match RowKey::from_cell(&cell.text) {
                Some(Ok(k)) => {
                    let id = match &k {
                        RowKey::Project { id }
                        | RowKey::Policy { id }
                        | RowKey::Measure { id }
                        | RowKey::Task { id }
                        | RowKey::Indicator { id, .. }
                        | RowKey::Unit { id }
                        | RowKey::Target { id }
                        | RowKey::Actual { id } => Some(id.as_str()),
                        _ => None,
                    };
                    if id.is_none_or(|id| self.id_ok(r, id)) {
                        rows.push((r, k));
                    }
                }
                Some(Err(e)) => self.err(
                    r,
                    kc,
                    format!("非表示列の行キーが読めません / unreadable row key: {e}"),
                ),
                None => {}
            }
        }
        let Some(header) = rows
            .iter()
            .find(|(_, k)| *k == RowKey::Header)
            .map(|(r, _)| *r)
        else {
            self.err(
                0,
                0,
                "年度の見出し行がありません / no fiscal-year header row",
            );
            return None;
        };
        // Year columns from the header, the 合計 column after them.
        let mut years: Vec<(FiscalYear, u32)> = Vec::new();
        let mut total_col = None;
        for (c, cell) in g.row(header) {
            if c == 0 || c >= kc {
                continue;
            }
            if cell.text == layout::label::TOTAL {
                total_col = Some(c);
            } else {
                match parse_fiscal_year(&cell.text) {
                    Ok(fy) => years.push((fy, c)),
                    Err(_) => self.err(
                        header,
                        c,
                        format!(
                            "年度として読めません / not a fiscal year: 「{}」",
                            cell.text
                        ),
                    ),
                }
            }
        }
        let Some(tc) = total_col else {
            self.err(
                header,
                kc.saturating_sub(1),
                "「合計」列がありません / no 合計 column",
            );
            return None;
        };

        let id = project_key(g).map(|(id, _)| id).unwrap_or_default();
        let mut p = Project {
            id,
            measure_ids: Vec::new(),
            position: base.position,
            status: base.status,
            ..Project::new("", "")
        };
        let mut loc = Located {
            years,
            ..Located::default()
        };
        let mut footnote_index = 0usize;
        // Indicator and task keys with their cells, in sheet order.
        let mut item_rows: Vec<(ItemKind, String, String)> = Vec::new();
        for (r, key) in rows.clone() {
            let t = self.text(r, 1).to_string();
            if let Some(row) = fields::row(&key) {
                self.read_field(r, row, t, cx, base, &mut p);
                continue;
            }
            match key {
                RowKey::Project { .. }
                | RowKey::Header
                | RowKey::Policy { .. }
                | RowKey::Cover { .. } => {}
                RowKey::ScheduleHeader
                | RowKey::IndicatorHeader
                | RowKey::BudgetHeader
                | RowKey::ProgressHeader
                | RowKey::FootnoteHeader => {}
                RowKey::Code { position } => p.position = position,
                RowKey::Measure { id } => p.measure_ids.push(id),
                RowKey::Task { id } => {
                    item_rows.push((ItemKind::Task, id.clone(), g.at(r, kc)));
                    let bt = base.schedule.iter().find(|x| x.id == id);
                    if let Some(task) = self.read_task(r, id, bt, &loc.years, tc) {
                        p.schedule.push(task);
                    }
                }
                RowKey::Indicator { id, kind } => {
                    item_rows.push((ItemKind::Indicator, id.clone(), g.at(r, kc)));
                    let bi = base.indicators.iter().find(|x| x.id == id);
                    let ct = self.text(r, tc).to_string();
                    let cumulative = match ct.trim() {
                        layout::CUMULATIVE => true,
                        x if is_empty_mark(x) || x == "なし" => false,
                        _ => {
                            self.err(
                                r,
                                tc,
                                format!("「累計」か空欄です / 累計 or blank: 「{ct}」"),
                            );
                            bi.is_some_and(|b| b.cumulative)
                        }
                    };
                    p.indicators.push(Indicator {
                        id,
                        kind,
                        name: t,
                        unit: None,
                        cumulative,
                        values: Vec::new(),
                    });
                }
                RowKey::Unit { id } => {
                    loc.units.insert(id, r);
                }
                RowKey::Target { id } => {
                    loc.targets.insert(id, r);
                }
                RowKey::Actual { id } => {
                    loc.actuals.insert(id, r);
                }
                RowKey::Planned => loc.planned = Some(r),
                RowKey::General => loc.general = Some(r),
                RowKey::Progress { field } => {
                    loc.progress.insert(field as u8, (field, r));
                }
                RowKey::Footnote { field } => {
                    let marker = self.text(r, 0).to_string();
                    let bf = base.footnotes.get(footnote_index);
                    footnote_index += 1;
                    let keep_empty = bf.is_some_and(|b| b.marker.is_empty() && b.text.is_empty());
                    if !(marker.is_empty() && t.is_empty()) || keep_empty {
                        p.footnotes.push(Footnote {
                            marker,
                            field,
                            text: t,
                        });
                    }
                }
                // The project's field rows, read above as `format::sheet::fields` says.
                _ => {}
            }
        }

        // The sections whose rows were located above.
        for section in Section::ALL {
            match section {
                Section::Indicators => self.indicator_values(&loc, &rows, base, &mut p),
                Section::Budget => self.budget(&loc, base, &mut p),
                Section::Progress => self.progress(&loc, base, &mut p),
                _ => {}
            }
        }
        let kept: HashSet<(ItemKind, &str)> = p
            .indicators
            .iter()
            .map(|i| (ItemKind::Indicator, i.id.as_str()))
            .chain(p.schedule.iter().map(|t| (ItemKind::Task, t.id.as_str())))
            .collect();
        for (kind, id, at) in item_rows {
            if kept.contains(&(kind, id.as_str())) {
                self.items.push(ItemKey {
                    project_id: p.id.clone(),
                    kind,
                    id,
                    at,
                });
            }
        }
        (self.errors.len() == n_errors).then_some(p)
    }

    /// Each indicator's unit and values, from the rows located for it; an indicator block
    /// left empty dropped, one whose name alone was cleared refused.
    fn indicator_values(
        &mut self,
        loc: &Located,
        rows: &[(u32, RowKey)],
        base: &Project,
        p: &mut Project,
    ) {
        // Indicator units and values.
        for ind in &mut p.indicators {
            let bi = base.indicators.iter().find(|x| x.id == ind.id);
            if let Some(&r) = loc.units.get(&ind.id) {
                let t = self.g.text(r, 1);
                let b = bi.and_then(|b| b.unit.clone());
                ind.unit = if same(t, b.as_deref().unwrap_or("")) {
                    b
                } else if t.trim().is_empty() {
                    None
                } else {
                    Some(t.trim().to_string())
                };
            }
            for &(fy, c) in &loc.years {
                let be = bi.and_then(|b| b.values.iter().find(|v| v.fiscal_year == fy));
                let target = loc
                    .targets
                    .get(&ind.id)
                    .and_then(|&r| self.value(r, c, be.and_then(|v| v.target.as_ref())));
                let actual = loc
                    .actuals
                    .get(&ind.id)
                    .and_then(|&r| self.value(r, c, be.and_then(|v| v.actual.as_ref())));
                if target.is_some() || actual.is_some() || be.is_some() {
                    ind.values.push(IndicatorValue {
                        fiscal_year: fy,
                        target,
                        actual,
                    });
                }
            }
        }

        // An indicator block left or made empty (name, unit, every target and actual, 累計)
        // is no indicator: a spare block, or one the department removed as the cover says.
        // A block whose name alone was cleared would leave a nameless indicator: refused.
        let mut nameless = Vec::new();
        p.indicators.retain(|i| {
            let no_values = i
                .values
                .iter()
                .all(|v| v.target.is_none() && v.actual.is_none());
            let no_name = i.name.trim().is_empty();
            if no_name && !(no_values && i.unit.is_none() && !i.cumulative) {
                if base.indicators.iter().any(|b| b.id == i.id) {
                    nameless.push(i.id.clone());
                }
                return true;
            }
            !no_name
        });
        for id in nameless {
            if let Some(&(r, _)) = rows
                .iter()
                .find(|(_, k)| matches!(k, RowKey::Indicator { id: x, .. } if *x == id))
            {
                self.err(r, 1, "指標名が空欄です。指標を削除するときは、指標名・単位・目標・実績・累計をすべて空欄にしてください / the indicator name is blank: to remove an indicator, clear its name, unit, targets, actuals and 累計");
            }
        }
    }

    /// 事業費 and うち一般財源 of each year.
    fn budget(&mut self, loc: &Located, base: &Project, p: &mut Project) {
        // Budget.
        for &(fy, c) in &loc.years {
            let planned = loc.planned.and_then(|r| self.money(r, c));
            let general = loc.general.and_then(|r| self.money(r, c));
            let had = base.budget.iter().any(|b| b.fiscal_year == fy);
            if planned.is_some() || general.is_some() || had {
                p.budget.push(BudgetYear {
                    fiscal_year: fy,
                    planned_thousand_yen: planned,
                    general_revenue_thousand_yen: general,
                });
            }
        }
    }

    /// Each year's progress texts.
    fn progress(&self, loc: &Located, base: &Project, p: &mut Project) {
        // Progress.
        for &(fy, c) in &loc.years {
            let mut pr = Progress {
                fiscal_year: fy,
                status: String::new(),
                achievements: String::new(),
                issues: String::new(),
                remedies: String::new(),
                evaluation: String::new(),
            };
            for (f, r) in loc.progress.values() {
                *f.of_mut(&mut pr) = self.g.text(*r, c).to_string();
            }
            let empty = ProgressField::ALL.iter().all(|f| f.of(&pr).is_empty());
            if !empty || base.progress.iter().any(|b| b.fiscal_year == fy) {
                p.progress.push(pr);
            }
        }
    }

    fn read_task(
        &mut self,
        r: u32,
        id: String,
        base: Option<&Task>,
        years: &[(FiscalYear, u32)],
        tc: u32,
    ) -> Option<Task> {
        let g = self.g;
        let name = g.text(r, 0).to_string();
        let fills_known = self.fills_known;
        let mut marked: Vec<FiscalYear> = Vec::new();
        let mut phases: BTreeMap<FiscalYear, String> = BTreeMap::new();
        for &(fy, c) in years {
            let t = g.text(r, c);
            let filled = g.filled(r, c);
            if filled || !t.trim().is_empty() {
                marked.push(fy);
            }
            if !t.trim().is_empty() && !layout::is_bar_mark(t) {
                phases.insert(fy, t.to_string());
            }
        }
        let ct = g.text(r, tc);
        // A spare row (keyed at export for additions) left empty, or a task the department
        // removed as the cover says: the name, every year's text and 確度 cleared. A bar's
        // colour left behind is no task (the Delete key clears contents, not colours).
        let no_text = years.iter().all(|&(_, c)| g.text(r, c).trim().is_empty());
        if name.trim().is_empty() && no_text && ct.trim().is_empty() {
            return None;
        }
        if name.trim().is_empty() {
            self.err(r, 0, "工程名が空欄です。工程を削除するときは、工程名・年度の文字・確度をすべて空欄にしてください / the task name is blank: to remove a task, clear its name, the text of its years and 確度");
            return None;
        }
        let confirmed = match ct.trim() {
            layout::CONFIRMED => true,
            layout::INFERRED | "" => false,
            _ => {
                self.err(
                    r,
                    tc,
                    format!("「確定」か「推定」です / 確定 or 推定: 「{ct}」"),
                );
                return None;
            }
        };
        // What the base task looks like on the sheet.
        if let Some(b) = base {
            let b_phases: BTreeMap<FiscalYear, String> = b
                .phases
                .iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(k, v)| (*k, v.clone()))
                .collect();
            let b_marked: Vec<FiscalYear> = years
                .iter()
                .map(|(fy, _)| *fy)
                .filter(|fy| (b.start_fy..=b.end_fy).contains(fy) || b_phases.contains_key(fy))
                .collect();
            let same_years = if fills_known {
                marked == b_marked
            } else {
                marked.iter().all(|fy| b_marked.contains(fy))
            };
            if name == b.name && phases == b_phases && same_years && confirmed == b.confirmed {
                if !fills_known && marked != b_marked {
                    self.warnings.push(format!(
                        "{}: 色の情報がない形式のため、工程の年度は書き出し時のまま / no cell colours in this format: task years kept as exported",
                        g.at(r, 0)
                    ));
                }
                return Some(b.clone());
            }
        }
        let (Some(&start_fy), Some(&end_fy)) = (marked.first(), marked.last()) else {
            if let (false, Some(b)) = (fills_known, base) {
                self.warnings.push(format!("{}: 色の情報がない形式のため、工程の年度は書き出し時のまま / task years kept as exported", g.at(r, 0)));
                return Some(Task {
                    id,
                    name,
                    start_fy: b.start_fy,
                    end_fy: b.end_fy,
                    phases,
                    confirmed,
                });
            }
            self.err(r, 0, "工程の年度がありません。実施年度のセルに工程名か「●」を記入してください / no year marked for this task");
            return None;
        };
        if (end_fy - start_fy + 1) as usize != marked.len() {
            self.warnings.push(format!("{}: 工程の年度が飛んでいるため {start_fy}～{end_fy} 年度として読みました / gap in task years, read as one span", g.at(r, 0)));
        }
        Some(Task {
            id,
            name,
            start_fy,
            end_fy,
            phases,
            confirmed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, name: &str, closed: bool) -> OrgUnit {
        OrgUnit {
            id: id.into(),
            name: name.into(),
            parent_id: None,
            valid_from_fy: None,
            valid_to_fy: closed.then_some(2024),
        }
    }

    fn read(text: &str) -> (Vec<(String, bool)>, String, Vec<String>) {
        let units = vec![
            unit("a", "市民課", false),
            unit("b", "情報政策課", false),
            unit("c", "防災安全課", false),
            unit("old", "防災安全課", true),
            unit("d", "子ども・子育て課", false),
        ];
        let r = OwnerCell {
            project_id: "p".into(),
            text: text.into(),
            at: "S!B9".into(),
        }
        .read(&units);
        (
            r.owners
                .iter()
                .map(|o| (o.unit_id.clone(), o.role == crate::model::OwnerRole::Lead))
                .collect(),
            r.note,
            r.unknown,
        )
    }

    proptest::proptest! {
        /// Any text typed into 担当課 reads without a panic; unknown names hold no separator
        /// and the owners are units of the plan, once each.
        #[test]
        fn any_owner_text_reads(parts in proptest::collection::vec(
            proptest::sample::select(vec!["市民課", "防災安全課", "未来創造課", "、", "，", " ", "　", "ほか", "等", "課", "x", "・"]),
            0..12,
        )) {
            let text = parts.concat();
            let (o, _, unknown) = read(&text);
            let mut ids: Vec<&String> = o.iter().map(|(id, _)| id).collect();
            ids.sort();
            ids.dedup();
            proptest::prop_assert_eq!(ids.len(), o.len());
            proptest::prop_assert!(o.iter().filter(|(_, lead)| *lead).count() <= 1);
            for u in unknown {
                proptest::prop_assert!(!u.contains(layout::OWNER_SEPARATORS));
            }
        }
    }

    #[test]
    fn owners_are_read_against_every_unit_of_the_plan() {
        // A unit added after a 「、」 is a co-owner, not note text; the open unit of a name
        // wins over a closed one.
        let (o, note, unknown) = read("市民課、情報政策課、防災安全課");
        assert_eq!(
            o,
            [("a".into(), true), ("b".into(), false), ("c".into(), false)]
        );
        assert_eq!((note.as_str(), unknown.len()), ("", 0));
        // An unknown unit is reported and kept out of the note; 「ほか」 stays the note.
        let (o, note, unknown) = read("市民課、未来創造課ほか");
        assert_eq!(o.len(), 1);
        assert_eq!(note, "ほか");
        assert_eq!(unknown, ["未来創造課"]);
        // A unit after an unknown one is still an owner.
        let (o, _, unknown) = read("市民課，未来創造課，情報政策課");
        assert_eq!(o.len(), 2);
        assert_eq!(unknown, ["未来創造課"]);
        // Names holding a separator, notes as written.
        let (o, note, _) = read("子ども・子育て課、ほか");
        assert_eq!(o, [("d".into(), true)]);
        assert_eq!(note, "、ほか");
        let (o, note, unknown) = read("市民課、未来創造課　、防災安全課 ");
        assert_eq!(o.len(), 2);
        assert_eq!(
            (note.as_str(), unknown.as_slice()),
            ("", ["未来創造課".to_string()].as_slice())
        );
        let (o, note, unknown) = read("未定");
        assert!(o.is_empty() && unknown.is_empty());
        assert_eq!(note, "未定");
    }
}
