//! Roll-up links in the plan file (`indicator_rollup`) and their values, computed from the
//! components each time the plan is read (see `model::rollup`).

use std::collections::HashMap;

use rusqlite::{params, Connection};
use serde_json::json;

use super::error::{Result, StoreError};
use super::read::value_from_row;
use super::write::Writer;
use crate::model::rollup::{compute, in_cycle};
use crate::model::{FiscalYear, Id, IndicatorValue, Rollup};

/// Every roll-up link, in the order defined: (roll-up indicator, its components).
pub fn links(conn: &Connection) -> Result<Vec<(Id, Vec<Id>)>> {
    let mut st = conn.prepare_cached(
        "SELECT indicator_id, component_id FROM indicator_rollup ORDER BY indicator_id, ord",
    )?;
    let mut out: Vec<(Id, Vec<Id>)> = Vec::new();
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (ind, comp) = row?;
        match out.last_mut() {
            Some((last, parts)) if *last == ind => parts.push(comp),
            _ => out.push((ind, vec![comp])),
        }
    }
    Ok(out)
}

/// The values of one indicator as stored, by fiscal year.
fn typed_values(conn: &Connection, indicator_id: &str) -> Result<Vec<IndicatorValue>> {
    let mut st = conn.prepare_cached(
        "SELECT fiscal_year, side, text, number, unit, denominator, qualifier, markers_json
         FROM indicator_value WHERE indicator_id = ?1 ORDER BY fiscal_year",
    )?;
    let mut rows = st.query(params![indicator_id])?;
    let mut out: Vec<IndicatorValue> = Vec::new();
    while let Some(r) = rows.next()? {
        let fy: FiscalYear = r.get(0)?;
        let side: String = r.get(1)?;
        let value = value_from_row(r, 2)?;
        if out.last().map(|v| v.fiscal_year) != Some(fy) {
            out.push(IndicatorValue {
                fiscal_year: fy,
                target: None,
                actual: None,
            });
        }
        if let Some(last) = out.last_mut() {
            if side == "target" {
                last.target = Some(value);
            } else {
                last.actual = Some(value);
            }
        }
    }
    Ok(out)
}

/// Every roll-up with its computed values. Reads only the components' values, so a
/// department's export of a large plan pays for its own roll-ups, not for the plan.
pub fn load(conn: &Connection) -> Result<Vec<Rollup>> {
    let links = links(conn)?;
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let mut typed: HashMap<Id, Vec<IndicatorValue>> = HashMap::new();
    for (_, parts) in &links {
        for p in parts {
            if !typed.contains_key(p) {
                typed.insert(p.clone(), typed_values(conn, p)?);
            }
        }
    }
    Ok(compute(&links, &typed))
}

/// Whether an indicator is in the plan.
pub fn indicator_exists(conn: &Connection, indicator_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM indicator WHERE id = ?1")?
        .exists(params![indicator_id])?)
}

impl Writer<'_> {
    /// Defines `indicator_id` as the sum of `components` (replacing an earlier definition), or
    /// removes the definition when `components` is empty. Refuses unknown indicators, an
    /// indicator summing itself and links that would close a cycle. Logged as `rollup/ID`.
    pub fn set_rollup(&mut self, indicator_id: &str, components: &[Id]) -> Result<()> {
        let invalid = |m: String| Err(StoreError::Invalid(m));
        for id in std::iter::once(indicator_id).chain(components.iter().map(String::as_str)) {
            if !indicator_exists(&self.tx, id)? {
                return Err(StoreError::Missing {
                    what: "指標 / indicator",
                    id: id.to_string(),
                });
            }
        }
        let mut seen = std::collections::HashSet::new();
        for c in components {
            if c == indicator_id {
                return invalid(format!(
                    "指標 {indicator_id} を自分自身の合計にはできません / an indicator cannot be a sum of itself"
                ));
            }
            if !seen.insert(c) {
                return invalid(format!(
                    "構成指標 {c} が重複しています / component {c} given twice"
                ));
            }
        }
        let mut all = links(&self.tx)?;
        let old = all
            .iter()
            .find(|(i, _)| i == indicator_id)
            .map(|(_, c)| c.clone());
        all.retain(|(i, _)| i != indicator_id);
        if !components.is_empty() {
            all.push((indicator_id.to_string(), components.to_vec()));
            if in_cycle(&all).contains(indicator_id) {
                return invalid(format!(
                    "指標 {indicator_id} の合計が循環します（構成指標がこの指標を含んでいます） / the roll-up would form a cycle"
                ));
            }
        }
        if old.as_deref() == Some(components) || (old.is_none() && components.is_empty()) {
            return Ok(());
        }
        self.tx.execute(
            "DELETE FROM indicator_rollup WHERE indicator_id = ?1",
            params![indicator_id],
        )?;
        let mut st = self.tx.prepare_cached(
            "INSERT INTO indicator_rollup (indicator_id, component_id, ord) VALUES (?1, ?2, ?3)",
        )?;
        for (i, c) in components.iter().enumerate() {
            st.execute(params![indicator_id, c, i as i64])?;
        }
        drop(st);
        let enc = |c: &Option<Vec<Id>>| c.as_ref().map(|c| json!({ "sum_of": c }));
        let new = (!components.is_empty()).then(|| components.to_vec());
        // A plan-level entry (no project): whatever replays a project's fields from the log
        // never meets it.
        self.log(
            None,
            &format!("rollup/{indicator_id}"),
            enc(&old).as_ref(),
            enc(&new).as_ref(),
        )
    }
}
