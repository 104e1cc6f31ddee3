//! A plan on a network share (共有フォルダ, SMB) is opened with a rollback journal and exclusive
//! locking, never WAL (issue 14). This machine has no SMB share (a bind mount is not one), so the
//! plan is opened as the detection would open a plan it found on a share (`Store::open_on`),
//! and the detection itself is unit-tested on /proc/mounts lines and UNC paths
//! (`store::location`).

use crate::common;

use std::path::Path;

use common::*;
use dxplan::store::{Access, Location, OpInfo, OpKind, Store};

fn pragma(store: &Store, name: &str) -> String {
    store
        .connection()
        .pragma_query_value(None, name, |r| r.get::<_, String>(0))
        .unwrap()
        .to_lowercase()
}

fn sidecar(plan: &Path, suffix: &str) -> bool {
    Path::new(&format!("{}{suffix}", plan.display())).exists()
}

#[test]
fn a_plan_on_a_share_is_written_without_wal_and_locked_for_one_writer() {
    let dir = tempfile::tempdir().unwrap();
    // Made on a local disk: in WAL mode, as every local plan.
    let plan = sample_plan(dir.path(), "計画.dxplan");
    {
        let local = Store::open(&plan).unwrap();
        assert_eq!(local.location(), Location::Local);
        assert_eq!(pragma(&local, "journal_mode"), "wal");
    }

    let mut store = Store::open_on(&plan, Access::Write, Location::Network).unwrap();
    assert_eq!(store.location(), Location::Network);
    assert_eq!(pragma(&store, "journal_mode"), "delete");
    assert_eq!(pragma(&store, "locking_mode"), "exclusive");
    store
        .write(OpInfo::new(OpKind::Settings), |w| {
            w.set_setting("open_past_years", Some("true"))
        })
        .unwrap();
    assert!(!sidecar(&plan, "-wal"), "no WAL beside a plan on a share");
    assert!(!sidecar(&plan, "-shm"), "no shared-memory index on a share");

    // While this process has it, another dxplan cannot write it: it waits, then says so.
    let r = dxplan(&["settings", p(&plan), "--open-past-years", "off"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("使用中") || r.stderr.contains("in use"),
        "{}",
        r.stderr
    );
    drop(store);

    // Closed: the plan is whole, in rollback-journal mode, with the change; others may open it.
    assert!(!sidecar(&plan, "-journal") && !sidecar(&plan, "-wal"));
    let s = dxplan(&["settings", p(&plan), "--json"])
        .expect_ok("settings")
        .json();
    assert_eq!(s["open_past_years"], true, "{s}");
    dxplan(&["check", p(&plan)]);
    let r = dxplan(&["dump", p(&plan)]);
    assert!(r.ok(), "{}", r.stderr);

    // A new plan made on a share starts in rollback-journal mode.
    let fresh = dir.path().join("新規.dxplan");
    let info = dxplan::model::PlanInfo {
        id: dxplan::model::new_id(),
        title: "共有フォルダの計画".into(),
        city: String::new(),
        version: String::new(),
        first_fy: 2025,
        last_fy: 2029,
        vision: String::new(),
    };
    let created = Store::create_on(&fresh, &info, Location::Network).unwrap();
    assert_eq!(pragma(&created, "journal_mode"), "delete");
    drop(created);
    assert!(!sidecar(&fresh, "-wal"));
    dxplan(&["summary", p(&fresh)]).expect_ok("summary of the new plan");
}
