//! Whose projects a department's submission may change: the one ownership rule of a merge.
//! A submission of unit U may change a project only when U, or a unit below U (部 > 室 > 課),
//! owns or co-owns that project **in the central plan at the time of the merge** — not at
//! export, not as the workbook says. (April reorganisations — a renamed unit's successor —
//! extend this function and nothing else.)

use std::collections::HashSet;

use crate::model::{Id, OrgUnit, Project};
use crate::store::Writer;

/// The units a department speaks for, and every unit the plan has.
#[derive(Debug, Clone)]
pub struct Scope {
    pub units: HashSet<Id>,
    known: HashSet<Id>,
}

impl Scope {
    /// Whether the department owns or co-owns the project now.
    pub fn covers(&self, p: &Project) -> bool {
        p.owners.iter().any(|o| self.units.contains(&o.unit_id))
    }

    /// Whether the plan has this unit (an owner a submission names must exist).
    pub fn is_known_unit(&self, id: &str) -> bool {
        self.known.contains(id)
    }
}

/// The scope of `unit_id` in the plan as it stands inside the merge's transaction (`units`:
/// every unit of the plan, as the merge loaded them).
pub fn department_scope(
    w: &Writer<'_>,
    units: &[OrgUnit],
    unit_id: &str,
) -> crate::store::Result<Scope> {
    let known: HashSet<Id> = units.iter().map(|u| u.id.clone()).collect();
    let below = if known.contains(unit_id) {
        // The units carrying the department's work now (itself, or its successors after an
        // April reorganisation) and every open unit below them; nothing for an abolished unit.
        w.unit_scope(unit_id, crate::store::units::NOW)?
            .into_iter()
            .collect()
    } else {
        // A unit the plan no longer has speaks for nothing.
        HashSet::new()
    };
    Ok(Scope {
        units: below,
        known,
    })
}
