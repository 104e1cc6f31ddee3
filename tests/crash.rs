//! A process killed with SIGKILL in the middle of a large write leaves a plan that opens,
//! passes `PRAGMA integrity_check`, and holds all of that write or none of it.

use std::process::{Command, Stdio};
use std::time::Instant;

use dxplan::store::Store;

const PROJECTS: usize = 4000;

fn count_projects(path: &std::path::Path) -> (usize, String) {
    let store = Store::open(path).expect("plan opens after a kill");
    let ok: String = store
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    (store.load_plan().unwrap().projects.len(), ok)
}

#[test]
fn sigkill_during_a_large_write_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let exe = env!("CARGO_BIN_EXE_dxplan");
    // How long the whole write takes here, so kills can land inside it.
    let probe = dir.path().join("probe.dxplan");
    let t = Instant::now();
    assert!(Command::new(exe)
        .args([
            "generate",
            probe.to_str().unwrap(),
            "--projects",
            &PROJECTS.to_string()
        ])
        .status()
        .unwrap()
        .success());
    let full = t.elapsed();
    assert_eq!(count_projects(&probe).0, PROJECTS);

    let mut killed_mid_write = 0;
    let runs = 8;
    for i in 0..runs {
        let path = dir.path().join(format!("k{i}.dxplan"));
        let st = Command::new(exe)
            .args([
                "new",
                path.to_str().unwrap(),
                "--title",
                "t",
                "--years",
                "2024-2028",
            ])
            .status()
            .unwrap();
        assert!(st.success());
        let mut child = Command::new(exe)
            .args([
                "generate",
                path.to_str().unwrap(),
                "--projects",
                &PROJECTS.to_string(),
            ])
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills from early to late in the write.
        std::thread::sleep(full.mul_f64((i as f64 + 0.5) / runs as f64));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap(); // SIGKILL on unix
        child.wait().unwrap();
        if !finished {
            killed_mid_write += 1;
        }
        let (n, integrity) = count_projects(&path);
        assert_eq!(integrity, "ok");
        assert!(n == 0 || n == PROJECTS, "run {i}: {n} projects after kill");
        let changes: i64 = Store::open(&path)
            .unwrap()
            .connection()
            .query_row(
                "SELECT count(*) FROM change_log WHERE project_id IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            changes as usize,
            if n == 0 { 0 } else { PROJECTS },
            "log matches data"
        );
    }
    assert!(
        killed_mid_write >= runs / 2,
        "only {killed_mid_write} kills landed during the write"
    );
}
