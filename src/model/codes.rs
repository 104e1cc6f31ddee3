//! Display codes (Ⅰ, Ⅰ-1, Ⅰ-1-①) derived from position. Printed numbers are often wrong
//! in source documents, so codes are never stored or used as keys.

const ROMAN: [&str; 12] = ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "Ⅶ", "Ⅷ", "Ⅸ", "Ⅹ", "Ⅺ", "Ⅻ"];

/// A roman numeral (Ⅰ, Ⅱ, …) of a policy position.
pub fn roman(n: u32) -> String {
    match n.checked_sub(1).and_then(|i| ROMAN.get(i as usize)) {
        Some(r) => (*r).to_string(),
        None => n.to_string(),
    }
}

/// ①…⑳ then ㉑…㊿, plain digits beyond.
pub fn circled(n: u32) -> String {
    let c = match n {
        1..=20 => char::from_u32(0x2460 + n - 1),
        21..=35 => char::from_u32(0x3251 + n - 21),
        36..=50 => char::from_u32(0x32B1 + n - 36),
        _ => None,
    };
    c.map(String::from).unwrap_or_else(|| n.to_string())
}

pub(crate) fn policy_code(policy_pos: u32) -> String {
    roman(policy_pos)
}

pub(crate) fn measure_code(policy_pos: u32, measure_pos: u32) -> String {
    format!("{}-{}", roman(policy_pos), measure_pos)
}

/// The display code of a project (Ⅰ-1-①).
pub fn project_code(policy_pos: u32, measure_pos: u32, project_pos: u32) -> String {
    format!(
        "{}-{}-{}",
        roman(policy_pos),
        measure_pos,
        circled(project_pos)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_position() {
        assert_eq!(project_code(1, 2, 3), "Ⅰ-2-③");
        assert_eq!(measure_code(2, 10), "Ⅱ-10");
        assert_eq!(circled(20), "⑳");
        assert_eq!(circled(21), "㉑");
        assert_eq!(circled(50), "㊿");
        assert_eq!(circled(51), "51");
        assert_eq!(roman(13), "13");
    }
}
