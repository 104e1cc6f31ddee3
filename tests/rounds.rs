//! 照会 rounds (issue 15), through the real `dxplan` binary: a round over the sample plan, the
//! answers edited the way people edit them in Excel (one late, one corrected twice, one from a
//! 部 after its 課), status and the 督促 list before and after (read back from .xlsx with
//! calamine and from .csv), the same plan whatever order the files are merged in, the cover
//! fields kept, the progress drop-downs in the workbook's XML and the progress counted per
//! 基本方針.

use crate::common;
use crate::support;

use std::path::{Path, PathBuf};

use calamine::{Reader, Xlsx as CalXlsx};
use common::{dxplan, p};
use dxplan::export::layout::{ProgressField, RowKey};
use dxplan::model::*;
use dxplan::store::{OpInfo, OpKind, Store};
use serde_json::Value as Json;
use support::sheet_cells::{cell_of, is_locked};
use support::xlsx_edit::{a1, Xlsx};

const TITLE: &str = "令和7年度 第2回 進捗照会";
const FY: i32 = 2025;
const DEADLINE: &str = "2027-01-31";

fn ok(args: &[&str]) -> String {
    dxplan(args).expect_ok(&format!("{args:?}")).stdout
}

fn json(args: &[&str]) -> Json {
    dxplan(args).expect_ok(&format!("{args:?}")).json()
}

struct World {
    dir: tempfile::TempDir,
    plan: PathBuf,
    sample: Plan,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("central.dxplan");
        ok(&["sample", p(&plan)]);
        let sample = Store::open(&plan).unwrap().load_plan().unwrap();
        World { dir, plan, sample }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn unit(&self, name: &str) -> &OrgUnit {
        self.sample
            .org_units
            .iter()
            .find(|u| u.name == name)
            .unwrap()
    }

    /// A project the unit leads, with an indicator and a budget row for the round's year.
    fn led_by(&self, name: &str) -> Project {
        let id = &self.unit(name).id;
        self.sample
            .projects
            .iter()
            .find(|pr| {
                pr.owners[0].unit_id == *id
                    && !pr.indicators.is_empty()
                    && pr.budget.iter().any(|b| b.fiscal_year == FY)
            })
            .unwrap_or_else(|| panic!("no project led by {name}"))
            .clone()
    }

    fn office_edit(&self, id: &str, edit: impl FnOnce(&mut Project)) {
        let mut store = Store::open(&self.plan).unwrap();
        let mut pr = store.load_project(id).unwrap().unwrap();
        edit(&mut pr);
        store
            .write(OpInfo::new(OpKind::LocalEdit), |w| w.save_project(&pr))
            .unwrap();
    }
}

fn load(plan: &Path, id: &str) -> Project {
    Store::open_read_only(plan)
        .unwrap()
        .load_project(id)
        .unwrap()
        .unwrap()
}

fn actual(pr: &Project, fy: i32) -> Option<String> {
    pr.indicators[0]
        .values
        .iter()
        .find(|v| v.fiscal_year == fy)
        .and_then(|v| v.actual.as_ref())
        .map(|v| v.text.clone())
}

fn planned(pr: &Project, fy: i32) -> Option<i64> {
    pr.budget
        .iter()
        .find(|b| b.fiscal_year == fy)
        .and_then(|b| b.planned_thousand_yen)
}

fn progress(pr: &Project, fy: i32) -> Option<&Progress> {
    pr.progress.iter().find(|g| g.fiscal_year == fy)
}

/// The value cell of a cover field (記入者 …) on 表紙: the row whose hidden key names it.
fn cover_cell(file: &Path, field: &str) -> String {
    let wb = dxplan::workbook::open(file).unwrap();
    let g = wb.sheets.iter().find(|g| g.name == "表紙").unwrap();
    let r = g
        .cells
        .iter()
        .find_map(|(&(r, _), c)| match RowKey::from_cell(&c.text) {
            Some(Ok(RowKey::Cover { field: f })) if f == field => Some(r),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no cover field {field}"));
    a1(r, 1)
}

/// A person's answer: cells typed on the project sheets and the cover, saved at `saved_at`.
struct Answer<'a> {
    cells: Vec<(&'a str, RowKey, Option<i32>, &'a str)>,
    numbers: Vec<(&'a str, RowKey, i32, f64)>,
    cover: [&'a str; 3],
    saved_at: &'a str,
}

fn answer(from: &Path, to: &Path, a: &Answer<'_>) {
    std::fs::copy(from, to).unwrap();
    let mut x = Xlsx::open(to);
    for (pid, key, fy, text) in &a.cells {
        let (sheet, cell) = cell_of(from, pid, |k| k == key, *fy);
        x.set(&sheet, &cell, Some(text));
    }
    for (pid, key, fy, n) in &a.numbers {
        let (sheet, cell) = cell_of(from, pid, |k| k == key, Some(*fy));
        x.set_number(&sheet, &cell, *n);
    }
    for (field, text) in ["respondent", "contact", "remarks"].iter().zip(a.cover) {
        x.set("表紙", &cover_cell(from, field), Some(text));
    }
    x.set_saved_at(a.saved_at);
    x.save(to);
}

fn status_row(k: ProgressField) -> RowKey {
    RowKey::Progress { field: k }
}

/// Characters Windows refuses in a file name, and its device names.
fn valid_on_windows(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    !name
        .chars()
        .any(|c| "\\/:*?\"<>|".contains(c) || c.is_control())
        && !name.ends_with(['.', ' '])
        && !["CON", "PRN", "AUX", "NUL", "COM1", "LPT1"].contains(&stem.as_str())
}

fn department<'a>(status: &'a Json, name: &str) -> &'a Json {
    status["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["department"] == name)
        .unwrap_or_else(|| panic!("no {name} in status"))
}

fn csv_rows(file: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(file).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "CSV starts with a BOM"
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(head[0], "課");
    r.records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect()
}

fn xlsx_rows(file: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb: CalXlsx<_> = calamine::open_workbook(file).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn a_round_over_the_sample_from_start_to_merge() {
    let w = World::new();
    let info = w.led_by("情報政策課");
    let shimin = w.led_by("市民課");
    let jinji = w.led_by("人事課");
    let bousai = w.led_by("防災安全課");
    // Last year's 課題 and 改善策 of a project, carried beside this year's.
    w.office_edit(&shimin.id, |pr| {
        pr.progress.retain(|g| g.fiscal_year != FY - 1);
        pr.progress.push(Progress {
            fiscal_year: FY - 1,
            status: "遅れ".into(),
            achievements: String::new(),
            issues: "紙の申請が多く残っている".into(),
            remedies: "電子申請の周知を強化する".into(),
            evaluation: "C".into(),
        });
        pr.progress.sort_by_key(|g| g.fiscal_year);
    });
    ok(&[
        "roster",
        p(&w.plan),
        "--fy",
        "2025",
        "--set",
        "人事課=山田 太郎 <内線1234>",
        "--set",
        "税務課=佐藤 花子 <内線2345>",
    ]);
    // An earlier round 会計課 answered: its contact is known from that answer.
    let first = w.path("first");
    let r1 = json(&[
        "round",
        "start",
        p(&w.plan),
        "--title",
        "令和7年度 第1回 進捗照会",
        "--deadline",
        "2026-10-31",
        "--fiscal-year",
        "2025",
        "--departments",
        "会計課",
        "-o",
        p(&first),
        "--json",
    ]);
    let kaikei = PathBuf::from(r1["workbooks"][0]["file"].as_str().unwrap());
    let kaikei_answer = w.path("会計課_回答.xlsx");
    answer(
        &kaikei,
        &kaikei_answer,
        &Answer {
            cells: vec![],
            numbers: vec![],
            cover: ["会計課 高橋 次郎", "内線3456", ""],
            saved_at: "2026-10-20T01:00:00Z",
        },
    );
    ok(&["merge", p(&w.plan), p(&kaikei_answer)]);

    // The round: every unit that owns or co-owns a project gets a workbook; 総務部 gathers its 課.
    let out = w.path("令和7年度 第2回");
    let started = json(&[
        "round",
        "start",
        p(&w.plan),
        "--title",
        TITLE,
        "--deadline",
        DEADLINE,
        "--fiscal-year",
        "2025",
        "--review",
        "総務部",
        "-o",
        p(&out),
        "--json",
    ]);
    let books = started["workbooks"].as_array().unwrap();
    let owners: std::collections::BTreeSet<String> = w
        .sample
        .projects
        .iter()
        .flat_map(|pr| pr.owners.iter())
        .map(|o| w.sample.unit(&o.unit_id).unwrap().name.clone())
        .collect();
    let sent: std::collections::BTreeSet<String> = books
        .iter()
        .map(|b| b["department"].as_str().unwrap().to_string())
        .collect();
    let mut expected = owners.clone();
    expected.insert("総務部".into());
    assert_eq!(sent, expected, "every owning unit, and the reviewing 部");
    assert_eq!(books.len(), expected.len(), "one workbook each");
    let file_of = |name: &str| -> PathBuf {
        PathBuf::from(
            books.iter().find(|b| b["department"] == name).unwrap()["file"]
                .as_str()
                .unwrap(),
        )
    };
    for b in books {
        let f = PathBuf::from(b["file"].as_str().unwrap());
        let name = f.file_name().unwrap().to_str().unwrap().to_string();
        assert!(f.is_file(), "{name} written");
        assert!(valid_on_windows(&name), "{name}");
        assert_eq!(
            name,
            format!("{TITLE}_{}.xlsx", b["department"].as_str().unwrap())
        );
    }
    assert_eq!(
        books.iter().find(|b| b["department"] == "人事課").unwrap()["reviewed_by"],
        "総務部"
    );
    let exports = json(&["exports", p(&w.plan), "--json"]);
    assert_eq!(exports.as_array().unwrap().len(), books.len() + 1);
    assert_eq!(
        json(&["rounds", p(&w.plan), "--json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The workbook: 状況 and 評価 are drop-downs of the plan's scale; the cover's inputs are
    // unlocked and length-checked; last year's 課題 sits beside this year's, locked.
    let shimin_book = file_of("市民課");
    let x = Xlsx::open(&shimin_book);
    let (sheet, status_cell) = cell_of(
        &shimin_book,
        &shimin.id,
        |k| *k == status_row(ProgressField::Status),
        Some(FY),
    );
    let xml = x.sheet_xml(&sheet);
    assert!(
        xml.contains("<formula1>\"順調,概ね順調,遅れ,未着手,完了\"</formula1>"),
        "status drop-down"
    );
    assert!(
        xml.contains("<formula1>\"A,B,C,D\"</formula1>"),
        "evaluation drop-down"
    );
    let row = status_cell.trim_start_matches(|c: char| c.is_ascii_uppercase());
    assert!(
        xml.contains(&format!("sqref=\"B{row}:")),
        "the drop-down covers the status row {row}"
    );
    assert!(!is_locked(&x, &sheet, &status_cell));
    let cover = x.sheet_xml("表紙");
    assert!(
        cover.contains("type=\"textLength\""),
        "cover lengths validated"
    );
    for f in ["respondent", "contact", "remarks"] {
        assert!(
            !is_locked(&x, "表紙", &cover_cell(&shimin_book, f)),
            "{f} is an input"
        );
    }
    let wb = dxplan::workbook::open(&shimin_book).unwrap();
    let g = wb.sheets.iter().find(|g| g.name == sheet).unwrap();
    let (r, _) = g
        .cells
        .iter()
        .find(|(_, c)| c.text == "（参考）前年度の課題")
        .map(|(k, _)| *k)
        .unwrap();
    let col = status_cell.trim_end_matches(|c: char| c.is_ascii_digit());
    let carried = format!("{col}{}", r + 1);
    let year_col = col
        .chars()
        .fold(0u32, |n, c| n * 26 + (c as u32 - 'A' as u32 + 1))
        - 1;
    assert_eq!(
        g.text(r, year_col),
        "紙の申請が多く残っている",
        "last year's 課題 under this year's column"
    );
    assert_eq!(g.text(r, year_col - 1), "", "and nothing under last year's");
    assert!(is_locked(&x, &sheet, &carried));
    assert!(
        cover.contains(TITLE)
            || dxplan::workbook::open(&shimin_book)
                .unwrap()
                .sheets
                .iter()
                .any(|g| g.name == "表紙" && g.cells.values().any(|c| c.text == TITLE)),
        "the round on the cover"
    );

    // Before any answer: everybody is outstanding; two days after the deadline, late.
    let bytes = std::fs::read(&w.plan).unwrap();
    let before = json(&[
        "round",
        "status",
        p(&w.plan),
        "--as-of",
        "2027-02-02",
        "--json",
    ]);
    assert_eq!(before["round"]["title"], TITLE);
    assert_eq!(before["round"]["days_to_deadline"], -2);
    assert_eq!(before["totals"]["outstanding"], books.len());
    assert_eq!(before["totals"]["late"], books.len());
    let remind_csv = w.path("督促.csv");
    ok(&[
        "round",
        "remind",
        p(&w.plan),
        "--as-of",
        "2027-02-02",
        "-o",
        p(&remind_csv),
    ]);
    let rows = csv_rows(&remind_csv);
    assert_eq!(rows.len(), books.len());
    let jinji_row = rows.iter().find(|r| r[0] == "人事課").unwrap();
    assert_eq!(jinji_row[1], "総務部");
    assert_eq!(jinji_row[2], "総務部", "its answer goes through 総務部");
    assert_eq!(jinji_row[4], "2");
    assert_eq!(
        (jinji_row[5].as_str(), jinji_row[6].as_str()),
        ("山田 太郎", "内線1234")
    );
    assert_eq!(jinji_row[7], "名簿");
    assert!(
        jinji_row[9].contains("人事課　DX推進員　山田 太郎様"),
        "{}",
        jinji_row[9]
    );
    assert!(jinji_row[9].contains("2日過ぎて"), "{}", jinji_row[9]);
    assert!(jinji_row[9].contains(&format!("{TITLE}_人事課.xlsx")));
    let kaikei_row = rows.iter().find(|r| r[0] == "会計課").unwrap();
    assert_eq!(
        (
            kaikei_row[5].as_str(),
            kaikei_row[6].as_str(),
            kaikei_row[7].as_str()
        ),
        ("会計課 高橋 次郎", "内線3456", "前回の回答")
    );
    let nobody = rows.iter().find(|r| r[0] == "保育課").unwrap();
    assert!(nobody[9].contains("ご担当者様"));
    assert!(
        std::fs::read(&w.plan).unwrap() == bytes,
        "status and remind only read the plan"
    );
    // Before the deadline the message asks for the answer by the deadline.
    let early = w.path("督促_期限前.xlsx");
    ok(&[
        "round",
        "remind",
        p(&w.plan),
        "--as-of",
        "2027-01-25",
        "-o",
        p(&early),
    ]);
    let sheet_rows = xlsx_rows(&early, "督促");
    assert_eq!(sheet_rows[1][0], "課");
    assert_eq!(sheet_rows.len(), books.len() + 2);
    let r = sheet_rows.iter().find(|r| r[0] == "人事課").unwrap();
    assert_eq!(r[4], "0");
    assert!(r[9].contains("期限までにご返送"), "{}", r[9]);

    // The answers, as people make them in Excel.
    let answers = w.path("answers");
    std::fs::create_dir_all(&answers).unwrap();
    // 情報政策課 answers late: three days after the deadline.
    answer(
        &file_of("情報政策課"),
        &answers.join("情報政策課_回答.xlsx"),
        &Answer {
            cells: vec![
                (
                    &info.id,
                    status_row(ProgressField::Status),
                    Some(FY),
                    "遅れ",
                ),
                (
                    &info.id,
                    status_row(ProgressField::Evaluation),
                    Some(FY),
                    "C",
                ),
                (
                    &info.id,
                    status_row(ProgressField::Issues),
                    Some(FY),
                    "調達が遅れた",
                ),
            ],
            numbers: vec![(&info.id, RowKey::Planned, FY, 4321.0)],
            cover: [
                "情報政策課 鈴木 一郎",
                "内線5001 suzuki@city.example.jp",
                "遅れて申し訳ありません。",
            ],
            saved_at: "2027-02-03T02:00:00Z",
        },
    );
    // 市民課 answers, then corrects itself twice (each file a full answer, saved later).
    let kpi_actual = RowKey::Actual {
        id: shimin.indicators[0].id.clone(),
    };
    for (i, (value, status, saved)) in [
        ("100件", "概ね順調", "2027-01-20T00:30:00Z"),
        ("120件", "順調", "2027-01-21T00:30:00Z"),
        ("125件", "順調", "2027-01-22T00:30:00Z"),
    ]
    .iter()
    .enumerate()
    {
        answer(
            &shimin_book,
            &answers.join(format!("市民課_回答_{}.xlsx", ["", "訂正", "再訂正"][i])),
            &Answer {
                cells: vec![
                    (&shimin.id, kpi_actual.clone(), Some(FY), value),
                    (
                        &shimin.id,
                        status_row(ProgressField::Status),
                        Some(FY),
                        status,
                    ),
                ],
                numbers: vec![],
                cover: [
                    "市民課 田中",
                    "内線3001",
                    ["", "実績を訂正しました。", "再度訂正しました。"][i],
                ],
                saved_at: saved,
            },
        );
    }
    // 人事課 answers: the file goes to 総務部 and, as it happens, to the office too.
    let jinji_answer = answers.join("人事課_回答.xlsx");
    answer(
        &file_of("人事課"),
        &jinji_answer,
        &Answer {
            cells: vec![],
            numbers: vec![(&jinji.id, RowKey::Planned, FY, 777.0)],
            cover: ["人事課 山田 太郎", "内線1234", ""],
            saved_at: "2027-01-25T01:00:00Z",
        },
    );
    // 防災安全課 answers to 総務部 only.
    let to_bu = w.path("to-bu");
    std::fs::create_dir_all(&to_bu).unwrap();
    answer(
        &file_of("防災安全課"),
        &to_bu.join("防災安全課_回答.xlsx"),
        &Answer {
            cells: vec![(
                &bousai.id,
                status_row(ProgressField::Status),
                Some(FY),
                "概ね順調",
            )],
            numbers: vec![],
            cover: ["防災安全課 伊藤", "内線4001", "部に提出します。"],
            saved_at: "2027-01-26T01:00:00Z",
        },
    );
    std::fs::copy(&jinji_answer, to_bu.join("人事課_回答.xlsx")).unwrap();
    // 総務部 gathers both in its working copy, reviews, and answers.
    let copy = w.path("総務部_作業用.dxplan");
    let bu_book = file_of("総務部");
    let review = json(&[
        "round",
        "review",
        p(&copy),
        "--workbook",
        p(&bu_book),
        p(&to_bu),
        "--json",
    ]);
    assert_eq!(review["summary"]["submissions"], 2);
    assert_eq!(review["summary"]["conflicts"], 0);
    // A 課 of another 部 is not 総務部's to gather.
    let stranger = dxplan(&[
        "round",
        "review",
        p(&copy),
        "--workbook",
        p(&bu_book),
        p(&answers.join("情報政策課_回答.xlsx")),
    ]);
    assert_eq!(stranger.code, Some(2));
    assert!(
        stranger.stderr.contains("取りまとめの対象ではありません"),
        "{}",
        stranger.stderr
    );
    let bu_answer = answers.join("総務部_回答.xlsx");
    ok(&[
        "round",
        "answer",
        p(&copy),
        "--workbook",
        p(&bu_book),
        "-o",
        p(&bu_answer),
    ]);
    // The 部 adds its own word in Excel before sending.
    {
        let mut x = Xlsx::open(&bu_answer);
        let (sheet, cell) = cell_of(
            &bu_answer,
            &bousai.id,
            |k| *k == status_row(ProgressField::Remedies),
            Some(FY),
        );
        x.set(&sheet, &cell, Some("部内で進捗を毎月確認する"));
        x.set(
            "表紙",
            &cover_cell(&bu_answer, "respondent"),
            Some("総務部 次長 中村"),
        );
        x.set_saved_at("2027-01-28T01:00:00Z");
        x.save(&bu_answer);
    }

    // Merged in every order, the plan is the same: the folder (by name), the files reversed,
    // and one file at a time in reverse.
    // Excel's lock file of an answer still open sits in the folder: passed by.
    std::fs::write(answers.join("~$情報政策課_回答.xlsx"), b"lock").unwrap();
    let empty = w.path("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let r = dxplan(&["merge", p(&w.plan), p(&empty)]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("回答のファイル"), "{}", r.stderr);
    let before_merge = std::fs::read(&w.plan).unwrap();
    let (plan_b, plan_c) = (w.path("b.dxplan"), w.path("c.dxplan"));
    std::fs::write(&plan_b, &before_merge).unwrap();
    std::fs::write(&plan_c, &before_merge).unwrap();
    let report = json(&["merge", p(&w.plan), p(&answers), "--json"]);
    assert_eq!(report["summary"]["submissions"], 6);
    assert_eq!(report["summary"]["conflicts"], 0, "{report:#}");
    let mut files = dxplan::merge::files::answers_in(&answers).unwrap();
    files.reverse();
    let mut args = vec!["merge", p(&plan_b)];
    args.extend(files.iter().map(|f| p(f)));
    ok(&args);
    for f in &files {
        ok(&["merge", p(&plan_c), p(f)]);
    }
    let dump = ok(&["dump", p(&w.plan), "--compact"]);
    assert_eq!(
        dump,
        ok(&["dump", p(&plan_b), "--compact"]),
        "reversed files"
    );
    assert_eq!(
        dump,
        ok(&["dump", p(&plan_c), "--compact"]),
        "one at a time, reversed"
    );
    assert!(json(&["conflicts", p(&plan_c), "--json"])
        .as_array()
        .unwrap()
        .is_empty());

    // What the plan holds now.
    let now = |id: &str| load(&w.plan, id);
    assert_eq!(planned(&now(&info.id), FY), Some(4321));
    assert_eq!(progress(&now(&info.id), FY).unwrap().status, "遅れ");
    assert_eq!(
        actual(&now(&shimin.id), FY).as_deref(),
        Some("125件"),
        "the last correction"
    );
    assert_eq!(progress(&now(&shimin.id), FY).unwrap().status, "順調");
    assert_eq!(planned(&now(&jinji.id), FY), Some(777));
    let b = now(&bousai.id);
    assert_eq!(
        progress(&b, FY).unwrap().status,
        "概ね順調",
        "防災安全課 via 総務部"
    );
    assert_eq!(
        progress(&b, FY).unwrap().remedies,
        "部内で進捗を毎月確認する",
        "総務部's own word"
    );

    // The cover is kept with each answer, and the chain 課 → 部 → 事務局.
    let subs = json(&["submissions", p(&w.plan), "--json"]);
    let sub_of = |file: &str| {
        subs.as_array()
            .unwrap()
            .iter()
            .find(|s| s["file"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("no submission {file}"))
            .clone()
    };
    let s = sub_of("情報政策課_回答.xlsx");
    assert_eq!(s["respondent"], "情報政策課 鈴木 一郎");
    assert_eq!(s["contact"], "内線5001 suzuki@city.example.jp");
    assert_eq!(s["remarks"], "遅れて申し訳ありません。");
    assert_eq!(s["saved_at"], "2027-02-03T02:00:00Z");
    let bu = sub_of("総務部_回答.xlsx");
    assert_eq!(bu["respondent"], "総務部 次長 中村");
    let via: Vec<&str> = bu["via"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["department"].as_str().unwrap())
        .collect();
    assert_eq!(via, ["人事課", "防災安全課"]);
    assert_eq!(bu["via"][1]["respondent"], "防災安全課 伊藤");
    let text = ok(&["submissions", p(&w.plan)]);
    assert!(text.contains("記入者 情報政策課 鈴木 一郎"), "{text}");
    assert!(
        text.contains("人事課・防災安全課 → 総務部 → 事務局"),
        "{text}"
    );
    let history = ok(&["history", p(&w.plan), "--project", &bousai.id]);
    assert!(history.contains("人事課・防災安全課 → 総務部"), "{history}");

    // Status after: who answered, when, late or not; the rest outstanding.
    let after = json(&[
        "round",
        "status",
        p(&w.plan),
        TITLE,
        "--as-of",
        "2027-02-05",
        "--json",
    ]);
    let d = department(&after, "情報政策課");
    assert_eq!(d["state"], "answered");
    assert_eq!(d["late"], true);
    assert_eq!(d["days_late"], 3);
    assert_eq!(d["answers"][0]["respondent"], "情報政策課 鈴木 一郎");
    assert_eq!(d["answers"][0]["remarks"], "遅れて申し訳ありません。");
    assert_eq!(
        d["changes_applied"], 2,
        "the budget cell and the year's progress"
    );
    let d = department(&after, "市民課");
    assert_eq!(d["state"], "answered");
    assert_eq!(d["late"], false);
    assert_eq!(d["answers"].as_array().unwrap().len(), 3);
    assert_eq!(d["conflicts_open"], 0);
    assert_eq!(d["answers"][2]["remarks"], "再度訂正しました。");
    assert_eq!(department(&after, "人事課")["state"], "answered");
    let d = department(&after, "防災安全課");
    assert_eq!(d["state"], "answered_via");
    assert_eq!(d["reviewed_by"], "総務部");
    assert_eq!(d["via"]["department"], "総務部");
    assert_eq!(d["via"]["respondent"], "防災安全課 伊藤");
    assert_eq!(d["late"], false);
    let d = department(&after, "総務部");
    assert_eq!(d["state"], "answered");
    assert_eq!(
        d["answers"][0]["gathered"],
        serde_json::json!(["人事課", "防災安全課"])
    );
    let outstanding = books.len() - 5;
    assert_eq!(after["totals"]["answered"], 4);
    assert_eq!(after["totals"]["answered_via"], 1);
    assert_eq!(after["totals"]["outstanding"], outstanding);
    assert_eq!(after["totals"]["late"], outstanding + 1);
    assert_eq!(after["totals"]["conflicts_open"], 0);
    let text = ok(&["round", "status", p(&w.plan), "--as-of", "2027-02-05"]);
    assert!(text.contains("防災安全課 → 総務部 → 事務局"), "{text}");
    assert!(
        text.contains("情報政策課: 回答済み 2027-02-03 【3 日遅れ】"),
        "{text}"
    );

    // Progress per 基本方針: 遅れ (情報政策課), 順調 (市民課), 概ね順調 (防災安全課 via 総務部).
    let plan = Store::open_read_only(&w.plan).unwrap().load_plan().unwrap();
    let policy_of = |pr: &Project| {
        let m = plan
            .measures
            .iter()
            .find(|m| m.id == pr.measure_ids[0])
            .unwrap();
        m.policy_id.clone()
    };
    let prog = &after["progress"];
    assert_eq!(prog["fiscal_year"], FY);
    let count = |row: &Json, i: usize| row["status"][i].as_u64().unwrap();
    let total = &prog["total"];
    assert_eq!(
        (count(total, 0), count(total, 1), count(total, 2)),
        (1, 1, 1)
    );
    assert_eq!(total["no_status"], plan.projects.len() - 3);
    assert_eq!(total["evaluation"][2], 1, "one C");
    for (pr, i) in [(&shimin, 0), (&bousai, 1), (&info, 2)] {
        let row = prog["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["policy_id"] == policy_of(pr).as_str())
            .unwrap();
        assert!(count(row, i) >= 1, "{} under its 基本方針", pr.title);
    }
    // The master workbook has them in 進捗集計.
    let master = w.path("全体.xlsx");
    ok(&["export", p(&w.plan), "-o", p(&master)]);
    let rows = xlsx_rows(&master, "進捗集計");
    let head = rows
        .iter()
        .find(|r| r.get(1).is_some_and(|c| c == "基本方針"))
        .unwrap();
    assert_eq!(&head[2..7], ["順調", "概ね順調", "遅れ", "未着手", "完了"]);
    let total_of = |fy: &str| {
        let from = rows.iter().position(|r| r[0].starts_with(fy)).unwrap();
        rows[from..]
            .iter()
            .find(|r| r.get(1).is_some_and(|c| c == "合計"))
            .unwrap()
            .clone()
    };
    assert_eq!(&total_of("2025年度")[2..5], ["1", "1", "1"]);
    assert_eq!(
        &total_of("2024年度")[2..5],
        ["0", "0", "1"],
        "last year's 遅れ"
    );

    // The 督促 list after: only who has still not answered.
    let remind = w.path("督促_後.csv");
    ok(&[
        "round",
        "remind",
        p(&w.plan),
        "--as-of",
        "2027-02-05",
        "-o",
        p(&remind),
    ]);
    let rows = csv_rows(&remind);
    assert_eq!(rows.len(), outstanding);
    for done in ["情報政策課", "市民課", "人事課", "防災安全課", "総務部"] {
        assert!(rows.iter().all(|r| r[0] != done), "{done} answered");
    }
    assert!(rows.iter().all(|r| r[4] == "5"));
}

#[test]
fn a_corrected_answer_replaces_the_departments_own_values_but_not_the_offices() {
    let w = World::new();
    let pr = w.led_by("市民課");
    let out = w.path("out");
    let started = json(&[
        "round",
        "start",
        p(&w.plan),
        "--title",
        "訂正の照会",
        "--deadline",
        DEADLINE,
        "--fiscal-year",
        "2025",
        "--departments",
        "市民課",
        "-o",
        p(&out),
        "--json",
    ]);
    let book = PathBuf::from(started["workbooks"][0]["file"].as_str().unwrap());
    let key = RowKey::Actual {
        id: pr.indicators[0].id.clone(),
    };
    let version = |name: &str, value: &str, saved: &str| {
        let f = w.path(name);
        answer(
            &book,
            &f,
            &Answer {
                cells: vec![(&pr.id, key.clone(), Some(FY), value)],
                numbers: vec![(&pr.id, RowKey::Planned, FY, 5000.0)],
                cover: ["市民課 田中", "内線3001", ""],
                saved_at: saved,
            },
        );
        f
    };
    let v0 = version("v0.xlsx", "90件", "2027-01-19T00:00:00Z");
    let v1 = version("v1.xlsx", "100件", "2027-01-20T00:00:00Z");
    let v2 = version("v2.xlsx", "120件", "2027-01-21T00:00:00Z");
    // Merged one after the other, in separate commands: the correction replaces the first
    // answer's value, without a conflict with itself.
    ok(&["merge", p(&w.plan), p(&v1)]);
    assert_eq!(actual(&load(&w.plan, &pr.id), FY).as_deref(), Some("100件"));
    let r = json(&["merge", p(&w.plan), p(&v2), "--json"]);
    assert_eq!(r["summary"]["conflicts"], 0, "{r:#}");
    assert_eq!(r["summary"]["applied"], 1, "only the corrected cell: {r:#}");
    assert_eq!(actual(&load(&w.plan, &pr.id), FY).as_deref(), Some("120件"));
    // A version saved before the one merged changes nothing.
    let r = json(&["merge", p(&w.plan), p(&v0), "--json"]);
    assert!(r["submissions"][0]["superseded_by"].is_i64(), "{r:#}");
    assert_eq!(r["summary"]["applied"], 0);
    assert_eq!(actual(&load(&w.plan, &pr.id), FY).as_deref(), Some("120件"));
    // The office changes the cell; a further correction does not silently overwrite it.
    w.office_edit(&pr.id, |q| {
        let v = q.indicators[0]
            .values
            .iter_mut()
            .find(|v| v.fiscal_year == FY)
            .unwrap();
        v.actual = dxplan::parse::value::parse_value("118件");
    });
    let v3 = version("v3.xlsx", "121件", "2027-01-23T00:00:00Z");
    let r = json(&["merge", p(&w.plan), p(&v3), "--json"]);
    assert_eq!(r["summary"]["conflicts"], 1, "{r:#}");
    let c = &r["submissions"][0]["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["project_id"] == pr.id.as_str())
        .unwrap()["conflicts"][0];
    assert_eq!(
        c["base"]["text"], "120件",
        "compared against the department's last word"
    );
    assert_eq!(c["ours"]["text"], "118件");
    assert_eq!(actual(&load(&w.plan, &pr.id), FY).as_deref(), Some("118件"));
    // Its next correction supersedes its own open conflict: one stays open, the newest.
    let v4 = version("v4.xlsx", "122件", "2027-01-24T00:00:00Z");
    ok(&["merge", p(&w.plan), p(&v4)]);
    let open = json(&["conflicts", p(&w.plan), "--json"]);
    assert_eq!(open.as_array().unwrap().len(), 1);
    assert_eq!(open[0]["theirs"]["text"], "122件");
    // Its last word takes both changes back: the office's value stands, nothing left open,
    // and its own budget change returns to what it was sent.
    let v5 = w.path("v5.xlsx");
    answer(
        &book,
        &v5,
        &Answer {
            cells: vec![],
            numbers: vec![],
            cover: ["市民課 田中", "内線3001", "取り下げます。"],
            saved_at: "2027-01-25T00:00:00Z",
        },
    );
    ok(&["merge", p(&w.plan), p(&v5)]);
    assert!(json(&["conflicts", p(&w.plan), "--json"])
        .as_array()
        .unwrap()
        .is_empty());
    let now = load(&w.plan, &pr.id);
    assert_eq!(actual(&now, FY).as_deref(), Some("118件"));
    assert_eq!(planned(&now, FY), planned(&pr, FY));
}

#[test]
fn the_progress_scale_is_the_plans_and_the_drop_downs_follow_it() {
    let w = World::new();
    let r = dxplan(&["scale", p(&w.plan), "--status", "順調,遅れ,順調"]);
    assert_eq!(r.code, Some(2), "a choice twice is refused");
    assert!(r.stderr.contains("重複"), "{}", r.stderr);
    ok(&[
        "scale",
        p(&w.plan),
        "--status",
        "順調、やや遅れ、遅れ、完了",
        "--evaluation",
        "◎,○,△,×",
    ]);
    let scale = json(&["scale", p(&w.plan), "--json"]);
    assert_eq!(
        scale["status"],
        serde_json::json!(["順調", "やや遅れ", "遅れ", "完了"])
    );
    let pr = w.led_by("市民課");
    let f = w.path("市民課.xlsx");
    ok(&[
        "export",
        p(&w.plan),
        "--department",
        "市民課",
        "--fy",
        "2025",
        "-o",
        p(&f),
    ]);
    let (sheet, _) = cell_of(
        &f,
        &pr.id,
        |k| *k == status_row(ProgressField::Status),
        Some(FY),
    );
    let xml = Xlsx::open(&f).sheet_xml(&sheet);
    assert!(xml.contains("<formula1>\"順調,やや遅れ,遅れ,完了\"</formula1>"));
    assert!(xml.contains("<formula1>\"◎,○,△,×\"</formula1>"));
    // A department's working copy writes its answer with the same drop-downs.
    let copy = w.path("copy.dxplan");
    ok(&["round", "review", p(&copy), "--workbook", p(&f)]);
    let ans = w.path("answer.xlsx");
    ok(&[
        "round",
        "answer",
        p(&copy),
        "--workbook",
        p(&f),
        "-o",
        p(&ans),
    ]);
    assert!(Xlsx::open(&ans)
        .sheet_xml(&sheet)
        .contains("<formula1>\"◎,○,△,×\"</formula1>"));
    // Gathering needs a 部's workbook of a round.
    let r = dxplan(&["round", "review", p(&copy), "--workbook", p(&f), p(&ans)]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("取りまとめるブックではありません"),
        "{}",
        r.stderr
    );
    ok(&["scale", p(&w.plan), "--reset"]);
    assert_eq!(
        json(&["scale", p(&w.plan), "--json"])["evaluation"],
        serde_json::json!(["A", "B", "C", "D"])
    );
}
