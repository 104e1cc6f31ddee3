//! Open + dump of generated plans (100, 1,000, 10,000 projects).
//! Target (issue 2): a 10,000-project plan dumps in under 1 s on the 2-core CI machine.

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
                let plan = Store::open(path).expect("open").load_plan().expect("load");
                let json = serde_json::to_vec(&dxplan::report::dump::dump(&plan)).expect("json");
                std::hint::black_box(json.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, open_dump);
criterion_main!(benches);
