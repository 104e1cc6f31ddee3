//! Schema migrations. Append new migrations; never edit a released one.

use rusqlite_migration::{Migrations, M};

/// `PRAGMA application_id` of a plan file: "DXPL". Lets us refuse other SQLite files.
pub const APPLICATION_ID: i32 = 0x4458_504C;

const V1: &str = r#"
CREATE TABLE plan (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    city TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL DEFAULT '',
    first_fy INTEGER NOT NULL,
    last_fy INTEGER NOT NULL,
    vision TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    CHECK (first_fy <= last_fy)
);
CREATE TABLE org_unit (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    parent_id TEXT REFERENCES org_unit(id),
    valid_from_fy INTEGER,
    valid_to_fy INTEGER
);
CREATE TABLE policy (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE measure (
    id TEXT PRIMARY KEY,
    policy_id TEXT NOT NULL REFERENCES policy(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    priority_flag TEXT NOT NULL DEFAULT 'none',
    urgency INTEGER CHECK (urgency BETWEEN 0 AND 100),
    importance INTEGER CHECK (importance BETWEEN 0 AND 100)
);
CREATE TABLE project (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    owners_note TEXT NOT NULL DEFAULT '',
    issue TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    goal TEXT NOT NULL DEFAULT '',
    effects_json TEXT NOT NULL DEFAULT '[]',
    priority_flag TEXT NOT NULL DEFAULT 'none',
    urgency INTEGER CHECK (urgency BETWEEN 0 AND 100),
    importance INTEGER CHECK (importance BETWEEN 0 AND 100),
    tags_json TEXT NOT NULL DEFAULT '[]',
    -- Bumped on every saved change; exports record it as the base a department received.
    revision INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE project_measure (
    project_id TEXT NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    measure_id TEXT NOT NULL REFERENCES measure(id),
    ord INTEGER NOT NULL,
    PRIMARY KEY (project_id, measure_id)
);
CREATE INDEX project_measure_measure ON project_measure(measure_id);
CREATE TABLE project_owner (
    project_id TEXT NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL REFERENCES org_unit(id),
    role TEXT NOT NULL CHECK (role IN ('lead', 'co')),
    ord INTEGER NOT NULL,
    PRIMARY KEY (project_id, unit_id)
);
CREATE INDEX project_owner_unit ON project_owner(unit_id);
CREATE TABLE footnote (
    project_id TEXT NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    marker TEXT NOT NULL,
    field TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (project_id, ord)
);
CREATE TABLE indicator (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('KGI', 'KPI')),
    name TEXT NOT NULL,
    unit TEXT,
    cumulative INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX indicator_project ON indicator(project_id);
CREATE TABLE indicator_value (
    indicator_id TEXT NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
    fiscal_year INTEGER NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('target', 'actual')),
    text TEXT NOT NULL,
    number REAL,
    unit TEXT,
    denominator REAL,
    qualifier TEXT,
    markers_json TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (indicator_id, fiscal_year, side)
);
CREATE TABLE task (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    start_fy INTEGER NOT NULL,
    end_fy INTEGER NOT NULL,
    phases_json TEXT NOT NULL DEFAULT '{}',
    confirmed INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX task_project ON task(project_id);
CREATE TABLE budget (
    project_id TEXT NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    fiscal_year INTEGER NOT NULL,
    planned INTEGER,
    general_revenue INTEGER,
    PRIMARY KEY (project_id, fiscal_year)
);
CREATE TABLE progress (
    project_id TEXT NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    fiscal_year INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT '',
    achievements TEXT NOT NULL DEFAULT '',
    issues TEXT NOT NULL DEFAULT '',
    remedies TEXT NOT NULL DEFAULT '',
    evaluation TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, fiscal_year)
);
-- One row per write transaction: who/what made the changes logged under it.
CREATE TABLE operation (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT ''
);
-- Every field change. Values are JSON; NULL means "no value".
CREATE TABLE change_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id INTEGER NOT NULL REFERENCES operation(id),
    project_id TEXT,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX change_log_project ON change_log(project_id);
CREATE INDEX change_log_op ON change_log(op_id);
"#;

/// Merges of department submissions: which were merged (to merge each once, keep newer work
/// from being undone by an older submission, and undo a merge), and the conflicts they left.
const V2: &str = r#"
CREATE TABLE submission (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    export_id TEXT NOT NULL,
    -- Digest of the submission's contents: the same file merged again is recognised.
    digest TEXT NOT NULL,
    department_id TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    exported_at TEXT NOT NULL DEFAULT '',
    file TEXT NOT NULL DEFAULT '',
    op_id INTEGER NOT NULL REFERENCES operation(id),
    merged_at TEXT NOT NULL,
    undone_op_id INTEGER REFERENCES operation(id)
);
CREATE INDEX submission_export ON submission(export_id);
CREATE INDEX submission_op ON submission(op_id);
CREATE TABLE conflict (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id INTEGER NOT NULL REFERENCES submission(id),
    project_id TEXT NOT NULL,
    field TEXT NOT NULL,
    base_value TEXT,
    ours_value TEXT,
    theirs_value TEXT,
    -- Where the department's value came from, e.g. 「Ⅰ-1-①!D14」.
    at TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'withdrawn')),
    resolution TEXT,
    resolved_op_id INTEGER REFERENCES operation(id)
);
CREATE INDEX conflict_status ON conflict(status);
"#;

/// Named versions of the plan (版: 第1.0版, 第1.1版) and plan settings. A version holds a
/// compact copy of the whole plan as it was (the model as JSON, deflated; see
/// `store::snapshot`) and the change-log position it was taken at.
const V4_VERSIONS: &str = r#"
CREATE TABLE plan_version (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    label TEXT NOT NULL,
    -- The label after NFKC and whitespace removal: 「第１.０版」 names 「第1.0版」.
    label_key TEXT NOT NULL UNIQUE,
    -- Date the 版 is issued as, YYYY-MM-DD (optional).
    issued_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    -- The operation that recorded it: every change logged after it came later.
    op_id INTEGER NOT NULL REFERENCES operation(id),
    projects INTEGER NOT NULL,
    encoding TEXT NOT NULL,
    raw_size INTEGER NOT NULL,
    -- SHA-256 of the uncompressed JSON: a damaged copy is refused, not misread.
    digest TEXT NOT NULL,
    snapshot BLOB NOT NULL
);
CREATE TABLE plan_setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#;

/// Issue 16: April reorganisations (which unit carries which unit's work from which fiscal
/// year), each unit's DX推進員 per fiscal year, and roll-up indicators (an indicator defined as
/// the sum of others).
const V5: &str = r#"
-- One row per reorganisation step (a rename, a merge, a split, a new or abolished unit).
CREATE TABLE reorg (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id INTEGER NOT NULL REFERENCES operation(id),
    fy INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('rename', 'merge', 'split', 'new', 'abolish')),
    -- Unit names as given (JSON lists): the step is recognised when it is given again.
    from_names TEXT NOT NULL DEFAULT '[]',
    to_names TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX reorg_fy ON reorg(fy);
CREATE INDEX reorg_op ON reorg(op_id);
-- From the step's fiscal year, to_unit carries (part of) from_unit's work.
CREATE TABLE unit_succession (
    reorg_id INTEGER NOT NULL REFERENCES reorg(id),
    from_unit TEXT NOT NULL REFERENCES org_unit(id),
    to_unit TEXT NOT NULL REFERENCES org_unit(id),
    PRIMARY KEY (from_unit, to_unit)
);
CREATE INDEX unit_succession_reorg ON unit_succession(reorg_id);
-- DX推進員 of a unit in a fiscal year, in order.
CREATE TABLE roster (
    unit_id TEXT NOT NULL REFERENCES org_unit(id),
    fiscal_year INTEGER NOT NULL,
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    contact TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (unit_id, fiscal_year, ord)
);
-- An indicator whose values are the sum of its components'. No foreign keys: saving a project
-- rewrites its indicator rows, and a link to an indicator that is gone is reported by check.
CREATE TABLE indicator_rollup (
    indicator_id TEXT NOT NULL,
    component_id TEXT NOT NULL,
    ord INTEGER NOT NULL,
    PRIMARY KEY (indicator_id, component_id)
);
CREATE INDEX indicator_rollup_component ON indicator_rollup(component_id);
"#;

/// The register and the plan's secret key (schema V3). The register's entries are written only
/// by `register::register`; the key only by the migration (it is created with the plan, or when a plan
/// file from before is first opened).
const V3: &str = r#"
CREATE TABLE plan_secret (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    mac_key BLOB NOT NULL CHECK (length(mac_key) = 32)
);
CREATE TABLE export_register (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    export_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('department', 'master', 'submission')),
    plan_id TEXT NOT NULL,
    department_id TEXT,
    department TEXT NOT NULL DEFAULT '',
    -- [{"id": …, "revision": …}]; NULL: not known (recovered on migration).
    projects_json TEXT,
    -- NULL: exported before exports carried a MAC.
    mac TEXT,
    exported_at TEXT NOT NULL,
    dxplan_version TEXT NOT NULL DEFAULT '',
    file TEXT NOT NULL DEFAULT '',
    recovered INTEGER NOT NULL DEFAULT 0
);
-- The office issues each export id once; a working copy may write several submissions of one.
CREATE UNIQUE INDEX export_register_issued ON export_register(export_id) WHERE kind != 'submission';
"#;

/// Issue 15: 照会 rounds. Tables of their own (no column added to an older table), so the
/// migration can move: the rounds, the register's round link, what an answer's cover said and
/// what it stated per field, and the 課 answers a 部's answer gathered.
const V6_ROUNDS: &str = r#"
CREATE TABLE round (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    -- 提出期限, YYYY-MM-DD.
    deadline TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    dir TEXT NOT NULL DEFAULT '',
    op_id INTEGER NOT NULL REFERENCES operation(id)
);
-- The department workbooks sent in a round (export register entries), and for a 課 whose
-- answer a 部 gathers, the export id of that 部's workbook.
CREATE TABLE round_export (
    export_id TEXT PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES round(id),
    reviewed_in TEXT
);
CREATE INDEX round_export_round ON round_export(round_id);
-- The cover of a merged answer (記入者, 連絡先, 事務局への連絡事項), the workbook's save time
-- (docProps), and how many of its fields were refused.
CREATE TABLE submission_cover (
    submission_id INTEGER PRIMARY KEY REFERENCES submission(id),
    respondent TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    remarks TEXT NOT NULL DEFAULT '',
    saved_at TEXT,
    refused INTEGER NOT NULL DEFAULT 0
);
-- Every field an answer states differently from its base (JSON; NULL: cleared): a corrected
-- answer of the same department is compared against what it said before.
CREATE TABLE answer_field (
    submission_id INTEGER NOT NULL REFERENCES submission(id),
    project_id TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (submission_id, project_id, field)
);
-- The 課 answers a 部's answer gathered (課 → 部 → 事務局).
CREATE TABLE submission_via (
    submission_id INTEGER NOT NULL REFERENCES submission(id),
    ord INTEGER NOT NULL,
    export_id TEXT NOT NULL,
    department_id TEXT NOT NULL,
    department TEXT NOT NULL,
    respondent TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    remarks TEXT NOT NULL DEFAULT '',
    saved_at TEXT,
    digest TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (submission_id, ord)
);
CREATE INDEX submission_via_export ON submission_via(export_id);
"#;

/// Issue 14: imports recorded as a whole, to list them and undo one (with the projects it
/// changed as they were before), and the plan's import profile: labels of other cities' sheets
/// a person mapped to fields (`dxplan import --map 'ラベル=field'`).
const V7_IMPORTS: &str = r#"
CREATE TABLE import_record (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id INTEGER NOT NULL REFERENCES operation(id),
    -- The files imported, as given (JSON list).
    files TEXT NOT NULL DEFAULT '[]',
    imported_at TEXT NOT NULL,
    projects_new INTEGER NOT NULL DEFAULT 0,
    projects_matched INTEGER NOT NULL DEFAULT 0,
    changes INTEGER NOT NULL DEFAULT 0,
    changes_held INTEGER NOT NULL DEFAULT 0,
    rows_unread INTEGER NOT NULL DEFAULT 0,
    undone_op_id INTEGER REFERENCES operation(id)
);
CREATE INDEX import_record_op ON import_record(op_id);
-- Each project an import changed, as it was before (the model as JSON): undo restores it whole
-- when nothing changed it since.
CREATE TABLE import_before (
    import_id INTEGER NOT NULL REFERENCES import_record(id),
    project_id TEXT NOT NULL,
    project_json TEXT NOT NULL,
    PRIMARY KEY (import_id, project_id)
);
CREATE TABLE import_label (
    -- The label after NFKC and whitespace removal, without a fiscal year.
    label_key TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    -- A field name of model::fields::FIELD_NAMES.
    field TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    op_id INTEGER NOT NULL REFERENCES operation(id)
);
"#;

fn all() -> Vec<M<'static>> {
    vec![
        M::up(V1),
        M::up(V2),
        M::up_with_hook(V3, super::register::v3_hook),
        M::up(V4_VERSIONS),
        M::up(V5),
        M::up(V6_ROUNDS),
        M::up(V7_IMPORTS),
    ]
}

/// Every migration of the plan schema, in order.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(all())
}

/// The schema version this build writes (`PRAGMA user_version`): rusqlite_migration numbers
/// the migrations from 1.
pub fn latest_version() -> i64 {
    all().len() as i64
}
