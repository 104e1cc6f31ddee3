//! `dxplan resolve`: a person closes a conflict by taking the office's value, the
//! department's, or typing one.

use serde_json::{json, Value as Json};

use super::MergeError;
use crate::model::fields::set_field;
use crate::parse::value::{parse_money, parse_value};
use crate::store::{ConflictStatus, OpInfo, OpKind, Store, StoreError};

/// How a conflict is closed.
#[derive(Debug, Clone)]
pub enum Resolution {
    /// Keep the office's value (本庁).
    Ours,
    /// Take the department's value (課).
    Theirs,
    /// Typed as a person would type it in the sheet (「45 手続」, 「6,000」, 「－」).
    Value(String),
}

/// The typed text as the field's value, read the way the sheet's cell would be read.
fn typed_value(field: &str, text: &str) -> Result<Option<Json>, MergeError> {
    let bad = |m: String| MergeError::Invalid(format!("項目「{field}」: {m}"));
    let parts: Vec<&str> = field.split('/').collect();
    Ok(match parts.as_slice() {
        ["indicator", _, _, _] => parse_value(text).map(|v| json!(v)),
        ["budget", _, _] => parse_money(text).map_err(|e| bad(e.to_string()))?.map(|m| json!(m.thousand_yen)),
        [_] if field.starts_with("texts.effects") => Some(json!(text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>())),
        [_] if field.starts_with("texts.") || field == "title" || field == "owners_note" => Some(json!(text)),
        _ => Some(serde_json::from_str(text).map_err(|_| {
            bad("この項目は --take ours か --take theirs で解決してください / resolve this field with --take ours|theirs".into())
        })?),
    })
}

/// Sets the conflict's field to the chosen value and closes the conflict, in one transaction.
pub fn resolve(
    store: &mut Store,
    conflict_id: i64,
    how: Resolution,
) -> Result<Option<Json>, MergeError> {
    let c = store
        .conflicts(false)?
        .into_iter()
        .find(|c| c.id == conflict_id)
        .ok_or(MergeError::UnknownConflict(conflict_id))?;
    if c.status != ConflictStatus::Open {
        let (detail_ja, detail_en) = if c.status == ConflictStatus::Resolved {
            let units = store.load_plan()?.org_units;
            let v = super::words::value_text(&c.field, c.resolution.as_ref(), &units);
            (
                format!("解決済みです（「{v}」を採用）"),
                format!("resolved, 「{v}」 taken"),
            )
        } else {
            (
                "統合の取り消しにより取り下げ済みです".to_string(),
                "withdrawn when its merge was undone".to_string(),
            )
        };
        return Err(MergeError::ConflictClosed {
            id: conflict_id,
            detail_ja,
            detail_en,
        });
    }
    let value = match &how {
        Resolution::Ours => c.ours.clone(),
        Resolution::Theirs => c.theirs.clone(),
        Resolution::Value(t) => typed_value(&c.field, t)?,
    };
    let mut op = OpInfo::new(OpKind::Resolve).source(format!("修正が重なった項目 #{conflict_id}"));
    op.department = c.department.clone();
    store.write(op, |w| {
        let mut p = w
            .load_project(&c.project_id)?
            .ok_or_else(|| StoreError::Missing {
                what: "事業 / project",
                id: c.project_id.clone(),
            })?;
        set_field(&mut p, &c.field, value.as_ref())
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        w.save_project(&p)?;
        w.close_conflict(conflict_id, ConflictStatus::Resolved, value.as_ref())
    })?;
    Ok(value)
}
