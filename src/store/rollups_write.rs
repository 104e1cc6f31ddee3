//! Writing roll-up definitions: the writer's side of `rollups`.

use rusqlite::params;
use serde_json::json;

use super::error::{Result, StoreError};
use super::rollups::{indicator_exists, links};
use super::write::Writer;
use crate::model::rollup::in_cycle;
use crate::model::Id;

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
