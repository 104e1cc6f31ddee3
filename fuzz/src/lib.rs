//! The fuzz harnesses live in `harness.rs`, which tests/fuzz_regressions.rs also includes, so a
//! crash input kept under tests/fixtures/fuzz/ is replayed by `cargo test` exactly as the fuzzer
//! ran it.
pub mod harness;
