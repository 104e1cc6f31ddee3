//! Standard output of the commands. Rust ignores SIGPIPE, so a write to a closed pipe is an
//! `io::Error` of kind `BrokenPipe`: every write here returns it (never `println!`, which
//! panics), and `cli::main` ends such a run quietly.

use std::io::Write;

use super::CliError;

/// Writes `v` as JSON (pretty unless `compact`) and a newline, buffered.
pub fn json<T: serde::Serialize + ?Sized>(v: &T, compact: bool) -> Result<(), CliError> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if compact {
        serde_json::to_writer(&mut out, v)?;
    } else {
        serde_json::to_writer_pretty(&mut out, v)?;
    }
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// Flushes what is still buffered, so that a closed pipe is seen here and not at exit.
pub fn flush() -> Result<(), CliError> {
    std::io::stdout().lock().flush()?;
    Ok(())
}
