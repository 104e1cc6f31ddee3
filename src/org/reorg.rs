//! `dxplan reorg`: an April reorganisation. Units are renamed, merged, split, opened and
//! abolished from a fiscal year; the old unit rows stay (closed at the year before) so last
//! year's papers keep their names; owners move to the new units, every move logged; which
//! unit carries which unit's work is recorded (`store::units`). All in one transaction, and a
//! step given again is recognised and skipped.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::Serialize;

use super::table::{read_table, split_names, Column};
use super::OrgError;
use crate::model::{new_id, FiscalYear, Id, OrgUnit, Owner, OwnerRole};
use crate::parse::label::normalize_label;
use crate::parse::value::is_empty_mark;
use crate::store::units::{ReorgKind, ReorgRecord};
use crate::store::{OpInfo, OpKind, Store, StoreError, Writer};

/// One step of a reorganisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReorgStep {
    pub kind: ReorgKind,
    pub from: Vec<String>,
    pub to: Vec<String>,
    /// Where the step was given: 「--rename 情報政策課=デジタル推進課」, 「組織改正.csv!A3」.
    pub origin: String,
}

fn norm(s: &str) -> String {
    normalize_label(s)
}

fn bad(at: impl Into<String>, message: impl Into<String>) -> OrgError {
    OrgError::Bad {
        at: at.into(),
        message: message.into(),
    }
}

/// `旧=新` of a command-line step, with the counts each kind needs.
fn step_arg(flag: &str, kind: ReorgKind, arg: &str) -> Result<ReorgStep, OrgError> {
    let origin = format!("--{flag} {arg}");
    let (from, to) = match kind {
        ReorgKind::New => (Vec::new(), split_names(arg)),
        ReorgKind::Abolish => (split_names(arg), Vec::new()),
        _ => {
            let (a, b) = arg.split_once(['=', '＝']).ok_or_else(|| {
                bad(
                    &origin,
                    "「旧=新」の形で指定してください / write it as OLD=NEW",
                )
            })?;
            (split_names(a), split_names(b))
        }
    };
    let ok = match kind {
        ReorgKind::Rename => from.len() == 1 && to.len() == 1,
        ReorgKind::Merge => from.len() >= 2 && to.len() == 1,
        ReorgKind::Split => from.len() == 1 && to.len() >= 2,
        ReorgKind::New => to.len() == 1,
        ReorgKind::Abolish => from.len() == 1,
    };
    if !ok {
        return Err(bad(
            &origin,
            match kind {
                ReorgKind::Rename => "名称変更は「旧課名=新課名」です / --rename OLD=NEW",
                ReorgKind::Merge => {
                    "統合は「旧課A,旧課B=新課名」（旧組織は 2 つ以上）です / --merge A,B=C"
                }
                ReorgKind::Split => {
                    "分割は「旧課名=新課A,新課B」（新組織は 2 つ以上）です / --split A=B,C"
                }
                ReorgKind::New => "新設は組織名 1 つです / --new NAME",
                ReorgKind::Abolish => "廃止は組織名 1 つです / --abolish NAME",
            },
        ));
    }
    Ok(ReorgStep {
        kind,
        from,
        to,
        origin,
    })
}

pub fn rename_arg(arg: &str) -> Result<ReorgStep, OrgError> {
    step_arg("rename", ReorgKind::Rename, arg)
}
pub fn merge_arg(arg: &str) -> Result<ReorgStep, OrgError> {
    step_arg("merge", ReorgKind::Merge, arg)
}
pub fn split_arg(arg: &str) -> Result<ReorgStep, OrgError> {
    step_arg("split", ReorgKind::Split, arg)
}
pub fn new_arg(arg: &str) -> Result<ReorgStep, OrgError> {
    step_arg("new", ReorgKind::New, arg)
}
pub fn abolish_arg(arg: &str) -> Result<ReorgStep, OrgError> {
    step_arg("abolish", ReorgKind::Abolish, arg)
}

const OLD_LABELS: &[&str] = &["旧組織", "旧組織名", "旧所属", "改正前", "変更前", "旧"];
const NEW_LABELS: &[&str] = &["新組織", "新組織名", "新所属", "改正後", "変更後", "新"];
const KIND_LABELS: &[&str] = &["種別", "区分", "改正内容", "内容", "種類"];

enum KindCell {
    Blank,
    Unchanged,
    Kind(ReorgKind),
    Unknown,
}

fn kind_cell(text: &str) -> KindCell {
    let t = norm(text);
    if t.is_empty() || is_empty_mark(text) {
        return KindCell::Blank;
    }
    let has = |words: &[&str]| words.iter().any(|w| t.contains(&norm(w)));
    if has(&["変更なし", "存続", "継続", "異動なし"]) {
        KindCell::Unchanged
    } else if has(&["名称変更", "改称", "名称の変更", "名称"]) {
        KindCell::Kind(ReorgKind::Rename)
    } else if has(&["統合", "統廃合", "合併", "併合", "再編"]) {
        KindCell::Kind(ReorgKind::Merge)
    } else if has(&["分割", "分離", "分課"]) {
        KindCell::Kind(ReorgKind::Split)
    } else if has(&["新設"]) {
        KindCell::Kind(ReorgKind::New)
    } else if has(&["廃止"]) {
        KindCell::Kind(ReorgKind::Abolish)
    } else {
        KindCell::Unknown
    }
}

/// The steps of a 旧組織 / 新組織 / 種別 table, as personnel sections circulate it: one row per
/// old → new pair (a merge is several rows with one 新組織, a split several rows with one 旧組織);
/// a blank 種別 is read from the shape of the rows; units listed as unchanged are skipped.
pub fn steps_from_table(path: &Path) -> Result<Vec<ReorgStep>, OrgError> {
    let t = read_table(
        path,
        &[
            Column {
                labels: OLD_LABELS,
                required: true,
            },
            Column {
                labels: NEW_LABELS,
                required: true,
            },
            Column {
                labels: KIND_LABELS,
                required: false,
            },
        ],
    )?;
    let file = path.display().to_string();
    let at = |r: &str| format!("「{file}」{r}");
    struct Line {
        old: Vec<String>,
        new: Vec<String>,
        kind: Option<ReorgKind>,
        at: String,
    }
    let names = |s: &str| {
        if is_empty_mark(s) {
            Vec::new()
        } else {
            split_names(s)
        }
    };
    let mut lines = Vec::new();
    for row in &t.rows {
        let (old, new) = (names(&row.cells[0]), names(&row.cells[1]));
        let kind = match kind_cell(&row.cells[2]) {
            KindCell::Unchanged => continue,
            KindCell::Unknown => {
                return Err(bad(
                    at(&row.refs[2]),
                    format!(
                        "種別「{}」が読めません（名称変更・統合・分割・新設・廃止） / unknown kind",
                        row.cells[2]
                    ),
                ))
            }
            KindCell::Blank => None,
            KindCell::Kind(k) => Some(k),
        };
        if old.is_empty() && new.is_empty() {
            continue;
        }
        if kind.is_none() && old.len() == 1 && new.len() == 1 && norm(&old[0]) == norm(&new[0]) {
            continue;
        }
        lines.push(Line {
            old,
            new,
            kind,
            at: at(&row.at),
        });
    }
    // A blank 種別 from the shape: several rows into one new unit are a merge, one old unit into
    // several rows a split.
    let same_new = |l: &Line, lines: &[Line]| {
        lines
            .iter()
            .filter(|m| m.new.len() == 1 && l.new.len() == 1 && norm(&m.new[0]) == norm(&l.new[0]))
            .count()
    };
    let same_old = |l: &Line, lines: &[Line]| {
        lines
            .iter()
            .filter(|m| m.old.len() == 1 && l.old.len() == 1 && norm(&m.old[0]) == norm(&l.old[0]))
            .count()
    };
    let inferred: Vec<ReorgKind> = lines
        .iter()
        .map(|l| match l.kind {
            Some(k) => k,
            None if l.old.is_empty() => ReorgKind::New,
            None if l.new.is_empty() => ReorgKind::Abolish,
            None if l.old.len() > 1 || same_new(l, &lines) > 1 => ReorgKind::Merge,
            None if l.new.len() > 1 || same_old(l, &lines) > 1 => ReorgKind::Split,
            None => ReorgKind::Rename,
        })
        .collect();
    let mut steps: Vec<ReorgStep> = Vec::new();
    let push_unique = |v: &mut Vec<String>, names: &[String]| {
        for n in names {
            if !v.iter().any(|x| norm(x) == norm(n)) {
                v.push(n.clone());
            }
        }
    };
    for (l, kind) in lines.iter().zip(inferred) {
        let need = |ok: bool, m: &str| if ok { Ok(()) } else { Err(bad(&l.at, m)) };
        match kind {
            ReorgKind::Rename => {
                need(
                    l.old.len() == 1 && l.new.len() == 1,
                    "名称変更は旧組織 1 つと新組織 1 つです / a rename has one old and one new unit",
                )?;
                steps.push(ReorgStep {
                    kind,
                    from: l.old.clone(),
                    to: l.new.clone(),
                    origin: l.at.clone(),
                });
            }
            ReorgKind::New => {
                need(
                    !l.new.is_empty(),
                    "新設する組織名がありません / no new unit",
                )?;
                for n in &l.new {
                    steps.push(ReorgStep {
                        kind,
                        from: Vec::new(),
                        to: vec![n.clone()],
                        origin: l.at.clone(),
                    });
                }
            }
            ReorgKind::Abolish => {
                need(
                    !l.old.is_empty(),
                    "廃止する組織名がありません / no unit to abolish",
                )?;
                for n in &l.old {
                    steps.push(ReorgStep {
                        kind,
                        from: vec![n.clone()],
                        to: Vec::new(),
                        origin: l.at.clone(),
                    });
                }
            }
            ReorgKind::Merge => {
                need(
                    l.new.len() == 1 && !l.old.is_empty(),
                    "統合先の新組織は 1 つです / a merge has one new unit",
                )?;
                match steps
                    .iter_mut()
                    .find(|s| s.kind == ReorgKind::Merge && norm(&s.to[0]) == norm(&l.new[0]))
                {
                    Some(s) => push_unique(&mut s.from, &l.old),
                    None => steps.push(ReorgStep {
                        kind,
                        from: l.old.clone(),
                        to: l.new.clone(),
                        origin: l.at.clone(),
                    }),
                }
            }
            ReorgKind::Split => {
                need(
                    l.old.len() == 1 && !l.new.is_empty(),
                    "分割する旧組織は 1 つです / a split has one old unit",
                )?;
                match steps
                    .iter_mut()
                    .find(|s| s.kind == ReorgKind::Split && norm(&s.from[0]) == norm(&l.old[0]))
                {
                    Some(s) => push_unique(&mut s.to, &l.new),
                    None => steps.push(ReorgStep {
                        kind,
                        from: l.old.clone(),
                        to: l.new.clone(),
                        origin: l.at.clone(),
                    }),
                }
            }
        }
    }
    for s in &steps {
        if s.kind == ReorgKind::Merge && s.from.len() < 2 {
            return Err(bad(
                &s.origin,
                format!(
                    "統合には旧組織が 2 つ以上必要です（1 つなら名称変更）: {} / a merge needs two or more old units",
                    s.to[0]
                ),
            ));
        }
        if s.kind == ReorgKind::Split && s.to.len() < 2 {
            return Err(bad(
                &s.origin,
                format!(
                    "分割には新組織が 2 つ以上必要です（1 つなら名称変更）: {} / a split needs two or more new units",
                    s.from[0]
                ),
            ));
        }
    }
    Ok(steps)
}

/// A split's or abolition's new owners: project (code or title) or child unit → unit(s).
#[derive(Debug, Clone)]
pub struct Assignment {
    pub key: String,
    pub units: Vec<String>,
    pub at: String,
}

#[derive(Debug, Clone, Default)]
pub struct Assignments(pub Vec<Assignment>);

impl Assignments {
    /// Reads an --assign table: a column of project codes or titles (or unit names, for the
    /// units below a split one) and a column of the new units.
    pub fn read(path: &Path) -> Result<Assignments, OrgError> {
        let t = read_table(
            path,
            &[
                Column {
                    labels: &[
                        "事業コード",
                        "コード",
                        "事業",
                        "事業名",
                        "取組名",
                        "個別事業",
                        "取組",
                        "アクション",
                        "事業・組織",
                        "対象",
                    ],
                    required: true,
                },
                Column {
                    labels: &[
                        "新組織",
                        "新担当課",
                        "担当課",
                        "新所属",
                        "所管課",
                        "課名",
                        "組織",
                    ],
                    required: true,
                },
            ],
        )?;
        let file = path.display().to_string();
        Ok(Assignments(
            t.rows
                .into_iter()
                .filter(|r| !r.cells[0].is_empty())
                .map(|r| Assignment {
                    key: r.cells[0].clone(),
                    units: split_names(&r.cells[1]),
                    at: format!("「{file}」{}", r.refs[1]),
                })
                .collect(),
        ))
    }

    fn find(&self, keys: &[&str]) -> Option<(usize, &Assignment)> {
        let keys: Vec<String> = keys.iter().map(|k| norm(k)).collect();
        self.0
            .iter()
            .enumerate()
            .find(|(_, a)| keys.contains(&norm(&a.key)))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StepOutcome {
    pub step: ReorgStep,
    /// Recorded already for this fiscal year (the command was run before): skipped.
    pub already_applied: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct MovedProject {
    pub project_id: Id,
    pub code: String,
    pub title: String,
    /// Owner names before and after, lead first.
    pub from: Vec<String>,
    pub to: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReorgReport {
    pub fiscal_year: FiscalYear,
    pub dry_run: bool,
    pub steps: Vec<StepOutcome>,
    /// Units opened and closed (closed at the year before), by name.
    pub opened: Vec<String>,
    pub closed: Vec<String>,
    /// (unit, its new parent).
    pub reparented: Vec<(String, String)>,
    pub moved: Vec<MovedProject>,
    /// --assign rows no project or unit needed, as `file!cell: key`.
    pub unused_assignments: Vec<String>,
}

impl ReorgReport {
    pub fn changed(&self) -> bool {
        self.steps.iter().any(|s| !s.already_applied)
    }
}

const ROLLBACK: &str = "(reorg rolled back)";

/// Applies the steps from fiscal year `fy` in one transaction (`dry_run`: reports, writes
/// nothing). Steps recorded before for the same year are skipped; a step on a unit that was
/// already reorganised, a name that exists, or a split's project without an assignment stops
/// everything with the plan unchanged.
pub fn apply(
    store: &mut Store,
    fy: FiscalYear,
    steps: &[ReorgStep],
    assign: Option<&Assignments>,
    dry_run: bool,
) -> Result<ReorgReport, OrgError> {
    let mut op = OpInfo::new(OpKind::Reorg).source("reorg");
    op.summary = format!(
        "{fy}年度 組織改正: {}",
        steps
            .iter()
            .map(|s| s.origin.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    );
    let mut failure: Option<OrgError> = None;
    let mut kept: Option<ReorgReport> = None;
    let result = store.write(op, |w| match run(w, fy, steps, assign) {
        Ok(mut report) => {
            report.dry_run = dry_run;
            if dry_run || !report.changed() {
                kept = Some(report);
                Err(StoreError::Invalid(ROLLBACK.into()))
            } else {
                Ok(report)
            }
        }
        Err(e) => {
            failure = Some(e);
            Err(StoreError::Invalid(ROLLBACK.into()))
        }
    });
    match (result, failure, kept) {
        (Ok(report), _, _) => Ok(report),
        (Err(_), Some(e), _) => Err(e),
        (Err(StoreError::Invalid(m)), None, Some(report)) if m == ROLLBACK => Ok(report),
        (Err(e), _, _) => Err(e.into()),
    }
}

/// What happens to the projects and child units of a unit a step closes or splits.
enum Move {
    /// Everything goes to one unit (rename, merge).
    To(Id),
    /// Each project is assigned; `allowed`: the units it may go to (None: any valid unit).
    Assigned {
        allowed: Option<Vec<Id>>,
        /// The unit stays open (a split keeping its name): unassigned child units stay.
        continues: bool,
    },
}

struct State {
    fy: FiscalYear,
    units: Vec<OrgUnit>,
    /// Owners of each project of the plan, in plan order, as the steps leave them.
    owners: Vec<Vec<Owner>>,
    unassigned: Vec<String>,
    used: BTreeSet<usize>,
    reparented: Vec<(Id, Id)>,
}

impl State {
    fn unit(&self, id: &str) -> Option<&OrgUnit> {
        self.units.iter().find(|u| u.id == id)
    }

    fn name(&self, id: &str) -> String {
        self.unit(id)
            .map_or_else(|| id.to_string(), |u| u.name.clone())
    }

    /// The unit a step starts from: valid in `fy` and not opened in it.
    fn source(&self, name: &str, records: &[ReorgRecord]) -> Result<usize, OrgError> {
        let fy = self.fy;
        let same: Vec<usize> = (0..self.units.len())
            .filter(|&i| norm(&self.units[i].name) == norm(name))
            .collect();
        let ok: Vec<usize> = same
            .iter()
            .copied()
            .filter(|&i| {
                let u = &self.units[i];
                u.valid_in(fy) && u.valid_from_fy.is_none_or(|f| f < fy)
            })
            .collect();
        match ok.as_slice() {
            [i] => return Ok(*i),
            [_, _, ..] => {
                return Err(bad(
                    format!("組織「{name}」"),
                    "同じ名前の組織が複数あります / more than one unit of this name",
                ))
            }
            [] => {}
        }
        let at = format!("組織「{name}」");
        if same
            .iter()
            .any(|&i| self.units[i].valid_from_fy == Some(fy))
        {
            return Err(bad(at, format!("{fy}年度に新設された組織です。同じ年度にもう一度改組することはできません / this unit opens in FY{fy} and cannot be reorganised in the same year")));
        }
        if let Some(to) = same.iter().filter_map(|&i| self.units[i].valid_to_fy).max() {
            let next: Vec<String> = records
                .iter()
                .filter(|r| r.fy == to + 1 && r.from.iter().any(|f| norm(f) == norm(name)))
                .flat_map(|r| r.to.clone())
                .collect();
            let now = if next.is_empty() {
                String::new()
            } else {
                format!("（{}）", next.join("、"))
            };
            return Err(bad(at, format!("{}年度の組織改正で既に改組されています{now}。{fy}年度の組織名で指定してください / already reorganised in FY{}", to + 1, to + 1)));
        }
        if let Some(from) = same
            .iter()
            .filter_map(|&i| self.units[i].valid_from_fy)
            .min()
        {
            return Err(bad(
                at,
                format!("{from}年度からの組織です / this unit exists from FY{from}"),
            ));
        }
        let valid: Vec<&str> = self
            .units
            .iter()
            .filter(|u| u.valid_in(fy))
            .map(|u| u.name.as_str())
            .collect();
        Err(bad(
            at,
            format!(
                "{fy}年度の計画にない組織です。指定できる組織: {} / no such unit in FY{fy}",
                valid.join("、")
            ),
        ))
    }

    /// A new name must not be taken by a unit valid in `fy` (`except`: a unit that continues).
    fn free(&self, name: &str, except: Option<usize>) -> Result<(), OrgError> {
        let taken = (0..self.units.len()).any(|i| {
            Some(i) != except
                && self.units[i].valid_in(self.fy)
                && norm(&self.units[i].name) == norm(name)
        });
        if taken {
            return Err(bad(
                format!("組織「{name}」"),
                format!(
                    "{}年度に同じ名前の組織が既にあります / a unit of this name exists in FY{}",
                    self.fy, self.fy
                ),
            ));
        }
        Ok(())
    }

    fn open(&mut self, name: &str, parent_id: Option<Id>) -> Id {
        let id = new_id();
        self.units.push(OrgUnit {
            id: id.clone(),
            name: name.trim().to_string(),
            parent_id,
            valid_from_fy: Some(self.fy),
            valid_to_fy: None,
        });
        id
    }

    fn close(&mut self, i: usize) {
        self.units[i].valid_to_fy = Some(self.fy - 1);
    }

    /// Replaces unit `from` by `to` (first in its role, the others as co-owners) in one
    /// project's owners; a unit named twice keeps its first place and the lead role if either
    /// had it.
    fn replace(owners: &[Owner], from: &str, to: &[Id]) -> Vec<Owner> {
        let mut out: Vec<Owner> = Vec::new();
        for o in owners {
            let new: Vec<Owner> = if o.unit_id == from {
                to.iter()
                    .enumerate()
                    .map(|(k, t)| Owner {
                        unit_id: t.clone(),
                        role: if k == 0 { o.role } else { OwnerRole::Co },
                    })
                    .collect()
            } else {
                vec![o.clone()]
            };
            for n in new {
                match out.iter_mut().find(|x| x.unit_id == n.unit_id) {
                    Some(x) if n.role == OwnerRole::Lead => x.role = OwnerRole::Lead,
                    Some(_) => {}
                    None => out.push(n),
                }
            }
        }
        out.sort_by_key(|o| o.role != OwnerRole::Lead);
        out
    }

    /// Units named by an assignment, each valid in `fy` and allowed.
    fn assigned_units(
        &self,
        a: &Assignment,
        allowed: &Option<Vec<Id>>,
    ) -> Result<Vec<Id>, OrgError> {
        if a.units.is_empty() {
            return Err(bad(&a.at, "新しい担当課がありません / no unit given"));
        }
        a.units
            .iter()
            .map(|n| {
                let found = self.units.iter().find(|u| {
                    u.valid_in(self.fy)
                        && norm(&u.name) == norm(n)
                        && allowed.as_ref().is_none_or(|ids| ids.contains(&u.id))
                });
                found.map(|u| u.id.clone()).ok_or_else(|| {
                    let choices = match allowed {
                        Some(ids) => ids.iter().map(|i| self.name(i)).collect::<Vec<_>>(),
                        None => self
                            .units
                            .iter()
                            .filter(|u| u.valid_in(self.fy))
                            .map(|u| u.name.clone())
                            .collect(),
                    };
                    bad(
                        &a.at,
                        format!(
                            "「{n}」には割り当てられません。指定できる組織: {} / not a unit this can go to",
                            choices.join("、")
                        ),
                    )
                })
            })
            .collect()
    }
}

fn same_names(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| norm(x) == norm(y))
}

fn run(
    w: &mut Writer<'_>,
    fy: FiscalYear,
    steps: &[ReorgStep],
    assign: Option<&Assignments>,
) -> Result<ReorgReport, OrgError> {
    let plan = w.load_plan()?;
    let records = w.reorgs()?;
    let codes: HashMap<Id, String> = crate::report::dump::project_codes(&plan)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let no_assign = Assignments::default();
    let assign = assign.unwrap_or(&no_assign);
    let mut st = State {
        fy,
        units: plan.org_units.clone(),
        owners: plan.projects.iter().map(|p| p.owners.clone()).collect(),
        unassigned: Vec::new(),
        used: BTreeSet::new(),
        reparented: Vec::new(),
    };
    let mut report = ReorgReport {
        fiscal_year: fy,
        dry_run: false,
        steps: Vec::new(),
        opened: Vec::new(),
        closed: Vec::new(),
        reparented: Vec::new(),
        moved: Vec::new(),
        unused_assignments: Vec::new(),
    };
    let mut applied: Vec<(&ReorgStep, Vec<(Id, Id)>)> = Vec::new();
    for step in steps {
        let done_before = records.iter().any(|r| {
            r.fy == fy
                && r.kind == step.kind
                && same_names(&r.from, &step.from)
                && same_names(&r.to, &step.to)
        }) || applied.iter().any(|(s, _)| {
            s.kind == step.kind && same_names(&s.from, &step.from) && same_names(&s.to, &step.to)
        });
        if done_before {
            report.steps.push(StepOutcome {
                step: step.clone(),
                already_applied: true,
            });
            continue;
        }
        let srcs: Vec<usize> = step
            .from
            .iter()
            .map(|n| st.source(n, &records))
            .collect::<Result<_, _>>()?;
        let mut pairs: Vec<(Id, Id)> = Vec::new();
        let mut moves: Vec<(Id, Move)> = Vec::new();
        match step.kind {
            ReorgKind::Rename => {
                let a = srcs[0];
                if norm(&st.units[a].name) == norm(&step.to[0]) {
                    return Err(bad(
                        &step.origin,
                        "新しい名前が今の名前と同じです / the new name is the old name",
                    ));
                }
                st.free(&step.to[0], None)?;
                let parent = st.units[a].parent_id.clone();
                let b = st.open(&step.to[0], parent);
                st.close(a);
                let a_id = st.units[a].id.clone();
                pairs.push((a_id.clone(), b.clone()));
                moves.push((a_id, Move::To(b)));
            }
            ReorgKind::Merge => {
                let continuing = srcs
                    .iter()
                    .copied()
                    .find(|&i| norm(&st.units[i].name) == norm(&step.to[0]));
                let c = match continuing {
                    Some(i) => st.units[i].id.clone(),
                    None => {
                        st.free(&step.to[0], None)?;
                        let parent = st.units[srcs[0]].parent_id.clone();
                        st.open(&step.to[0], parent)
                    }
                };
                for &i in &srcs {
                    if Some(i) == continuing {
                        continue;
                    }
                    st.close(i);
                    let id = st.units[i].id.clone();
                    pairs.push((id.clone(), c.clone()));
                    moves.push((id, Move::To(c.clone())));
                }
            }
            ReorgKind::Split => {
                let a = srcs[0];
                let a_id = st.units[a].id.clone();
                let parent = st.units[a].parent_id.clone();
                let mut targets = Vec::new();
                let mut continues = false;
                for n in &step.to {
                    if norm(n) == norm(&st.units[a].name) {
                        continues = true;
                        targets.push(a_id.clone());
                    } else {
                        st.free(n, Some(a))?;
                        let t = st.open(n, parent.clone());
                        pairs.push((a_id.clone(), t.clone()));
                        targets.push(t);
                    }
                }
                if !continues {
                    st.close(a);
                }
                moves.push((
                    a_id,
                    Move::Assigned {
                        allowed: Some(targets),
                        continues,
                    },
                ));
            }
            ReorgKind::New => {
                st.free(&step.to[0], None)?;
                st.open(&step.to[0], None);
            }
            ReorgKind::Abolish => {
                let a = srcs[0];
                st.close(a);
                moves.push((
                    st.units[a].id.clone(),
                    Move::Assigned {
                        allowed: None,
                        continues: false,
                    },
                ));
            }
        }
        for (from, mv) in moves {
            carry(&mut st, &plan, &codes, assign, &from, &mv)?;
        }
        report.steps.push(StepOutcome {
            step: step.clone(),
            already_applied: false,
        });
        applied.push((step, pairs));
    }
    if !st.unassigned.is_empty() {
        return Err(OrgError::Unassigned(st.unassigned));
    }
    report.unused_assignments = assign
        .0
        .iter()
        .enumerate()
        .filter(|(i, _)| !st.used.contains(i))
        .map(|(_, a)| format!("{}: {}", a.at, a.key))
        .collect();

    // Write: units (new ones before the children that now point at them), owners, records.
    let changed: Vec<OrgUnit> = st
        .units
        .iter()
        .filter(|u| plan.unit(&u.id) != Some(*u))
        .cloned()
        .collect();
    for u in &changed {
        match plan.unit(&u.id) {
            None => report.opened.push(u.name.clone()),
            Some(old) if old.valid_to_fy != u.valid_to_fy => report.closed.push(u.name.clone()),
            Some(_) => {}
        }
    }
    w.put_org_units(&changed)?;
    report.reparented = st
        .reparented
        .iter()
        .map(|(c, p)| (st.name(c), st.name(p)))
        .collect();
    for (p, owners) in plan.projects.iter().zip(&st.owners) {
        if &p.owners == owners {
            continue;
        }
        w.set_owners(&p.id, &p.owners, owners)?;
        report.moved.push(MovedProject {
            project_id: p.id.clone(),
            code: codes.get(&p.id).cloned().unwrap_or_default(),
            title: p.title.clone(),
            from: p.owners.iter().map(|o| st.name(&o.unit_id)).collect(),
            to: owners.iter().map(|o| st.name(&o.unit_id)).collect(),
        });
    }
    for (step, pairs) in &applied {
        w.record_reorg(fy, step.kind, &step.from, &step.to, pairs)?;
    }
    Ok(report)
}

/// Moves the projects and child units of `from` as `mv` says; what an assignment must say
/// but does not is collected in `st.unassigned`.
fn carry(
    st: &mut State,
    plan: &crate::model::Plan,
    codes: &HashMap<Id, String>,
    assign: &Assignments,
    from: &str,
    mv: &Move,
) -> Result<(), OrgError> {
    let from_name = st.name(from);
    for (k, p) in plan.projects.iter().enumerate() {
        if !st.owners[k].iter().any(|o| o.unit_id == from) {
            continue;
        }
        let code = codes.get(&p.id).cloned().unwrap_or_default();
        let to = match mv {
            Move::To(t) => vec![t.clone()],
            Move::Assigned { allowed, .. } => match assign.find(&[&code, &p.title]) {
                Some((i, a)) => {
                    st.used.insert(i);
                    st.assigned_units(a, allowed)?
                }
                None => {
                    st.unassigned
                        .push(format!("{code} {}（{from_name}）", p.title));
                    continue;
                }
            },
        };
        st.owners[k] = State::replace(&st.owners[k], from, &to);
    }
    let children: Vec<usize> = (0..st.units.len())
        .filter(|&i| st.units[i].parent_id.as_deref() == Some(from) && st.units[i].valid_in(st.fy))
        .collect();
    for i in children {
        let child = st.units[i].name.clone();
        let parent = match mv {
            Move::To(t) => t.clone(),
            Move::Assigned { allowed, continues } => match assign.find(&[&child]) {
                Some((k, a)) => {
                    st.used.insert(k);
                    let units = st.assigned_units(a, allowed)?;
                    units[0].clone()
                }
                None if *continues => continue,
                None => {
                    st.unassigned.push(format!(
                        "組織 {child}（{from_name} の下の組織 / a unit below {from_name}）"
                    ));
                    continue;
                }
            },
        };
        st.units[i].parent_id = Some(parent.clone());
        st.reparented.push((st.units[i].id.clone(), parent));
    }
    Ok(())
}
