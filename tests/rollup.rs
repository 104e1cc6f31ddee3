//! Roll-up indicators through the `dxplan` binary on the sample plan: an indicator defined as
//! the sum of others (as Fukuyama's program KPIs add up their component projects'), its
//! computed values in `dump` and in the workbooks (locked, 「自動集計」), `check` flagging a
//! typed value that disagrees with the sum, different units and cycles.

use crate::common;

use std::path::Path;

use calamine::{Data, Reader};
use common::{assert_unchanged, dump, dxplan, p, sample_plan, snapshot};
use dxplan::export::layout::{RowKey, ROLLUP_MARK};
use dxplan::parse::value::parse_value;
use dxplan::store::{OpInfo, OpKind, Store};
use serde_json::Value as Json;

fn project<'a>(d: &'a Json, code: &str) -> &'a Json {
    d["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code)
        .unwrap()
}

fn indicator<'a>(d: &'a Json, code: &str, kind: &str) -> &'a Json {
    project(d, code)["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind)
        .unwrap()
}

fn id(i: &Json) -> String {
    i["id"].as_str().unwrap().to_string()
}

/// (fiscal year, target number, unit) of an indicator's values or computed values.
fn targets(values: &Json) -> Vec<(i64, f64, String)> {
    values
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["target"].is_object())
        .map(|v| {
            (
                v["fiscal_year"].as_i64().unwrap(),
                v["target"]["number"].as_f64().unwrap(),
                v["target"]["unit"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn lints(plan: &Path, kind: &str) -> Vec<Json> {
    let r = dxplan(&["check", p(plan), "--json"]);
    assert!(r.code == Some(0) || r.code == Some(1), "{}", r.stderr);
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == kind)
        .cloned()
        .collect()
}

/// Texts of a row (by its key) on the sheet of project `pid`, by column, read with calamine.
fn row_texts(file: &Path, pid: &str, key: &RowKey) -> Vec<String> {
    let mut wb = calamine::open_workbook_auto(file).unwrap();
    let project_key = RowKey::Project {
        id: pid.to_string(),
    }
    .to_cell();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Data::Empty => String::new(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect();
        if !rows.iter().any(|r| r.contains(&project_key)) {
            continue;
        }
        let want = key.to_cell();
        return rows
            .into_iter()
            .find(|r| r.contains(&want))
            .unwrap_or_else(|| panic!("no row {want} on {name}"));
    }
    panic!("no sheet for {pid}");
}

/// The office types over an indicator's targets (a local edit in the central plan).
fn set_targets(plan: &Path, ind: &str, texts: &[(i32, &str)]) {
    let mut store = Store::open(plan).unwrap();
    let pl = store.load_plan().unwrap();
    let mut proj = pl
        .projects
        .into_iter()
        .find(|p| p.indicators.iter().any(|i| i.id == ind))
        .unwrap();
    let i = proj.indicators.iter_mut().find(|i| i.id == ind).unwrap();
    for (fy, t) in texts {
        match i.values.iter_mut().find(|v| v.fiscal_year == *fy) {
            Some(v) => v.target = parse_value(t),
            None => {
                i.values.push(dxplan::model::IndicatorValue {
                    fiscal_year: *fy,
                    target: parse_value(t),
                    actual: None,
                });
                i.values.sort_by_key(|v| v.fiscal_year);
            }
        }
    }
    store
        .write(OpInfo::new(OpKind::LocalEdit), |w| w.save_project(&proj))
        .unwrap();
}

#[test]
fn a_roll_up_is_computed_shown_locked_in_workbooks_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "plan.dxplan");
    let d = dump(&plan);
    // 利用者数 (人) of the library as the sum of the LINE and YouTube subscribers (人): the
    // components' values are typed, the roll-up's own typed values (500/600/700人) disagree.
    let (r, line, yt) = (
        indicator(&d, "Ⅰ-3-④", "KPI"),
        indicator(&d, "Ⅰ-5-①", "KPI"),
        indicator(&d, "Ⅰ-5-②", "KPI"),
    );
    let (rid, lid, yid) = (id(r), id(line), id(yt));
    let out = dxplan(&[
        "rollup",
        p(&plan),
        "--indicator",
        &rid,
        "--sum",
        &format!("{lid},{yid}"),
    ])
    .expect_ok("rollup --sum");
    assert!(out.stdout.contains("集計指標"), "{}", out.stdout);

    // Expected sums, year by year, from the components' own values.
    let (lt, yt_) = (targets(&line["values"]), targets(&yt["values"]));
    let expected: Vec<(i64, f64, String)> = lt
        .iter()
        .filter_map(|(fy, n, u)| {
            yt_.iter()
                .find(|(f, _, _)| f == fy)
                .map(|(_, m, _)| (*fy, n + m, u.clone()))
        })
        .collect();
    assert_eq!(expected.len(), 4);
    let after = dump(&plan);
    let ri = indicator(&after, "Ⅰ-3-④", "KPI");
    assert_eq!(ri["rollup"]["sum_of"], serde_json::json!([lid, yid]));
    assert_eq!(targets(&ri["rollup"]["computed"]), expected);
    // The typed values are kept as typed.
    assert_eq!(ri["values"], r["values"]);
    let computed_2023 = ri["rollup"]["computed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["fiscal_year"] == 2023)
        .unwrap()["target"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        parse_value(&computed_2023).unwrap().number,
        Some(expected[1].1)
    );
    assert!(
        computed_2023.contains(','),
        "thousands separated: {computed_2023}"
    );

    // check: each year with a typed target that is not the sum.
    let typed_years: Vec<i64> = targets(&r["values"]).iter().map(|t| t.0).collect();
    let disagree = lints(&plan, "rollup_disagrees");
    assert_eq!(disagree.len(), typed_years.len(), "{disagree:?}");
    assert!(disagree
        .iter()
        .all(|l| l["project_code"] == "Ⅰ-3-④" && l["message"].as_str().unwrap().contains("合計")));
    assert!(disagree[0]["message"]
        .as_str()
        .unwrap()
        .contains(&format!("{}年度", typed_years[0])));

    // The library's department workbook shows the sums, locked and marked, and merges back
    // without touching the typed values.
    let pid = project(&after, "Ⅰ-3-④")["id"].as_str().unwrap().to_string();
    let wb = dir.path().join("library.xlsx");
    dxplan(&[
        "export",
        p(&plan),
        "--department",
        "市民図書館",
        "--fy",
        "2025",
        "-o",
        p(&wb),
    ])
    .expect_ok("export");
    let row = row_texts(&wb, &pid, &RowKey::Target { id: rid.clone() });
    assert!(row.contains(&computed_2023), "{row:?}");
    assert!(row.contains(&ROLLUP_MARK.to_string()), "{row:?}");
    let head = row_texts(&wb, &pid, &RowKey::Header);
    let col = head.iter().position(|h| h.starts_with("2023年度")).unwrap();
    assert_eq!(row[col], computed_2023);
    let m = dxplan(&["merge", p(&plan), p(&wb), "--json"])
        .expect_ok("merge")
        .json();
    assert_eq!(m["summary"]["applied"], 0, "{m}");
    assert_eq!(
        indicator(&dump(&plan), "Ⅰ-3-④", "KPI")["values"],
        r["values"]
    );
    // The master workbook shows them too.
    let master = dir.path().join("master.xlsx");
    dxplan(&["export", p(&plan), "-o", p(&master)]).expect_ok("master");
    assert!(row_texts(&master, &pid, &RowKey::Target { id: rid.clone() }).contains(&computed_2023));

    // Typed values that agree with the sums are not flagged; a component changed later is
    // summed again.
    let agreed: Vec<(i32, String)> = targets(&ri["rollup"]["computed"])
        .iter()
        .zip(ri["rollup"]["computed"].as_array().unwrap())
        .map(|((fy, _, _), v)| {
            (
                *fy as i32,
                v["target"]["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let texts: Vec<(i32, &str)> = agreed.iter().map(|(f, t)| (*f, t.as_str())).collect();
    set_targets(&plan, &rid, &texts);
    assert!(lints(&plan, "rollup_disagrees").is_empty());
    set_targets(&plan, &lid, &[(2025, "30,000 人")]);
    let again = dump(&plan);
    let c2025 = targets(&indicator(&again, "Ⅰ-3-④", "KPI")["rollup"]["computed"])
        .into_iter()
        .find(|t| t.0 == 2025)
        .unwrap();
    let y2025 = yt_.iter().find(|t| t.0 == 2025).unwrap().1;
    assert_eq!(c2025.1, 30_000.0 + y2025);
    assert_eq!(lints(&plan, "rollup_disagrees").len(), 1);

    // --clear removes the definition.
    dxplan(&["rollup", p(&plan), "--indicator", &rid, "--clear"]).expect_ok("clear");
    assert!(indicator(&dump(&plan), "Ⅰ-3-④", "KPI")
        .get("rollup")
        .is_none());
    assert!(lints(&plan, "rollup_disagrees").is_empty());
}

#[test]
fn units_that_differ_cycles_and_missing_components_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_plan(dir.path(), "plan.dxplan");
    let d = dump(&plan);
    let kgi = id(indicator(&d, "Ⅰ-3-④", "KGI")); // 人
    let data = id(indicator(&d, "Ⅰ-7-①", "KPI")); // 種類
    let yt = id(indicator(&d, "Ⅰ-5-②", "KGI")); // 人
    let out = dxplan(&[
        "rollup",
        p(&plan),
        "--indicator",
        &kgi,
        "--sum",
        &format!("{data},{yt}"),
    ])
    .expect_ok("rollup of different units");
    assert!(out.stdout.contains("単位が一致しません"), "{}", out.stdout);
    let mismatch = lints(&plan, "rollup_unit_mismatch");
    assert_eq!(mismatch.len(), 1);
    assert!(mismatch[0]["message"].as_str().unwrap().contains("種類"));
    // Nothing is computed from values in different units.
    let now = dump(&plan);
    let computed = &indicator(&now, "Ⅰ-3-④", "KGI")["rollup"]["computed"];
    assert_eq!(computed.as_array().map(Vec::len), Some(0));

    // A link that would close a cycle is refused, the plan unchanged.
    let snap = snapshot(&plan);
    let r = dxplan(&["rollup", p(&plan), "--indicator", &yt, "--sum", &kgi]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("循環"), "{}", r.stderr);
    let r = dxplan(&[
        "rollup",
        p(&plan),
        "--indicator",
        &yt,
        "--sum",
        "no-such-indicator",
    ]);
    assert_eq!(r.code, Some(2));
    assert_unchanged(&snap, &plan, "refused roll-ups");

    // A plan file written by another tool with a cycle and a component that is gone.
    {
        let store = Store::open(&plan).unwrap();
        let c = store.connection();
        c.execute(
            "INSERT INTO indicator_rollup (indicator_id, component_id, ord) VALUES (?1, ?2, 0), (?1, 'gone', 1)",
            [&yt, &kgi],
        )
        .unwrap();
    }
    let cycles = lints(&plan, "rollup_cycle");
    assert_eq!(cycles.len(), 2, "both roll-ups on the cycle: {cycles:?}");
    assert_eq!(lints(&plan, "rollup_missing_component").len(), 1);
    let after = dump(&plan);
    for (code, kind) in [("Ⅰ-3-④", "KGI"), ("Ⅰ-5-②", "KGI")] {
        let c = &indicator(&after, code, kind)["rollup"]["computed"];
        assert_eq!(
            c.as_array().map(Vec::len),
            Some(0),
            "{code}: nothing summed on a cycle"
        );
    }
}
