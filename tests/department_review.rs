//! 部 review from an open working copy (`Workspace::review_members`, `gather_answers`), as the
//! app does it: a round with `--review 総務部`, 防災安全課's answer taken into 総務部's working
//! copy (previewed first), 総務部's one submission merged at the office, and the chain
//! 課 → 部 → 事務局 in the plan's history.

use std::path::{Path, PathBuf};

use crate::common::{dxplan, p};
use crate::support::sheet_cells::cell_of;
use crate::support::xlsx_edit::Xlsx;
use dxplan::export::layout::{ProgressField, RowKey};
use dxplan::model::Project;
use dxplan::store::Store;
use dxplan::workspace::{self, Resolution, Workspace, WorkspaceError};

const FY: i32 = 2025;

fn status(pr: &Project) -> Option<String> {
    pr.progress
        .iter()
        .find(|g| g.fiscal_year == FY)
        .map(|g| g.status.clone())
}

/// A round over the sample with 総務部 reviewing; the workbook of each department by name.
fn round(dir: &Path) -> (PathBuf, impl Fn(&str) -> PathBuf) {
    let plan = dir.join("central.dxplan");
    dxplan(&["sample", p(&plan)]).expect_ok("sample");
    let out = dir.join("照会");
    let started = dxplan(&[
        "round",
        "start",
        p(&plan),
        "--title",
        "第2回 進捗照会",
        "--deadline",
        "2027-01-31",
        "--fiscal-year",
        "2025",
        "--review",
        "総務部",
        "-o",
        p(&out),
        "--json",
    ])
    .expect_ok("round start")
    .json();
    let books: Vec<(String, PathBuf)> = started["workbooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["department"].as_str().unwrap().to_string(),
                PathBuf::from(b["file"].as_str().unwrap()),
            )
        })
        .collect();
    (plan, move |name: &str| {
        books
            .iter()
            .find(|(d, _)| d == name)
            .unwrap_or_else(|| panic!("no workbook for {name}"))
            .1
            .clone()
    })
}

#[test]
fn a_bu_takes_its_ka_answers_into_its_working_copy_and_sends_one_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (plan, book) = round(dir.path());
    let sample = Store::open_read_only(&plan).unwrap().load_plan().unwrap();
    let bousai = sample
        .org_units
        .iter()
        .find(|u| u.name == "防災安全課")
        .unwrap();
    let pr = sample
        .projects
        .iter()
        .find(|pr| pr.owners[0].unit_id == bousai.id)
        .expect("a project led by 防災安全課")
        .clone();
    assert_ne!(status(&pr).as_deref(), Some("遅れ"));

    // 防災安全課 answers: the year's 状況 and its cover, as typed in Excel.
    let ka_book = book("防災安全課");
    let ka_answer = dir.path().join("防災安全課_回答.xlsx");
    std::fs::copy(&ka_book, &ka_answer).unwrap();
    let mut x = Xlsx::open(&ka_answer);
    let (sheet, cell) = cell_of(
        &ka_book,
        &pr.id,
        |k| {
            *k == RowKey::Progress {
                field: ProgressField::Status,
            }
        },
        Some(FY),
    );
    x.set(&sheet, &cell, Some("遅れ"));
    x.set_saved_at("2027-01-20T01:00:00Z");
    x.save(&ka_answer);

    // A 課's own working copy gathers nothing.
    let copies = dir.path().join("作業用");
    let wc = workspace::open_department_workbook(&copies, &ka_book).unwrap();
    let mut ka = Workspace::open(&wc.plan, wc.mode()).unwrap();
    assert!(ka.review_members().unwrap().is_empty());
    assert!(ka
        .gather_answers(std::slice::from_ref(&ka_answer), true)
        .is_err());

    // 総務部 opens its workbook as a working copy: it gathers its 課.
    let bu_book = book("総務部");
    let wc = workspace::open_department_workbook(&copies, &bu_book).unwrap();
    let mut bu = Workspace::open(&wc.plan, wc.mode()).unwrap();
    let members = bu.review_members().unwrap();
    assert!(
        members.iter().any(|m| m == "防災安全課") && members.iter().any(|m| m == "人事課"),
        "{members:?}"
    );
    assert!(matches!(
        bu.gather_answers(&[], true),
        Err(WorkspaceError::Invalid(_))
    ));
    // the 部 may edit its 課's projects (as the office's merge lets its answer change them), and
    // says 順調 where its 課 will say 遅れ
    let mine = bu.project(&pr.id).unwrap().clone();
    assert!(
        bu.editable(&mine),
        "a 部 edits the projects of the 課 below it"
    );
    let mut edited = mine.clone();
    edited.progress.retain(|g| g.fiscal_year != FY);
    edited.progress.push(dxplan::model::Progress {
        fiscal_year: FY,
        status: "順調".into(),
        achievements: String::new(),
        issues: String::new(),
        remedies: String::new(),
        evaluation: String::new(),
    });
    let rev = bu.revision(&pr.id).unwrap();
    bu.save_project(edited, rev).unwrap();
    // the preview changes nothing
    let preview = bu
        .gather_answers(std::slice::from_ref(&ka_answer), true)
        .unwrap();
    assert!(preview.dry_run);
    assert_eq!(preview.summary.submissions, 1);
    assert_eq!(preview.summary.conflicts, 1, "{:?}", preview.summary);
    let in_copy = |w: &Workspace| {
        w.plan()
            .projects
            .iter()
            .find(|x| x.id == pr.id)
            .cloned()
            .unwrap()
    };
    assert_eq!(status(&in_copy(&bu)).as_deref(), Some("順調"));
    // taken in: the 部's own 順調 kept, the 課's 遅れ a conflict the 部 decides
    let taken = bu
        .gather_answers(std::slice::from_ref(&ka_answer), false)
        .unwrap();
    assert_eq!(taken.summary.conflicts, 1);
    assert_eq!(status(&in_copy(&bu)).as_deref(), Some("順調"));
    let open = bu.conflicts(true).unwrap();
    assert_eq!(open.len(), 1);
    // a 課's own copy decides nothing of the kind
    assert!(matches!(
        ka.resolve(open[0].id, Resolution::Theirs),
        Err(WorkspaceError::ReadOnly(_))
    ));
    bu.resolve(open[0].id, Resolution::Theirs).unwrap();
    assert_eq!(status(&in_copy(&bu)).as_deref(), Some("遅れ"));
    assert!(bu.conflicts(true).unwrap().is_empty());
    // a 課 of another 部 is not 総務部's to gather
    let stranger = book("情報政策課");
    assert!(bu.gather_answers(&[stranger], true).is_err());

    // 総務部's one submission, merged at the office: the 課's value, and the chain in history.
    let bu_answer = dir.path().join("総務部_回答.xlsx");
    bu.write_submission(&bu_answer, None).unwrap();
    dxplan(&["merge", p(&plan), p(&bu_answer)]).expect_ok("merge the 部's answer");
    let now = Store::open_read_only(&plan)
        .unwrap()
        .load_project(&pr.id)
        .unwrap()
        .unwrap();
    assert_eq!(status(&now).as_deref(), Some("遅れ"));
    let history = dxplan(&["history", p(&plan), "--project", &pr.id, "--json"])
        .expect_ok("history")
        .json();
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "merge" && e["department"] == "防災安全課 → 総務部"),
        "{history:#}"
    );
    let subs = dxplan(&["submissions", p(&plan)])
        .expect_ok("submissions")
        .stdout;
    assert!(
        subs.contains("取りまとめ: 防災安全課 → 総務部 → 事務局"),
        "{subs}"
    );
}
