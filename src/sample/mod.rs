//! The bundled sample plan (大野城市DX推進計画, from the Onojo seed) and the readable TOML
//! source form it is written in (`assets/sample/onojo.toml`).

pub(crate) mod source;

use crate::model::Plan;

pub(crate) const ONOJO_TOML: &str = include_str!("../../assets/sample/onojo.toml");

/// The sample plan, with ids derived from its keys so every build makes the same plan.
pub fn onojo() -> Result<Plan, source::SourceError> {
    source::parse_plan_source(ONOJO_TOML)
}
