//! The plan file's schema is dxplan's own: every table, index, trigger and view in
//! `sqlite_master` must be exactly what the migrations up to the file's `user_version` create.
//! A trigger added by someone else would run inside dxplan's transactions (rewriting budgets
//! without a line in the change log), a view or extra table could shadow or feed code that
//! trusts the schema; such a file is refused before anything reads or writes it.
//!
//! The expected schema is computed, not written down: the migrations are run on an in-memory
//! database up to that version, so a migration appended later is covered without a change here.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use rusqlite::Connection;

use super::schema::migrations;

/// (type, name) → (table it belongs to, normalised SQL; None for SQLite's own indexes).
type Schema = BTreeMap<(String, String), (String, Option<String>)>;

/// Whitespace runs collapsed: SQLite keeps the statement text as written, and the comparison
/// must not depend on how a migration was indented.
fn normalise(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn read_schema(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut st = conn.prepare("SELECT type, name, tbl_name, sql FROM main.sqlite_master")?;
    let rows = st.query_map([], |r| {
        Ok((
            (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
            (
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?.as_deref().map(normalise),
            ),
        ))
    })?;
    rows.collect()
}

/// The schema the migrations create at `version`, computed once per version and process.
fn expected(version: i64) -> Result<Schema, String> {
    static CACHE: OnceLock<Mutex<HashMap<i64, Schema>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(s) = cache.lock().ok().and_then(|c| c.get(&version).cloned()) {
        return Ok(s);
    }
    let target = usize::try_from(version).map_err(|_| format!("schema version {version}"))?;
    let mut mem = Connection::open_in_memory().map_err(|e| e.to_string())?;
    migrations()
        .to_version(&mut mem, target)
        .map_err(|e| e.to_string())?;
    let s = read_schema(&mem).map_err(|e| e.to_string())?;
    if let Ok(mut c) = cache.lock() {
        c.insert(version, s.clone());
    }
    Ok(s)
}

/// What differs between the file's schema and the one of its version, in words; None when they
/// are the same.
pub(super) fn schema_difference(
    conn: &Connection,
    version: i64,
) -> rusqlite::Result<Option<String>> {
    let found = read_schema(conn)?;
    let want = match expected(version) {
        Ok(s) => s,
        Err(e) => return Ok(Some(format!("スキーマ {version} を用意できません / {e}"))),
    };
    let mut out = Vec::new();
    for ((kind, name), (table, sql)) in &found {
        match want.get(&(kind.clone(), name.clone())) {
            None => out.push(format!(
                "余分な {kind}「{name}」（{table}） / foreign {kind} {name} on {table}"
            )),
            Some(w) if w != &(table.clone(), sql.clone()) => out.push(format!(
                "{kind}「{name}」の定義が違います / {kind} {name} has a changed definition"
            )),
            Some(_) => {}
        }
    }
    for (kind, name) in want.keys() {
        if !found.contains_key(&(kind.clone(), name.clone())) {
            out.push(format!(
                "{kind}「{name}」がありません / {kind} {name} is missing"
            ));
        }
    }
    Ok((!out.is_empty()).then(|| {
        let n = out.len();
        let mut shown: Vec<String> = out.into_iter().take(5).collect();
        if n > 5 {
            shown.push(format!("…ほか {} 件 / and {} more", n - 5, n - 5));
        }
        shown.join("; ")
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::schema::latest_version;

    #[test]
    fn a_fresh_schema_matches_and_an_added_trigger_does_not() {
        let mut c = Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut c).unwrap();
        assert_eq!(schema_difference(&c, latest_version()).unwrap(), None);
        // Checked against an older version, the newer tables are foreign.
        let older = schema_difference(&c, 1).unwrap().unwrap();
        assert!(older.contains("foreign"), "{older}");
        c.execute_batch("CREATE TRIGGER t AFTER INSERT ON budget BEGIN SELECT 1; END;")
            .unwrap();
        let d = schema_difference(&c, latest_version()).unwrap().unwrap();
        assert!(d.contains("trigger") && d.contains('t'), "{d}");
    }

    #[test]
    fn indentation_does_not_matter_but_a_definition_does() {
        assert_eq!(
            normalise("CREATE TABLE a (\n    x  INT\n)"),
            "CREATE TABLE a ( x INT )"
        );
        let mut c = Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut c).unwrap();
        c.execute_batch(
            "DROP INDEX conflict_status; CREATE INDEX conflict_status ON conflict(field);",
        )
        .unwrap();
        let d = schema_difference(&c, latest_version()).unwrap().unwrap();
        assert!(d.contains("conflict_status"), "{d}");
    }
}
