//! Who a submission's department is now: an April reorganisation after the export may have
//! renamed, merged or split it (`store::units::successors`). A workbook of 情報政策課 exported
//! before it became デジタル推進課 merges as the work of デジタル推進課.

use std::collections::HashMap;

/// The units that carry each department's work now (`store::units::successors` at `NOW`),
/// asked once per department within a merge.
#[derive(Default)]
pub(super) struct Carriers(HashMap<String, Vec<String>>);

impl Carriers {
    pub(super) fn of(
        &mut self,
        w: &crate::store::Writer<'_>,
        unit_id: &str,
    ) -> crate::store::Result<&[String]> {
        if !self.0.contains_key(unit_id) {
            let now = if unit_id.is_empty() {
                Vec::new()
            } else {
                w.successors(unit_id, crate::store::units::NOW)?
            };
            self.0.insert(unit_id.to_string(), now);
        }
        Ok(self.0.get(unit_id).map_or(&[], Vec::as_slice))
    }

    /// Two submissions come from the same department when they are from one unit, or from
    /// units whose work one unit carries now (a workbook of 情報政策課 exported before it became
    /// デジタル推進課, and one of デジタル推進課 after).
    pub(super) fn same_department(
        &mut self,
        w: &crate::store::Writer<'_>,
        a: &str,
        b: &str,
    ) -> crate::store::Result<bool> {
        if a == b {
            return Ok(true);
        }
        let now_a = self.of(w, a)?.to_vec();
        Ok(self.of(w, b)?.iter().any(|u| now_a.contains(u)))
    }
}

pub(super) fn unit_names(
    w: &crate::store::Writer<'_>,
    ids: &[String],
) -> crate::store::Result<Vec<String>> {
    let units = w.load_units()?;
    Ok(ids
        .iter()
        .map(|id| {
            units
                .iter()
                .find(|u| &u.id == id)
                .map_or_else(|| id.clone(), |u| u.name.clone())
        })
        .collect())
}
