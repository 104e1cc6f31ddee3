//! The project's own fields on its sheet, one row each, under the identification rows: the
//! table [`FIELDS`] that the writer walks to write them and the readers walk to read them
//! back. A plain text field is one line here: its key, its label and where it lives in the
//! project.

use super::super::layout::{self, label, RowKey};
use super::same;
use crate::model::fields::ProjectField;
use crate::model::{OrgUnit, Project};

/// What a field row's value cell (merged across the year columns) holds.
pub(crate) enum Cell {
    /// A text of the project, shown and read as it is.
    Plain {
        /// The text.
        get: fn(&Project) -> &String,
        /// Where the text read goes.
        set: fn(&mut Project) -> &mut String,
    },
    /// A text rendered from the project's values and parsed back.
    Text {
        /// The cell's text (units: the export's, to name 担当課).
        show: fn(&Project, &[OrgUnit]) -> String,
        /// Reads `text` into the project: the base's value when `text` still says what the
        /// base shows, else read afresh (`Ok(true)`); `Err` is the message for the cell.
        read: fn(&str, &Project, &[OrgUnit], &mut Project) -> Result<bool, String>,
    },
    /// A whole number from 0 to 100 (validated; blank: none).
    Score {
        /// The number.
        get: fn(&Project) -> Option<u8>,
        /// Where the number read goes.
        set: fn(&mut Project, Option<u8>),
    },
}

/// One row of the fields section.
pub(crate) struct FieldRow {
    /// Its hidden key.
    pub key: RowKey,
    /// Its label (column A).
    pub label: &'static str,
    /// Labels of workbooks written by older versions, read the same.
    pub old_labels: &'static [&'static str],
    /// The fields of the plan the row carries.
    pub fields: &'static [ProjectField],
    /// A drop-down list of the value cell: its choices and title.
    pub choices: Option<(&'static [&'static str], &'static str)>,
    /// The value cell.
    pub cell: Cell,
}

/// A plain text row.
const fn plain(
    key: RowKey,
    label: &'static str,
    field: &'static [ProjectField],
    get: fn(&Project) -> &String,
    set: fn(&mut Project) -> &mut String,
) -> FieldRow {
    FieldRow {
        key,
        label,
        old_labels: &[],
        fields: field,
        choices: None,
        cell: Cell::Plain { get, set },
    }
}

impl FieldRow {
    /// The row with the labels older workbooks gave it.
    const fn formerly(mut self, labels: &'static [&'static str]) -> Self {
        self.old_labels = labels;
        self
    }
}

/// The project's text `field` when a plain row of [`FIELDS`] carries it alone: where a text
/// read for it goes.
pub(crate) fn plain_text(p: &mut Project, field: ProjectField) -> Option<&mut String> {
    let set = FIELDS
        .iter()
        .find_map(|row| match (&row.cell, row.fields) {
            (Cell::Plain { set, .. }, [f]) if *f == field => Some(*set),
            _ => None,
        })?;
    Some(set(p))
}

/// The rows, in sheet order.
pub(crate) static FIELDS: &[FieldRow] = &[
    plain(
        RowKey::Title,
        label::TITLE,
        &[ProjectField::Title],
        |p| &p.title,
        |p| &mut p.title,
    ),
    FieldRow {
        key: RowKey::Owners,
        label: label::OWNERS,
        old_labels: &[],
        fields: &[ProjectField::Owners, ProjectField::OwnersNote],
        choices: None,
        cell: Cell::Text {
            show: owners_show,
            read: owners_read,
        },
    },
    FieldRow {
        key: RowKey::Status,
        label: label::STATUS,
        old_labels: &[],
        fields: &[ProjectField::Status],
        choices: Some((&layout::STATUS_CHOICES, "状態")),
        cell: Cell::Text {
            show: |p, _| layout::status_label(p.status).into(),
            read: status_read,
        },
    },
    FieldRow {
        key: RowKey::Flag,
        label: label::FLAG,
        old_labels: &[],
        fields: &[ProjectField::Priority],
        choices: Some((&layout::FLAG_CHOICES, "重点")),
        cell: Cell::Text {
            show: |p, _| layout::flag_label(p.priority.flag).into(),
            read: flag_read,
        },
    },
    FieldRow {
        key: RowKey::Urgency,
        label: label::URGENCY,
        old_labels: &[],
        fields: &[ProjectField::Priority],
        choices: None,
        cell: Cell::Score {
            get: |p| p.priority.urgency,
            set: |p, v| p.priority.urgency = v,
        },
    },
    FieldRow {
        key: RowKey::Importance,
        label: label::IMPORTANCE,
        old_labels: &[],
        fields: &[ProjectField::Priority],
        choices: None,
        cell: Cell::Score {
            get: |p| p.priority.importance,
            set: |p, v| p.priority.importance = v,
        },
    },
    FieldRow {
        key: RowKey::Tags,
        label: label::TAGS,
        old_labels: &[],
        fields: &[ProjectField::Tags],
        choices: None,
        cell: Cell::Text {
            show: |p, _| layout::tags_text(&p.tags),
            read: tags_read,
        },
    },
    plain(
        RowKey::Issue,
        label::ISSUE,
        &[ProjectField::Issue],
        |p| &p.texts.issue,
        |p| &mut p.texts.issue,
    ),
    plain(
        RowKey::Purpose,
        label::PURPOSE,
        &[ProjectField::Purpose],
        |p| &p.texts.purpose,
        |p| &mut p.texts.purpose,
    ),
    plain(
        RowKey::Summary,
        label::SUMMARY,
        &[ProjectField::Summary],
        |p| &p.texts.summary,
        |p| &mut p.texts.summary,
    )
    .formerly(&[label::SUMMARY_OLD]),
    plain(
        RowKey::Goal,
        label::GOAL,
        &[ProjectField::Goal],
        |p| &p.texts.goal,
        |p| &mut p.texts.goal,
    ),
    FieldRow {
        key: RowKey::Effects,
        label: label::EFFECTS,
        old_labels: &[],
        fields: &[ProjectField::Effects],
        choices: None,
        cell: Cell::Text {
            show: |p, _| layout::effects_text(&p.texts.effects),
            read: effects_read,
        },
    },
];

/// The row of a key, if it is a field row.
pub(crate) fn row(key: &RowKey) -> Option<&'static FieldRow> {
    FIELDS.iter().find(|f| f.key == *key)
}

/// The row carrying a field of the project, if one does.
pub(crate) fn row_of(field: ProjectField) -> Option<&'static FieldRow> {
    FIELDS.iter().find(|f| f.fields.contains(&field))
}

fn owners_show(p: &Project, units: &[OrgUnit]) -> String {
    layout::owners_text(units, &p.owners, &p.owners_note)
}

fn owners_read(
    t: &str,
    base: &Project,
    units: &[OrgUnit],
    p: &mut Project,
) -> Result<bool, String> {
    if same(t, &owners_show(base, units)) {
        p.owners = base.owners.clone();
        p.owners_note = base.owners_note.clone();
        Ok(false)
    } else {
        (p.owners, p.owners_note) = layout::parse_owners(units, t);
        Ok(true)
    }
}

fn status_read(t: &str, base: &Project, _: &[OrgUnit], p: &mut Project) -> Result<bool, String> {
    if same(t, layout::status_label(base.status)) {
        p.status = base.status;
        return Ok(false);
    }
    p.status = layout::parse_status(t).ok_or_else(|| {
        format!(
            "状態は「{}」のいずれかです / unknown status: 「{t}」",
            layout::STATUS_CHOICES.join("」「")
        )
    })?;
    Ok(true)
}

fn flag_read(t: &str, base: &Project, _: &[OrgUnit], p: &mut Project) -> Result<bool, String> {
    if same(t, layout::flag_label(base.priority.flag)) {
        p.priority.flag = base.priority.flag;
        return Ok(false);
    }
    p.priority.flag = layout::parse_flag(t).ok_or_else(|| {
        format!("重点は「重点」「最重点」か空欄です / unknown priority flag: 「{t}」")
    })?;
    Ok(true)
}

fn tags_read(t: &str, base: &Project, _: &[OrgUnit], p: &mut Project) -> Result<bool, String> {
    let kept = same(t, &layout::tags_text(&base.tags));
    p.tags = if kept {
        base.tags.clone()
    } else {
        layout::parse_tags(t)
    };
    Ok(!kept)
}

fn effects_read(t: &str, base: &Project, _: &[OrgUnit], p: &mut Project) -> Result<bool, String> {
    let kept = same(t, &layout::effects_text(&base.texts.effects));
    p.texts.effects = if kept {
        base.texts.effects.clone()
    } else {
        layout::parse_effects(t)
    };
    Ok(!kept)
}
