#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dxplan_fuzz::harness::guarded(|| {
    dxplan_fuzz::harness::register_check(data)
}));
