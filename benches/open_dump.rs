//! Open + dump of generated plans (100, 1,000, 10,000 projects), as `dxplan dump` does it
//! (read-only open: the schema verified, the data validated).
//! Target (issue 2): a 10,000-project plan dumps in under 1 s on the 2-core CI machine.
//!
//! `open/*` (issue 12): the cost of opening alone on the 10,000-project plan: a bare SQLite
//! read-only open that reads `user_version` (the floor), `Store::open_read_only` (regular-file
//! check, header, application id, version, `sqlite_master` verified against the migrations run
//! in memory) and `Store::open` (the same, then a read-write connection verified again).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use dxplan::store::{OpInfo, OpKind, Store};

fn open_dump(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("open_dump");
    group.sample_size(10);
    for n in [100usize, 1_000, 10_000] {
        let path = dir.path().join(format!("gen{n}.dxplan"));
        let plan = dxplan::generate::generate(n, 42);
        let mut store = Store::create(&path, &plan.info).expect("create");
        store
            .write(OpInfo::new(OpKind::Generate), |w| w.put_contents(&plan))
            .expect("write");
        drop(store);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        eprintln!("plan of {n} projects: {:.1} MB on disk", size as f64 / 1e6);
        group.bench_with_input(BenchmarkId::from_parameter(n), &path, |b, path| {
            b.iter(|| {
                let plan = Store::open_read_only(path)
                    .expect("open")
                    .load_plan()
                    .expect("load");
                let json = serde_json::to_vec(&dxplan::report::dump::dump(&plan)).expect("json");
                std::hint::black_box(json.len())
            })
        });
    }
    group.finish();
    let path = dir.path().join("gen10000.dxplan");
    let mut group = c.benchmark_group("open");
    group.sample_size(30);
    // In this order: nothing else has the plan open, so the read-only open is the `immutable`
    // one `dxplan dump` gets; the bare read-only connection last, as it leaves -wal/-shm behind.
    group.bench_function("store_read_only", |b| {
        b.iter(|| std::hint::black_box(Store::open_read_only(&path).expect("open")))
    });
    group.bench_function("store_read_write", |b| {
        b.iter(|| std::hint::black_box(Store::open(&path).expect("open")))
    });
    group.bench_function("sqlite_bare", |b| {
        b.iter(|| {
            let c = rusqlite::Connection::open_with_flags(
                &path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .expect("open");
            let v: i64 = c
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .expect("version");
            std::hint::black_box(v)
        })
    });
    group.finish();
}

criterion_group!(benches, open_dump);
criterion_main!(benches);
