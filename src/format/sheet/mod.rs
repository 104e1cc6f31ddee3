//! The project sheet described once, section by section, for the writer
//! (`export::project_sheet`) and the readers (`import::native` by the hidden keys,
//! `import::layout::own` by the labels).
//!
//! A section owns its rows: their keys and labels (`layout`), and for the project's own fields
//! a table (`fields::FIELDS`) that both sides walk, one row a line: what the cell shows, how
//! its text reads back, which field of the plan it carries. [`Section::carries`] says which
//! section carries each field path, so a field the sheet forgets is a failing test.

pub(crate) mod fields;

use super::layout::{label, RowKey};
use crate::model::fields::{FieldPath, ProjectField};

/// A section of the project sheet, in sheet order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The title row and the fiscal-year header.
    Title,
    /// 事業コード, 基本方針 and 施策: where the project sits (derived, locked).
    Identification,
    /// The project's own fields, one row each (`fields::FIELDS`).
    Fields,
    /// The schedule's tasks.
    Schedule,
    /// KGI and KPI blocks: name, unit, targets, actuals.
    Indicators,
    /// 事業費 and うち一般財源 per year.
    Budget,
    /// Progress per year.
    Progress,
    /// Footnotes under the table.
    Footnotes,
}

/// Fields of the identification rows: the code row keeps the position, the measure rows the
/// measures.
const IDENTIFICATION: [ProjectField; 2] = [ProjectField::Position, ProjectField::Measures];

impl Section {
    /// Every section, in sheet order.
    pub const ALL: [Section; 8] = [
        Section::Title,
        Section::Identification,
        Section::Fields,
        Section::Schedule,
        Section::Indicators,
        Section::Budget,
        Section::Progress,
        Section::Footnotes,
    ];

    /// The key and label of the header row that opens the section, if it has one.
    pub fn header(self) -> Option<(RowKey, &'static str)> {
        match self {
            Section::Title | Section::Identification | Section::Fields => None,
            Section::Schedule => Some((RowKey::ScheduleHeader, label::SCHEDULE)),
            Section::Indicators => Some((RowKey::IndicatorHeader, label::INDICATORS)),
            Section::Budget => Some((RowKey::BudgetHeader, label::BUDGET)),
            Section::Progress => Some((RowKey::ProgressHeader, label::PROGRESS)),
            Section::Footnotes => Some((RowKey::FootnoteHeader, label::FOOTNOTES)),
        }
    }

    /// Whether the section's rows carry the field `path` of a project: every path
    /// `model::fields::project_fields` gives is carried by exactly one section.
    pub fn carries(self, path: &FieldPath<'_>) -> bool {
        match (self, path) {
            (Section::Identification, FieldPath::Project(f)) => IDENTIFICATION.contains(f),
            (Section::Fields, FieldPath::Project(f)) => fields::row_of(*f).is_some(),
            (Section::Footnotes, FieldPath::Project(f)) => *f == ProjectField::Footnotes,
            (Section::Schedule, FieldPath::Task(_) | FieldPath::TaskOrder) => true,
            (
                Section::Indicators,
                FieldPath::Indicator(_) | FieldPath::IndicatorValue(..) | FieldPath::IndicatorOrder,
            ) => true,
            (Section::Budget, FieldPath::Budget(..)) => true,
            (Section::Progress, FieldPath::Progress(_)) => true,
            _ => false,
        }
    }
}

/// Whether a cell's text means the same as a value that renders as `base`: equal, or equal
/// but for the line ends a spreadsheet wrote and the spaces around.
pub(crate) fn same(text: &str, base: &str) -> bool {
    text == base
        || (text.trim() == base.trim() && text.replace("\r\n", "\n") == base.replace("\r\n", "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fields::project_fields;

    /// Every field path a project has (all kinds, from a project with one of everything) is
    /// carried by exactly one section.
    #[test]
    fn every_field_path_has_exactly_one_section() {
        let plan = crate::sample::onojo().expect("the sample plan");
        let mut p = plan
            .projects
            .iter()
            .find(|p| !p.indicators.is_empty() && !p.schedule.is_empty() && !p.budget.is_empty())
            .expect("a sample project with indicators, tasks and a budget")
            .clone();
        p.progress.push(crate::model::Progress {
            fiscal_year: plan.info.first_fy,
            status: "順調".into(),
            achievements: String::new(),
            issues: String::new(),
            remedies: String::new(),
            evaluation: String::new(),
        });
        let fields = project_fields(&p);
        let mut kinds = std::collections::BTreeSet::new();
        for path in fields.keys() {
            let fp = FieldPath::parse(path).expect("a path of project_fields parses");
            kinds.insert(format!("{:?}", std::mem::discriminant(&fp)));
            let n = Section::ALL.iter().filter(|s| s.carries(&fp)).count();
            assert_eq!(n, 1, "{path} is carried by {n} sections");
        }
        for f in ProjectField::ALL {
            let fp = FieldPath::Project(f);
            let n = Section::ALL.iter().filter(|s| s.carries(&fp)).count();
            assert_eq!(n, 1, "{} is carried by {n} sections", f.path());
        }
        // Every kind of path: a project field, both orders, an indicator, its values, a task,
        // a budget year and a year's progress.
        assert_eq!(kinds.len(), 8, "{:?}", fields.keys().collect::<Vec<_>>());
    }
}
