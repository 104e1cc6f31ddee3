//! Roll-up links in the plan file (`indicator_rollup`) and their values, computed from the
//! components each time the plan is read (see `model::rollup`).

use std::collections::HashMap;

use rusqlite::{params, Connection};

use super::codec::value_from_row;
use super::error::Result;
use crate::model::rollup::compute;
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
