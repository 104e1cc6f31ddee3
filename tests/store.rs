//! The plan file on disk: round trip, change log, migrations, refusing foreign files.

use std::path::Path;

use dxplan::model::*;
use dxplan::store::{schema, OpInfo, OpKind, Store, StoreError};

fn sample() -> Plan {
    dxplan::sample::onojo().expect("bundled sample parses")
}

fn sorted(mut p: Plan) -> Plan {
    p.org_units.sort_by(|a, b| a.id.cmp(&b.id));
    p
}

fn write_plan(path: &Path, plan: &Plan) -> Store {
    let mut s = Store::create(path, &plan.info).unwrap();
    s.write(OpInfo::new(OpKind::Sample), |w| w.put_contents(plan))
        .unwrap();
    s
}

#[test]
fn sample_round_trips_through_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("onojo.dxplan");
    let plan = sample();
    drop(write_plan(&path, &plan));
    let loaded = Store::open(&path).unwrap().load_plan().unwrap();
    assert_eq!(sorted(loaded), sorted(plan));
}

#[test]
fn generated_plan_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gen.dxplan");
    let plan = dxplan::generate::generate(300, 7);
    drop(write_plan(&path, &plan));
    let loaded = Store::open(&path).unwrap().load_plan().unwrap();
    assert_eq!(loaded.projects.len(), 300);
    assert_eq!(sorted(loaded), sorted(plan));
}

#[test]
fn edits_are_logged_field_by_field_and_bump_the_revision() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.dxplan");
    let plan = sample();
    let mut store = write_plan(&path, &plan);
    let mut p = plan.projects[0].clone();
    let rev0 = store.project_revision(&p.id).unwrap().unwrap();

    let kpi = p
        .indicators
        .iter_mut()
        .find(|i| i.kind == IndicatorKind::KPI)
        .unwrap();
    kpi.values[0].actual = Some(Value {
        text: "41 手続".into(),
        number: Some(41.0),
        unit: Some("手続".into()),
        denominator: None,
        qualifier: None,
        markers: vec![],
    });
    let kpi_id = kpi.id.clone();
    let fy = kpi.values[0].fiscal_year;
    p.budget[1].planned_thousand_yen = None; // cleared, which is not 0
    let changes = store
        .write(OpInfo::new(OpKind::LocalEdit), |w| w.save_project(&p))
        .unwrap();
    let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    let actual_field = format!("indicator/{kpi_id}/{fy}/actual");
    let budget_field = format!("budget/{}/planned", p.budget[1].fiscal_year);
    assert_eq!(fields, vec![budget_field.as_str(), actual_field.as_str()]);
    assert_eq!(store.project_revision(&p.id).unwrap().unwrap(), rev0 + 1);

    let history = store.history(Some(&p.id)).unwrap();
    let entry = history.iter().find(|h| h.field == actual_field).unwrap();
    assert_eq!(entry.kind, OpKind::LocalEdit);
    assert_eq!(entry.old_value, None);
    assert_eq!(entry.new_value.as_ref().unwrap()["text"], "41 手続");
    let cleared = history.iter().find(|h| h.field == budget_field).unwrap();
    assert!(cleared.old_value.is_some() && cleared.new_value.is_none());

    // Saving the same project again changes nothing and logs nothing.
    let n = store.history(None).unwrap().len();
    let again = store
        .write(OpInfo::new(OpKind::LocalEdit), |w| w.save_project(&p))
        .unwrap();
    assert!(again.is_empty());
    assert_eq!(store.history(None).unwrap().len(), n);
    assert_eq!(store.project_revision(&p.id).unwrap().unwrap(), rev0 + 1);
    assert_eq!(store.load_project(&p.id).unwrap().unwrap(), p);
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.dxplan");
    let plan = sample();
    let mut store = write_plan(&path, &plan);
    let before = store.load_plan().unwrap();
    let mut p = plan.projects[0].clone();
    p.title = "変更".into();
    let mut bad = plan.projects[1].clone();
    bad.schedule[0].start_fy = 2030; // after its end: refused
    let err = store.write(OpInfo::new(OpKind::LocalEdit), |w| {
        w.save_project(&p)?;
        w.save_project(&bad)
    });
    assert!(matches!(err, Err(StoreError::Invalid(_))), "{err:?}");
    assert_eq!(store.load_plan().unwrap(), before);
}

#[test]
fn foreign_keys_are_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.dxplan");
    let plan = sample();
    let mut store = write_plan(&path, &plan);
    let mut p = plan.projects[0].clone();
    p.owners.push(Owner {
        unit_id: "no-such-unit".into(),
        role: OwnerRole::Co,
    });
    assert!(store
        .write(OpInfo::new(OpKind::LocalEdit), |w| w.save_project(&p))
        .is_err());
}

#[test]
fn file_uses_wal_and_current_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.dxplan");
    let store = write_plan(&path, &sample());
    let c = store.connection();
    let mode: String = c
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = c
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    let v: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, schema::latest_version());
    assert!(schema::migrations().validate().is_ok());
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn a_text_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.dxplan");
    std::fs::write(&path, "これは計画ファイルではありません\n").unwrap();
    let before = bytes(&path);
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::NotAPlan(_)));
    assert!(
        err.to_string().contains("計画ファイルではありません")
            && err.to_string().contains("not a dxplan plan file")
    );
    assert_eq!(bytes(&path), before);
    assert!(!dir.path().join("notes.dxplan-wal").exists());
}

#[test]
fn another_apps_sqlite_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.dxplan");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = bytes(&path);
    assert!(matches!(Store::open(&path), Err(StoreError::NotAPlan(_))));
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_plan_from_a_newer_schema_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.dxplan");
    drop(write_plan(&path, &sample()));
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = bytes(&path);
    let err = Store::open(&path).err().unwrap();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, .. }),
        "{err:?}"
    );
    assert_eq!(bytes(&path), before);
}

#[test]
fn an_empty_or_missing_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.dxplan");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(Store::open(&empty), Err(StoreError::NotAPlan(_))));
    assert!(matches!(
        Store::open(&dir.path().join("none.dxplan")),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn create_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.dxplan");
    std::fs::write(&path, "keep me").unwrap();
    assert!(matches!(
        Store::create(&path, &sample().info),
        Err(StoreError::AlreadyExists(_))
    ));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
}

/// A department export reads only the department's projects: the same ones, loaded the same
/// way, as filtering the whole plan gives.
#[test]
fn plan_of_units_holds_exactly_the_departments_projects() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sorted(dxplan::generate::generate(120, 3));
    let store = write_plan(&dir.path().join("p.dxplan"), &plan);
    let full = store.load_plan().unwrap();
    let mut checked = 0;
    for unit in &full.org_units {
        let units: Vec<String> = dxplan::export::unit_and_descendants(&full, &unit.id)
            .into_iter()
            .collect();
        let part = store.load_plan_of_units(&units).unwrap();
        let expected: Vec<&Project> = dxplan::export::department_projects(&full, &unit.id);
        assert_eq!(
            part.projects.iter().collect::<Vec<_>>(),
            expected,
            "{}",
            unit.name
        );
        assert_eq!(
            (&part.info, &part.org_units, &part.policies, &part.measures),
            (&full.info, &full.org_units, &full.policies, &full.measures)
        );
        checked += expected.len();
    }
    assert!(checked >= 120, "every project has an owner: {checked}");
    let revisions = store.project_revisions().unwrap();
    assert_eq!(revisions.len(), 120);
    assert!(full
        .projects
        .iter()
        .all(|p| store.project_revision(&p.id).unwrap() == revisions.get(&p.id).copied()));
}

#[test]
fn a_write_left_unfinished_is_rolled_back_when_the_plan_is_next_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.dxplan");
    let plan = dxplan::generate::generate(300, 3);
    drop(write_plan(&path, &plan));
    let before = Store::open_read_only(&path).unwrap().load_plan().unwrap();

    // A writer in rollback-journal mode whose changed pages outgrew its cache has written
    // them into the plan file; copied then, with its journal, the copy is a plan whose
    // writer stopped there (no process holds its lock: the journal is hot).
    let copy = dir.path().join("stopped.dxplan");
    let untouched;
    {
        let mut w = rusqlite::Connection::open(&path).unwrap();
        w.pragma_update(None, "journal_mode", "DELETE").unwrap();
        untouched = std::fs::read(&path).unwrap();
        w.pragma_update(None, "cache_size", 4).unwrap();
        let tx = w.transaction().unwrap();
        tx.execute("UPDATE project SET title = title || '（途中）'", [])
            .unwrap();
        let journal = format!("{}-journal", path.display());
        assert!(Path::new(&journal).exists(), "no journal mid-write");
        std::fs::copy(&path, &copy).unwrap();
        std::fs::copy(&journal, format!("{}-journal", copy.display())).unwrap();
        drop(tx);
    }
    assert_ne!(
        std::fs::read(&copy).unwrap(),
        untouched,
        "the copy holds pages of the unfinished write"
    );
    // Read-only commands open it too (as `dxplan dump` does), and see the plan as before.
    let read = Store::open_read_only(&copy).expect("a plan left mid-write opens to read");
    assert_eq!(read.load_plan().unwrap(), before);
    drop(read);
    assert!(!Path::new(&format!("{}-journal", copy.display())).exists());
    let store = Store::open(&copy).unwrap();
    let ok: String = store
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    assert_eq!(store.load_plan().unwrap(), before);
}
