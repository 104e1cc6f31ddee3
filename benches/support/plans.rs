//! Inputs shared by the benchmark suite (benches/suite.rs) and the fault tests (tests/faults.rs):
//! a legacy one-sheet-per-project workbook of a plan, a generated plan whose projects are spread
//! over many units, and department workbooks edited the way a person edits in Excel.
//! The including crate declares `mod xlsx_edit` (tests/support/xlsx_edit.rs) beside this module.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;

use dxplan::export::department_projects;
use dxplan::export::layout::RowKey;
use dxplan::model::*;
use dxplan::workbook;
use rust_xlsxwriter::{Format, Workbook};

use super::xlsx_edit::{a1, Xlsx};

/// One Onojo-style sheet per project (used by benches/import.rs and the suite). As on the
/// seeds' sheets, the table is ruled: every cell of it has borders, blank ones included.
pub fn write_legacy(plan: &Plan, path: &Path) {
    let mut wb = Workbook::new();
    let wrap = Format::new()
        .set_text_wrap()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let label = Format::new()
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
        .set_background_color("#DDEBF7");
    let years: Vec<FiscalYear> = plan.info.fiscal_years();
    for (i, p) in plan.projects.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(format!("{}", i + 1)).expect("sheet name");
        let measure = plan
            .measures
            .iter()
            .find(|m| m.id == p.measure_ids[0])
            .map_or("", |m| m.title.as_str());
        let mut r = 0u32;
        let put =
            |ws: &mut rust_xlsxwriter::Worksheet, r: &mut u32, text: &str, vals: &[String]| {
                ws.write_with_format(*r, 1, text, &label).expect("write");
                for c in 0..years.len() {
                    match vals.get(c).filter(|v| !v.is_empty()) {
                        Some(v) => ws
                            .write_with_format(*r, 2 + c as u16, v.as_str(), &wrap)
                            .expect("write"),
                        None => ws.write_blank(*r, 2 + c as u16, &wrap).expect("write"),
                    };
                }
                *r += 1;
            };
        let yh: Vec<String> = years.iter().map(|y| format!("{y}年度")).collect();
        ws.write(r, 1, format!("取組 {} : {measure}", i + 1))
            .expect("write");
        r += 1;
        put(ws, &mut r, "取組名", std::slice::from_ref(&p.title));
        put(ws, &mut r, "課題", &[p.texts.issue.repeat(3)]);
        put(ws, &mut r, "目的", &[p.texts.purpose.repeat(2)]);
        put(ws, &mut r, "内容", &[p.texts.summary.repeat(3)]);
        let owners: Vec<&str> = p
            .owners
            .iter()
            .filter_map(|o| plan.unit(&o.unit_id))
            .map(|u| u.name.as_str())
            .collect();
        put(ws, &mut r, "担当課", &[owners.join("、")]);
        put(ws, &mut r, "スケジュール", &yh);
        for t in &p.schedule {
            let cells: Vec<String> = years
                .iter()
                .map(|y| {
                    if *y >= t.start_fy && *y <= t.end_fy {
                        t.phases.get(y).cloned().unwrap_or_else(|| "→".into())
                    } else {
                        String::new()
                    }
                })
                .collect();
            put(ws, &mut r, &t.name, &cells);
        }
        put(
            ws,
            &mut r,
            "目指す姿／目標",
            std::slice::from_ref(&p.texts.goal),
        );
        put(
            ws,
            &mut r,
            "期待される効果",
            &[p.texts
                .effects
                .iter()
                .map(|e| format!("・{e}"))
                .collect::<Vec<_>>()
                .join("\n")],
        );
        for ind in &p.indicators {
            if ind.kind == IndicatorKind::KGI {
                let t = ind
                    .values
                    .last()
                    .and_then(|v| v.target.as_ref())
                    .map_or(String::new(), |v| v.text.clone());
                put(
                    ws,
                    &mut r,
                    "数値目標（KGI）",
                    &[format!("{}：{t}", ind.name)],
                );
            } else {
                put(ws, &mut r, "評価指標（KPI）", &yh);
                let vals: Vec<String> = years
                    .iter()
                    .map(|y| {
                        ind.values
                            .iter()
                            .find(|v| v.fiscal_year == *y)
                            .and_then(|v| v.target.as_ref())
                            .map_or("－".into(), |v| v.text.clone())
                    })
                    .collect();
                put(ws, &mut r, "", &vals);
                let actuals: Vec<String> = years
                    .iter()
                    .map(|y| {
                        ind.values
                            .iter()
                            .find(|v| v.fiscal_year == *y)
                            .and_then(|v| v.actual.as_ref())
                            .map_or("－".into(), |v| v.text.clone())
                    })
                    .collect();
                put(ws, &mut r, "実績", &actuals);
            }
        }
        let money: Vec<String> = years
            .iter()
            .map(|y| {
                p.budget
                    .iter()
                    .find(|b| b.fiscal_year == *y)
                    .and_then(|b| b.planned_thousand_yen)
                    .map_or("－".into(), |v| v.to_string())
            })
            .collect();
        put(ws, &mut r, "年度経費（LCC）（千円）", &money);
    }
    wb.save(path).expect("save");
}

/// The generated plan with its owners spread over `departments` new units.
pub fn spread_owners(mut plan: Plan, departments: usize) -> Plan {
    let units: Vec<OrgUnit> = (1..=departments)
        .map(|k| OrgUnit {
            id: new_id(),
            name: format!("業務{k:02}課"),
            parent_id: None,
            valid_from_fy: None,
            valid_to_fy: None,
        })
        .collect();
    for (i, p) in plan.projects.iter_mut().enumerate() {
        p.owners = vec![Owner {
            unit_id: units[i % departments].id.clone(),
            role: OwnerRole::Lead,
        }];
        if i % 6 == 0 {
            p.owners.push(Owner {
                unit_id: units[(i * 7 + 3) % departments].id.clone(),
                role: OwnerRole::Co,
            });
        }
    }
    plan.org_units = units;
    plan
}

/// (sheet, row key → row, header: fiscal year → column)
type ProjectSheet = (String, Vec<(u32, RowKey)>, HashMap<FiscalYear, u32>);

/// Sheet, and A1 cell of a row (by its hidden key) and fiscal-year column (or the value column
/// of a text row), of every project sheet in an exported workbook.
pub struct Cells {
    /// project id → its sheet
    sheets: HashMap<String, ProjectSheet>,
}

impl Cells {
    pub fn of(path: &Path) -> Cells {
        let wb = workbook::open(path).expect("open department workbook");
        let mut sheets = HashMap::new();
        for g in &wb.sheets {
            let keys: Vec<(u32, RowKey)> = g
                .cells
                .iter()
                .filter_map(|(&(r, _), c)| {
                    RowKey::from_cell(&c.text)
                        .and_then(Result::ok)
                        .map(|k| (r, k))
                })
                .collect();
            let Some(pid) = keys.iter().find_map(|(_, k)| match k {
                RowKey::Project { id } => Some(id.clone()),
                _ => None,
            }) else {
                continue;
            };
            let Some(header) = keys.iter().find(|(_, k)| *k == RowKey::Header).map(|x| x.0) else {
                continue;
            };
            let years: HashMap<FiscalYear, u32> = g
                .row(header)
                .filter_map(|(c, cell)| {
                    dxplan::parse::fiscal_year::parse_fiscal_year(&cell.text)
                        .ok()
                        .map(|fy| (fy, c))
                })
                .collect();
            sheets.insert(pid, (g.name.clone(), keys, years));
        }
        Cells { sheets }
    }

    pub fn at(
        &self,
        pid: &str,
        row: impl Fn(&RowKey) -> bool,
        fy: Option<FiscalYear>,
    ) -> Option<(String, String)> {
        let (sheet, keys, years) = self.sheets.get(pid)?;
        let r = keys.iter().find(|(_, k)| row(k))?.0;
        let c = match fy {
            Some(fy) => *years.get(&fy)?,
            None => 1,
        };
        Some((sheet.clone(), a1(r, c)))
    }
}

/// Edits a department workbook of `unit` as a person would in Excel: for up to `per` of its
/// projects the 内容 text, the KPI actual of the third year and the planned budget of the fourth.
/// Returns the number of cells edited.
pub fn edit_submission(plan: &Plan, unit: &OrgUnit, file: &Path, per: usize, salt: usize) -> usize {
    let cells = Cells::of(file);
    let mut x = Xlsx::open(file);
    let fy0 = plan.info.first_fy;
    let mut edits = 0;
    for (j, p) in department_projects(plan, &unit.id)
        .iter()
        .take(per)
        .enumerate()
    {
        let kpi = p
            .indicators
            .iter()
            .find(|i| i.kind == IndicatorKind::KPI)
            .map(|i| i.id.clone())
            .unwrap_or_default();
        if let Some((sh, cell)) = cells.at(&p.id, |k| *k == RowKey::Summary, None) {
            x.set(
                &sh,
                &cell,
                Some(&format!("{}（{}が更新）", p.texts.summary, unit.name)),
            );
            edits += 1;
        }
        if let Some((sh, cell)) = cells.at(
            &p.id,
            |k| matches!(k, RowKey::Actual { id } if *id == kpi),
            Some(fy0 + 2),
        ) {
            x.set(&sh, &cell, Some(&format!("{} 件", 40 + j)));
            edits += 1;
        }
        if let Some((sh, cell)) = cells.at(&p.id, |k| *k == RowKey::Planned, Some(fy0 + 3)) {
            x.set_number(&sh, &cell, (1_000 + 10 * (salt + j)) as f64);
            edits += 1;
        }
    }
    x.save(file);
    edits
}
