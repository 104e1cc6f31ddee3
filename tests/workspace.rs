//! The use cases (`dxplan::workspace`) as both front ends meet them: the rules of an edit, the
//! office-only actions, a department's workbook by name (the CLI) or by id (the app), and plan
//! files written whole. On the bundled sample plan, in real files.

use std::path::{Path, PathBuf};

use dxplan::workspace::{
    self, Department, DepartmentExport, Mode, NewVersion, Workspace, WorkspaceError,
};

fn sample(dir: &Path) -> PathBuf {
    let path = dir.join("office.dxplan");
    workspace::write_sample(&path).expect("sample");
    path
}

fn department(path: &Path, unit_id: &str) -> Workspace {
    Workspace::open(
        path,
        Mode::Department {
            unit_id: unit_id.into(),
            unit_name: "市民課".into(),
            workbook: path.with_extension("xlsx"),
            export_id: "e".into(),
        },
    )
    .expect("open as a department")
}

fn code<T: std::fmt::Debug>(r: Result<T, WorkspaceError>) -> &'static str {
    r.expect_err("refused").code().as_str()
}

#[test]
fn an_edit_is_refused_when_stale_not_owned_or_dropping_its_own_department() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(dir.path());
    let mut office = Workspace::open(&path, Mode::Office).unwrap();
    let mut p = office.plan().projects[0].clone();
    let rev = office.revision(&p.id).unwrap();
    p.texts.summary = "事務局で直した概要".into();
    let saved = office.save_project(p.clone(), rev).unwrap();
    assert_eq!(saved.changed, vec!["texts.summary".to_string()]);
    assert_eq!(office.revision(&p.id).unwrap(), rev + 1);
    // the revision the edit began on is stale now
    p.texts.summary = "古い画面からの変更".into();
    assert_eq!(code(office.save_project(p.clone(), rev)), "stale");
    drop(office);

    // a department changes only its own projects, and cannot drop itself from one
    let unit = p.owners[0].unit_id.clone();
    let mut dept = department(&path, &unit);
    let other = dept
        .plan()
        .projects
        .iter()
        .find(|q| !q.owners.iter().any(|o| o.unit_id == unit))
        .expect("a project of another department")
        .clone();
    let other_rev = dept.revision(&other.id).unwrap();
    assert_eq!(code(dept.save_project(other, other_rev)), "read_only");
    let mut own = dept.project(&p.id).unwrap().clone();
    own.owners.retain(|o| o.unit_id != unit);
    let own_rev = dept.revision(&own.id).unwrap();
    assert_eq!(code(dept.save_project(own, own_rev)), "invalid");
    // nothing of the refused edits reached the file
    let reopened = Workspace::open(&path, Mode::Office).unwrap();
    assert_eq!(
        reopened.project(&p.id).unwrap().texts.summary,
        "事務局で直した概要"
    );
}

#[test]
fn office_only_actions_are_refused_in_a_department_working_copy() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(dir.path());
    let unit = Workspace::open(&path, Mode::Office)
        .unwrap()
        .plan()
        .projects[0]
        .owners[0]
        .unit_id
        .clone();
    let mut dept = department(&path, &unit);
    let out = dir.path().join("out.xlsx");
    let files = vec![dir.path().join("a.xlsx")];
    assert_eq!(code(dept.merge(&files, true)), "read_only");
    assert_eq!(
        code(dept.import(&files, true, &Default::default())),
        "read_only"
    );
    assert_eq!(code(dept.export_department(&unit, &out, None)), "read_only");
    assert_eq!(
        code(dept.resolve(1, workspace::Resolution::Ours)),
        "read_only"
    );
    assert_eq!(code(dept.undo_merge(1)), "read_only");
    let measure = dept.plan().measures[0].id.clone();
    assert_eq!(
        code(dept.create_project(&measure, "新しい事業")),
        "read_only"
    );
    let v = NewVersion {
        label: "第2.0版".into(),
        issued_on: None,
        note: String::new(),
    };
    assert_eq!(code(dept.record_version(&v)), "read_only");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_department_workbook_by_name_and_by_id_carries_the_same_projects() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(dir.path());
    let office = Workspace::open(&path, Mode::Office).unwrap();
    let choice = office
        .departments()
        .into_iter()
        .find(|d| d.name == "市民課")
        .expect("市民課 owns projects");
    let by_id = office
        .export_department(&choice.unit_id, &dir.path().join("by_id.xlsx"), None)
        .unwrap();
    drop(office);
    let by_name = workspace::export_department(
        &path,
        Department::Name("市民課"),
        &DepartmentExport::default(),
        &dir.path().join("by_name.xlsx"),
    )
    .unwrap();
    assert_eq!(by_id.projects.len(), choice.projects);
    assert_eq!(by_id.projects, by_name.projects);
    assert_ne!(by_id.export_id, by_name.export_id);
    // an unknown name is refused with the names that can be used
    let e = workspace::export_department(
        &path,
        Department::Name("存在しない課"),
        &DepartmentExport::default(),
        &dir.path().join("none.xlsx"),
    )
    .expect_err("unknown department");
    assert!(e.to_string().contains("市民課"), "{e}");
    // the plan itself is never the output
    assert_eq!(
        code(workspace::export_master(&path, None, false, &path)),
        "export"
    );
}

#[test]
fn the_sample_is_written_whole_and_never_over_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(dir.path());
    let before = std::fs::read(&path).unwrap();
    assert_eq!(code(workspace::write_sample(&path)), "exists");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.ends_with("-new")),
        "no temporary file is left: {names:?}"
    );
    // reset replaces it by a fresh copy: an edit made since is gone
    let mut w = Workspace::open(&path, Mode::Office).unwrap();
    let mut p = w.plan().projects[0].clone();
    let rev = w.revision(&p.id).unwrap();
    p.title = "直した事業名".into();
    w.save_project(p.clone(), rev).unwrap();
    drop(w);
    workspace::reset_sample(&path).unwrap();
    let w = Workspace::open(&path, Mode::Office).unwrap();
    assert_ne!(w.project(&p.id).unwrap().title, "直した事業名");
    assert!(w
        .history(None)
        .unwrap()
        .iter()
        .all(|h| h.kind != workspace::OpKind::LocalEdit));
}
