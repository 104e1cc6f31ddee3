//! Writing an import's new projects into its open transaction as the sheets are applied, so
//! that memory does not grow with the number of sheets: a written project is kept only as a
//! stub (id, title, measures, position: what matching and placing read) and brought back from
//! the transaction if a later sheet matches it.
//!
//! What is committed is what `Target::save` alone would write at the end: the same units,
//! policies, measures and projects, each new project logged once as created.

use std::collections::HashSet;

use super::apply::Target;
use super::draft::Draft;
use crate::model::{OrgUnit, Project};
use crate::store::{Result, StoreError, Writer};

impl Target {
    /// Writes the projects created since the last call, with the new units, policies and
    /// measures they may name, and keeps stubs of them. A project without a measure stays
    /// in memory: the import asks where it goes, and is rolled back if it must.
    pub fn spill(&mut self, w: &mut Writer<'_>) -> Result<()> {
        let fresh = std::mem::take(&mut self.spill.fresh);
        if fresh.is_empty() {
            return Ok(());
        }
        let units = self.units_named(&fresh);
        w.put_org_units(&units)?;
        self.spill.units.extend(units.into_iter().map(|u| u.id));
        self.write_policies_and_measures(w)?;
        for i in fresh {
            let p = &mut self.plan.projects[i];
            if self.spill.stubbed.contains(&i)
                || p.measure_ids.is_empty()
                || !self.touched.contains(&p.id)
            {
                continue;
            }
            if !self.spill.written.insert(p.id.clone()) {
                w.forget_created(&p.id)?;
            }
            w.put_project(p)?;
            *p = stub(p);
            self.spill.stubbed.insert(i);
        }
        Ok(())
    }

    /// Brings back from the transaction the written project a draft matches, before it is
    /// applied to it.
    pub fn restore_match(&mut self, d: &Draft, w: &Writer<'_>) -> Result<()> {
        if self.spill.stubbed.is_empty() {
            return Ok(());
        }
        // Several candidates: nothing is applied (ambiguous), nothing to bring back.
        let [i] = self.candidates(d)[..] else {
            return Ok(());
        };
        if self.spill.stubbed.remove(&i) {
            let id = &self.plan.projects[i].id;
            self.plan.projects[i] = w.load_project(id)?.ok_or_else(|| StoreError::Missing {
                what: "事業 / project",
                id: id.clone(),
            })?;
            self.spill.fresh.push(i);
        }
        Ok(())
    }

    /// The new units not written yet that the projects at `indexes` name, with their new
    /// parents, in the order they were made (the order `save` writes them in).
    fn units_named(&self, indexes: &[usize]) -> Vec<OrgUnit> {
        let mut need: HashSet<&str> = HashSet::new();
        let mut wanted: Vec<&str> = indexes
            .iter()
            .flat_map(|i| self.plan.projects[*i].owners.iter())
            .map(|o| o.unit_id.as_str())
            .collect();
        while let Some(id) = wanted.pop() {
            if self.spill.units.contains(id) || !need.insert(id) {
                continue;
            }
            if let Some(u) = self.new_units.iter().find(|u| u.id == id) {
                wanted.extend(u.parent_id.as_deref());
            }
        }
        self.new_units
            .iter()
            .filter(|u| need.contains(u.id.as_str()))
            .cloned()
            .collect()
    }
}

/// What is kept of a written project: what `candidates`, `position_for` and the questions read.
fn stub(p: &mut Project) -> Project {
    Project {
        id: std::mem::take(&mut p.id),
        measure_ids: std::mem::take(&mut p.measure_ids),
        position: p.position,
        title: std::mem::take(&mut p.title),
        status: p.status,
        owners: Vec::new(),
        owners_note: String::new(),
        texts: Default::default(),
        footnotes: Vec::new(),
        indicators: Vec::new(),
        schedule: Vec::new(),
        budget: Vec::new(),
        priority: Default::default(),
        tags: Vec::new(),
        progress: Vec::new(),
    }
}
