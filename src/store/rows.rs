//! Rows of one table written a few statements at a time: a new project's child rows (its
//! budget years, indicator values, …) go in as multi-row `INSERT`s, so SQLite runs one
//! statement for up to `BATCHES[0]` rows instead of one per row.

use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{params_from_iter, ToSql, Transaction};

use super::error::Result;

/// Rows per statement, largest first. A few fixed sizes keep the statements cached (one per
/// table and size) whatever the number of rows.
const BATCHES: [usize; 5] = [16, 8, 4, 2, 1];

/// The values of rows of `cols` columns each, in row order.
pub(super) struct Rows<'a> {
    cols: usize,
    values: Vec<ToSqlOutput<'a>>,
}

impl<'a> Rows<'a> {
    pub(super) fn new(cols: usize) -> Self {
        Rows {
            cols,
            values: Vec::new(),
        }
    }

    /// A value borrowed from the row's source.
    pub(super) fn put<T: ToSql + ?Sized>(&mut self, v: &'a T) -> Result<()> {
        self.values.push(v.to_sql()?);
        Ok(())
    }

    /// A value made for the write (a JSON text, a code).
    pub(super) fn put_owned(&mut self, v: impl Into<Value>) {
        self.values.push(ToSqlOutput::Owned(v.into()));
    }

    /// Inserts the rows: `head` is `INSERT INTO table (columns)`.
    pub(super) fn insert(&self, tx: &Transaction<'_>, head: &str) -> Result<()> {
        let mut rest = self.values.as_slice();
        while !rest.is_empty() {
            let rows = rest.len() / self.cols;
            let k = BATCHES.into_iter().find(|k| *k <= rows).unwrap_or(1);
            let (batch, tail) = rest.split_at((k * self.cols).min(rest.len()));
            tx.prepare_cached(&statement(head, self.cols, k))?
                .execute(params_from_iter(batch))?;
            rest = tail;
        }
        Ok(())
    }
}

/// `head VALUES (?, …), …` for `rows` rows of `cols` columns.
fn statement(head: &str, cols: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; cols].join(", "));
    format!("{head} VALUES {}", vec![row; rows].join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_number_of_rows_is_written_in_order() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a INTEGER, b TEXT)")
            .unwrap();
        let tx = conn.transaction().unwrap();
        let texts: Vec<String> = (0..37).map(|i| format!("r{i}")).collect();
        let nums: Vec<i64> = (0..37).collect();
        for n in [0, 1, 3, 16, 37] {
            tx.execute("DELETE FROM t", []).unwrap();
            let mut rows = Rows::new(2);
            for i in 0..n {
                rows.put(&nums[i]).unwrap();
                rows.put_owned(texts[i].clone());
            }
            rows.insert(&tx, "INSERT INTO t (a, b)").unwrap();
            let got: Vec<(i64, String)> = tx
                .prepare("SELECT a, b FROM t ORDER BY rowid")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let want: Vec<(i64, String)> = (0..n).map(|i| (i as i64, format!("r{i}"))).collect();
            assert_eq!(got, want, "{n} rows");
        }
    }
}
