//! How values are stored in columns: enums as their serde word, structures as JSON text.

use rusqlite::Row;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::{Result, StoreError};
use crate::model::Value;

/// Enums are stored as their serde string form.
pub(crate) fn dec<T: DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|e| StoreError::Corrupt(format!("{s}: {e}")))
}

pub(crate) fn enc<T: Serialize>(t: &T) -> String {
    match serde_json::to_value(t) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

pub(crate) fn json_col<T: DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("{s}: {e}")))
}

/// An indicator value stored in six columns from `base` (text, number, unit, denominator,
/// qualifier, markers as JSON).
pub(crate) fn value_from_row(r: &Row<'_>, base: usize) -> Result<Value> {
    let markers: String = r.get(base + 5)?;
    Ok(Value {
        text: r.get(base)?,
        number: r.get(base + 1)?,
        unit: r.get(base + 2)?,
        denominator: r.get(base + 3)?,
        qualifier: r.get(base + 4)?,
        markers: json_col(&markers)?,
    })
}
