//! Import of a generated 1,000-project workbook (one Onojo-style sheet per project) against a
//! plain calamine pass over every cell of the same file, side by side.
//! Target (issue 3): the import, writing the plan file included, within 3× of the plain read.

use std::path::Path;
use std::time::{Duration, Instant};

use calamine::{open_workbook, Reader, Xlsx};
use dxplan::model::*;
use dxplan::store::Store;
use rust_xlsxwriter::{Format, Workbook};

fn write_legacy(plan: &Plan, path: &Path) {
    let mut wb = Workbook::new();
    let wrap = Format::new().set_text_wrap();
    let years: Vec<FiscalYear> = plan.info.fiscal_years();
    for (i, p) in plan.projects.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(format!("{}", i + 1)).expect("sheet name");
        let measure = plan.measures.iter().find(|m| m.id == p.measure_ids[0]).map_or("", |m| m.title.as_str());
        let mut r = 0u32;
        let put = |ws: &mut rust_xlsxwriter::Worksheet, r: &mut u32, label: &str, vals: &[String]| {
            ws.write(*r, 1, label).expect("write");
            for (c, v) in vals.iter().enumerate() {
                ws.write_with_format(*r, 2 + c as u16, v.as_str(), &wrap).expect("write");
            }
            *r += 1;
        };
        let yh: Vec<String> = years.iter().map(|y| format!("{y}年度")).collect();
        ws.write(r, 1, format!("取組 {} : {measure}", i + 1)).expect("write");
        r += 1;
        put(ws, &mut r, "取組名", &[p.title.clone()]);
        put(ws, &mut r, "課題", &[p.texts.issue.repeat(3)]);
        put(ws, &mut r, "目的", &[p.texts.purpose.repeat(2)]);
        put(ws, &mut r, "内容", &[p.texts.summary.repeat(3)]);
        let owners: Vec<&str> = p.owners.iter().filter_map(|o| plan.unit(&o.unit_id)).map(|u| u.name.as_str()).collect();
        put(ws, &mut r, "担当課", &[owners.join("、")]);
        put(ws, &mut r, "スケジュール", &yh);
        for t in &p.schedule {
            let cells: Vec<String> = years.iter().map(|y| if *y >= t.start_fy && *y <= t.end_fy { t.phases.get(y).cloned().unwrap_or_else(|| "→".into()) } else { String::new() }).collect();
            put(ws, &mut r, &t.name, &cells);
        }
        put(ws, &mut r, "目指す姿／目標", &[p.texts.goal.clone()]);
        put(ws, &mut r, "期待される効果", &[p.texts.effects.iter().map(|e| format!("・{e}")).collect::<Vec<_>>().join("\n")]);
        for ind in &p.indicators {
            if ind.kind == IndicatorKind::KGI {
                let t = ind.values.last().and_then(|v| v.target.as_ref()).map_or(String::new(), |v| v.text.clone());
                put(ws, &mut r, "数値目標（KGI）", &[format!("{}：{t}", ind.name)]);
            } else {
                put(ws, &mut r, "評価指標（KPI）", &yh);
                let vals: Vec<String> = years.iter().map(|y| ind.values.iter().find(|v| v.fiscal_year == *y).and_then(|v| v.target.as_ref()).map_or("－".into(), |v| v.text.clone())).collect();
                put(ws, &mut r, "", &vals);
                let actuals: Vec<String> = years.iter().map(|y| ind.values.iter().find(|v| v.fiscal_year == *y).and_then(|v| v.actual.as_ref()).map_or("－".into(), |v| v.text.clone())).collect();
                put(ws, &mut r, "実績", &actuals);
            }
        }
        let money: Vec<String> = years.iter().map(|y| p.budget.iter().find(|b| b.fiscal_year == *y).and_then(|b| b.planned_thousand_yen).map_or("－".into(), |v| v.to_string())).collect();
        put(ws, &mut r, "年度経費（LCC）（千円）", &money);
    }
    wb.save(path).expect("save");
}

fn calamine_pass(path: &Path) -> usize {
    let mut wb: Xlsx<_> = open_workbook(path).expect("open");
    let mut n = 0;
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("range");
        n += range.used_cells().count();
    }
    n
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("tmp");
    let keep = std::env::var("DXPLAN_BENCH_KEEP").ok();
    let plan = dxplan::generate::generate(1_000, 11);
    let xlsx = dir.path().join("legacy-1000.xlsx");
    write_legacy(&plan, &xlsx);
    if let Some(k) = &keep { std::fs::copy(&xlsx, k).expect("keep"); }
    let size = std::fs::metadata(&xlsx).map(|m| m.len()).unwrap_or(0);
    let runs = 5;
    let mut plain = Vec::new();
    let mut import = Vec::new();
    for i in 0..runs {
        let t = Instant::now();
        std::hint::black_box(calamine_pass(&xlsx));
        plain.push(t.elapsed());

        let path = dir.path().join(format!("p{i}.dxplan"));
        let mut info = plan.info.clone();
        info.id = new_id();
        let mut store = Store::create(&path, &info).expect("create");
        let t = Instant::now();
        let report = dxplan::import::import_files(&mut store, &[xlsx.clone()], Default::default()).expect("import");
        import.push(t.elapsed());
        assert_eq!(report.summary.projects_new, 1_000);
    }
    let (p, m) = (median(plain), median(import));
    println!("import bench: workbook of 1,000 project sheets, {:.1} MB", size as f64 / 1e6);
    println!("  plain calamine pass over every cell : {:>8.1} ms (median of {runs})", p.as_secs_f64() * 1e3);
    println!("  dxplan import (plan file written)   : {:>8.1} ms (median of {runs})", m.as_secs_f64() * 1e3);
    println!("  ratio: {:.2}× (target ≤ 3×)", m.as_secs_f64() / p.as_secs_f64());
}
