//! The form of an id. Every id dxplan mints is a UUID in its canonical text form (v7 from
//! `new_id`, v5 in the bundled sample, v4 in generated plans and older files): 36 characters,
//! lowercase hex in 8-4-4-4-12 groups. An id read from a workbook is checked against this form
//! before it is used for anything, so `../../x`, an absolute path, a URN or 10 MB of text never
//! gets further than the cell it was read from.

/// Whether `s` is an id in the form dxplan writes.
pub fn is_valid_id(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

/// The id as shown in a message: long or odd text cut short, so a hostile cell cannot flood
/// a message or a terminal.
pub fn shown(s: &str) -> String {
    const MAX: usize = 48;
    let mut out: String = s
        .chars()
        .take(MAX)
        .map(|c| if c.is_control() { '�' } else { c })
        .collect();
    if s.chars().count() > MAX {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_dxplan_mints_are_valid_and_nothing_else_is() {
        assert!(is_valid_id(&crate::model::new_id()));
        assert!(is_valid_id(&uuid::Uuid::new_v4().to_string()));
        for bad in [
            "",
            "../../x",
            "/etc/passwd",
            "C:\\Windows\\x",
            "p1",
            "urn:uuid:0191e8a0-0000-7000-8000-000000000000",
            "{0191e8a0-0000-7000-8000-000000000000}",
            "0191E8A0-0000-7000-8000-000000000000",
            "0191e8a0000070008000000000000000",
            "0191e8a0-0000-7000-8000-00000000000g",
            "0191e8a0-0000-7000-8000-0000000000000",
            "0191e8a0-0000-7000-8000-00000000000",
            "0191e8a0-0000-7000-8000-00000000000\u{200b}",
        ] {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
        assert_eq!(shown(&"x".repeat(100)).chars().count(), 49);
        assert_eq!(shown("a\nb"), "a�b");
    }

    #[test]
    fn minted_ids_are_v7_and_never_repeat() {
        // Drawn on two threads: each has its own generator, seeded from the OS.
        let mint = || {
            (0..50_000)
                .map(|_| crate::model::new_id())
                .collect::<Vec<_>>()
        };
        let other = std::thread::spawn(mint);
        let mut ids = mint();
        ids.extend(other.join().unwrap());
        let unique: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
        for id in &ids {
            assert!(is_valid_id(id), "{id}");
            assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 7);
        }
    }
}
