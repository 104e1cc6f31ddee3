//! The roster: each unit's DX推進員 (name and contact) per fiscal year. Rosters change every
//! April, so a year's roster is its own; department workbooks print the export year's on their
//! cover.

use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::json;

use super::error::Result;
use super::write::Writer;
pub use crate::model::Promoter;
use crate::model::{FiscalYear, Id};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RosterEntry {
    pub unit_id: Id,
    pub fiscal_year: FiscalYear,
    pub people: Vec<Promoter>,
}

/// The roster, by fiscal year then unit (in the plan's unit order); one year only with `fy`.
pub fn roster(conn: &Connection, fy: Option<FiscalYear>) -> Result<Vec<RosterEntry>> {
    let mut st = conn.prepare_cached(
        "SELECT r.unit_id, r.fiscal_year, r.name, r.contact FROM roster r JOIN org_unit u ON u.id = r.unit_id
         WHERE ?1 IS NULL OR r.fiscal_year = ?1
         ORDER BY r.fiscal_year, u.rowid, r.ord",
    )?;
    let mut rows = st.query(params![fy])?;
    let mut out: Vec<RosterEntry> = Vec::new();
    while let Some(r) = rows.next()? {
        let unit_id: String = r.get(0)?;
        let fiscal_year: FiscalYear = r.get(1)?;
        let person = Promoter {
            name: r.get(2)?,
            contact: r.get(3)?,
        };
        match out.last_mut() {
            Some(e) if e.unit_id == unit_id && e.fiscal_year == fiscal_year => {
                e.people.push(person)
            }
            _ => out.push(RosterEntry {
                unit_id,
                fiscal_year,
                people: vec![person],
            }),
        }
    }
    Ok(out)
}

/// The DX推進員 of one unit in one year.
pub fn people(conn: &Connection, unit_id: &str, fy: FiscalYear) -> Result<Vec<Promoter>> {
    let mut st = conn.prepare_cached(
        "SELECT name, contact FROM roster WHERE unit_id = ?1 AND fiscal_year = ?2 ORDER BY ord",
    )?;
    let rows = st.query_map(params![unit_id, fy], |r| {
        Ok(Promoter {
            name: r.get(0)?,
            contact: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

impl Writer<'_> {
    /// Replaces a unit's DX推進員 for one fiscal year (none: clears it). Logged as
    /// `roster/UNIT/FY`; returns whether anything changed.
    pub fn set_roster(
        &mut self,
        unit_id: &str,
        fy: FiscalYear,
        people: &[Promoter],
    ) -> Result<bool> {
        let old = self::people(&self.tx, unit_id, fy)?;
        if old == people {
            return Ok(false);
        }
        self.tx.execute(
            "DELETE FROM roster WHERE unit_id = ?1 AND fiscal_year = ?2",
            params![unit_id, fy],
        )?;
        let mut st = self.tx.prepare_cached(
            "INSERT INTO roster (unit_id, fiscal_year, ord, name, contact) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (i, p) in people.iter().enumerate() {
            st.execute(params![unit_id, fy, i as i64, p.name, p.contact])?;
        }
        drop(st);
        let enc = |v: &[Promoter]| (!v.is_empty()).then(|| json!(v));
        self.log(
            None,
            &format!("roster/{unit_id}/{fy}"),
            enc(&old).as_ref(),
            enc(people).as_ref(),
        )?;
        Ok(true)
    }

    /// The DX推進員 roster, of a year or all.
    pub fn roster(&self, fy: Option<FiscalYear>) -> Result<Vec<RosterEntry>> {
        roster(&self.tx, fy)
    }
}
