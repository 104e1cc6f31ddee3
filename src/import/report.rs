//! What an import understood, per file and sheet, with `Sheet!A1` references. Serialised as
//! the `--json` report; `Display` gives the Japanese text report.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A cell-level note of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    /// Where: sheet and cell (`Sheet!A1`).
    pub at: String,
    /// What is wrong, in words.
    pub message: String,
}

/// What a read project is to the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// New to the plan.
    New,
    /// One existing project.
    Matched,
    /// Several existing projects.
    Ambiguous,
}

/// A project read from a sheet.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectLine {
    /// Where: sheet and cell (`Sheet!A1`).
    pub at: String,
    /// Title as written in the plan.
    pub title: String,
    /// Empty for an ambiguous match (nothing was applied).
    pub project_id: String,
    /// New, matched or ambiguous.
    pub outcome: Outcome,
    /// Fields this import changes in the plan.
    pub changes: usize,
    /// Changes to values the plan already has that were not accepted (`--accept`): held, not
    /// applied.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub held: usize,
    /// Old → new of every changed field of a matched project, applied or held.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<super::preview::FieldChangeView>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A label (a row of a label-column sheet, or a column of a flat list) that no field reads:
/// its cells were not imported. `--map 'ラベル=field'` reads it next time.
#[derive(Debug, Clone, Serialize)]
pub struct Unread {
    /// As written (without the year of a year column: 「予定額」 of 「R5予定額」).
    pub label: String,
    /// `normalize_label` of it: what a mapping is kept under.
    pub key: String,
    /// `Sheet!A1` of the label cell.
    pub at: String,
    /// Rows not read (a flat list's column: 1).
    pub rows: usize,
    /// Cells with a value not read, the label itself not counted.
    pub cells: usize,
    /// Of these, cells in year columns (values per fiscal year: targets, actuals, money, bars).
    pub year_cells: usize,
    /// A column of a flat list rather than a row.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub column: bool,
}

/// What was read from one sheet.
#[derive(Debug, Clone, Serialize)]
pub struct SheetReport {
    /// Sheet name.
    pub sheet: String,
    /// The layout recognised, if any.
    pub layout: Option<&'static str>,
    /// Why the sheet was not read, if it was not.
    pub skipped: Option<String>,
    /// Skipped because it is in no known layout (and is not a 目次, 記入例 …).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unknown_layout: bool,
    /// Projects read.
    pub projects: Vec<ProjectLine>,
    /// Text fields read.
    pub fields: usize,
    /// Indicators read.
    pub indicators: usize,
    /// Schedule tasks read.
    pub tasks: usize,
    /// Budget cells read.
    pub budget_cells: usize,
    /// Cells read by a guess.
    pub guesses: Vec<Note>,
    /// Cells not read, with why.
    pub skipped_cells: Vec<Note>,
    /// Names and keys from which invisible format characters were removed (`import::names`).
    pub cleaned_names: Vec<Note>,
    /// Labelled rows and columns no field reads (`Unread`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<Unread>,
    /// (key, column) → index in `unread`: a sheet of many distinct labels stays linear.
    #[serde(skip)]
    unread_index: std::collections::HashMap<(String, bool), usize>,
    /// Cells that stop the import (an amount above the ceiling): never in a report that is
    /// shown, since the import is refused with the first of them.
    #[serde(skip)]
    pub refused_cells: Vec<Note>,
}

impl SheetReport {
    /// An empty report of a sheet.
    pub fn new(sheet: &str) -> Self {
        SheetReport {
            sheet: sheet.to_string(),
            layout: None,
            skipped: None,
            unknown_layout: false,
            projects: Vec::new(),
            fields: 0,
            indicators: 0,
            tasks: 0,
            budget_cells: 0,
            guesses: Vec::new(),
            skipped_cells: Vec::new(),
            cleaned_names: Vec::new(),
            unread: Vec::new(),
            unread_index: Default::default(),
            refused_cells: Vec::new(),
        }
    }

    /// Rows and cells of this sheet not understood.
    pub fn unread_totals(&self) -> (usize, usize) {
        self.unread
            .iter()
            .fold((0, 0), |(r, c), u| (r + u.rows, c + u.cells))
    }

    /// The unread entry of a label on this sheet, created on first use.
    pub fn unread_entry(&mut self, label: &str, at: String, column: bool) -> &mut Unread {
        let key = crate::parse::label::normalize_label(label);
        let i = match self.unread_index.get(&(key.clone(), column)) {
            Some(i) => *i,
            None => {
                self.unread_index
                    .insert((key.clone(), column), self.unread.len());
                self.unread.push(Unread {
                    label: label.trim().to_string(),
                    key,
                    at,
                    rows: 0,
                    cells: 0,
                    year_cells: 0,
                    column,
                });
                self.unread.len() - 1
            }
        };
        &mut self.unread[i]
    }

    /// Drops the labels with nothing under or beside them: they lost nothing.
    pub fn drop_empty_unread(&mut self) {
        self.unread.retain(|u| u.cells > 0);
        self.unread_index = self
            .unread
            .iter()
            .enumerate()
            .map(|(i, u)| ((u.key.clone(), u.column), i))
            .collect();
    }
}

/// What was read from one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The file concerned.
    pub file: String,
    /// The character encoding a CSV file was read in (「UTF-8（BOM付き）」, 「Shift_JIS」).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Its sheets.
    pub sheets: Vec<SheetReport>,
}

/// A new project that names no measure, and was given none.
#[derive(Debug, Clone, Serialize)]
pub struct Unplaced {
    /// Title of the project.
    pub title: String,
    /// Where: sheet and cell (`Sheet!A1`).
    pub at: String,
    /// The file concerned.
    pub file: String,
}

/// A measure a new project can go under (`--measure CODE|TITLE`).
#[derive(Debug, Clone, Serialize)]
pub struct MeasureChoice {
    /// The measure's id.
    pub id: String,
    /// Display code (Ⅰ, Ⅰ-1, Ⅰ-1-①).
    pub code: String,
    /// Title as written in the plan.
    pub title: String,
    /// The policy's code and title.
    pub policy: String,
}

/// A label or column no field reads, over every sheet it is on.
#[derive(Debug, Clone, Serialize)]
pub struct UnknownLabel {
    /// The label as written.
    pub label: String,
    /// Normalised key.
    pub key: String,
    /// Rows it labels.
    pub rows: usize,
    /// Cells in those rows.
    pub cells: usize,
    /// Cells under a fiscal-year column.
    pub year_cells: usize,
    /// The label cells, `Sheet!A1` (the first ten).
    pub at: Vec<String>,
}

/// What the person importing must decide, or may: where new projects without a measure go,
/// how to read labels nothing reads, and the sheets that were skipped. `blocking` says why the
/// import stopped before writing anything, when it did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Questions {
    /// Projects without a measure.
    pub unplaced: Vec<Unplaced>,
    /// The measures `unplaced` projects can go under, in plan order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<MeasureChoice>,
    /// Labels not understood.
    pub unknown_labels: Vec<UnknownLabel>,
    /// The fields a label can be mapped to (`--map 'ラベル=field'`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<crate::model::fields::FieldName>,
    /// 「file」: sheet, for sheets in no known layout that were skipped.
    pub unknown_sheets: Vec<String>,
    /// Why the import stops before writing (empty: it writes).
    pub blocking: Vec<String>,
}

impl Questions {
    /// Nothing to decide.
    pub fn is_empty(&self) -> bool {
        self.unplaced.is_empty() && self.unknown_labels.is_empty() && self.unknown_sheets.is_empty()
    }
}

/// Counts of an import.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Projects new to the plan.
    pub projects_new: usize,
    /// Projects matched to existing ones.
    pub projects_matched: usize,
    /// Projects that match several existing ones.
    pub projects_ambiguous: usize,
    /// Sheets not read.
    pub sheets_skipped: usize,
    /// Cells read by a guess.
    pub guesses: usize,
    /// Cells not read.
    pub cells_skipped: usize,
    /// Names cleaned of stray characters.
    pub names_cleaned: usize,
    /// Changes to existing values.
    pub changes: usize,
    /// Changes to values the plan has, not accepted: held, not applied.
    pub changes_held: usize,
    /// Labelled rows (and flat-list columns) no field reads, and their cells.
    pub rows_unread: usize,
    /// Cells of rows that were not understood.
    pub cells_unread: usize,
}

/// What an import read and did (or would do).
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// A preview: nothing was written.
    pub dry_run: bool,
    /// One report per file.
    pub files: Vec<FileReport>,
    /// Counts over the whole run.
    pub summary: Summary,
    /// What the person must decide before writing.
    #[serde(skip_serializing_if = "Questions::is_empty")]
    pub questions: Questions,
    /// The import as recorded in the plan (`dxplan imports`, `dxplan undo-import`); none for a
    /// dry run or an import that stopped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import_id: Option<i64>,
}

impl ImportReport {
    /// Why an import stopped before writing, naming its files.
    pub fn stop_message(&self) -> String {
        let files: Vec<&str> = self.files.iter().map(|f| f.file.as_str()).collect();
        format!(
            "「{}」の取り込みを中止しました（計画は変更していません）: {} / import of {} stopped, nothing written",
            files.join("」「"),
            self.questions.blocking.join(" ／ "),
            files.join(", ")
        )
    }

    pub(crate) fn summarise(&mut self) {
        let mut s = Summary::default();
        for sheet in self.files.iter().flat_map(|f| &f.sheets) {
            s.sheets_skipped += sheet.skipped.is_some() as usize;
            s.guesses += sheet.guesses.len();
            s.cells_skipped += sheet.skipped_cells.len();
            s.names_cleaned += sheet.cleaned_names.len();
            let (rows, cells) = sheet.unread_totals();
            s.rows_unread += rows;
            s.cells_unread += cells;
            for p in &sheet.projects {
                s.changes += p.changes;
                s.changes_held += p.held;
                match p.outcome {
                    Outcome::New => s.projects_new += 1,
                    Outcome::Matched => s.projects_matched += 1,
                    Outcome::Ambiguous => s.projects_ambiguous += 1,
                }
            }
        }
        self.summary = s;
    }
}

fn layout_ja(l: &str) -> &'static str {
    match l {
        "project_sheet" => "1事業1シート",
        "stacked" => "複数事業（縦並び）",
        "schedule" => "工程表",
        "flat" => "一覧表",
        "dxplan" => "dxplan 書出し",
        "dxplan_labels" => "dxplan の様式（項目名で読取り）",
        _ => "不明",
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dry_run {
            writeln!(
                f,
                "【試行】計画ファイルは変更していません / dry run: nothing written"
            )?;
        }
        for file in &self.files {
            writeln!(f, "■ {}", file.file)?;
            if let Some(e) = &file.encoding {
                writeln!(f, "  文字コード / encoding: {e}")?;
            }
            for s in &file.sheets {
                if let Some(why) = &s.skipped {
                    writeln!(f, "  シート「{}」: スキップ（{why}）", s.sheet)?;
                    continue;
                }
                writeln!(
                    f,
                    "  シート「{}」[{}]: 事業 {} / 項目 {} / 指標 {} / 工程 {} / 事業費セル {}",
                    s.sheet,
                    s.layout.map(layout_ja).unwrap_or("不明"),
                    s.projects.len(),
                    s.fields,
                    s.indicators,
                    s.tasks,
                    s.budget_cells
                )?;
                for p in &s.projects {
                    let what = match p.outcome {
                        Outcome::New => "新規",
                        Outcome::Matched => "既存に一致",
                        Outcome::Ambiguous => "一致先が複数（適用しません）",
                    };
                    write!(
                        f,
                        "    {} 「{}」 {what}、変更 {} 項目",
                        p.at, p.title, p.changes
                    )?;
                    if p.held > 0 {
                        write!(f, "、保留 {} 項目（既存の値は変えていません）", p.held)?;
                    }
                    writeln!(f)?;
                    for c in &p.fields {
                        writeln!(
                            f,
                            "      {}: {} → {}{}",
                            c.label,
                            short(&c.old),
                            short(&c.new),
                            if c.applied { "" } else { "　〔保留〕" }
                        )?;
                    }
                }
                for g in &s.guesses {
                    writeln!(f, "    推測 {}: {}", g.at, g.message)?;
                }
                for c in &s.skipped_cells {
                    writeln!(f, "    読み飛ばし {}: {}", c.at, c.message)?;
                }
                for c in &s.cleaned_names {
                    writeln!(f, "    見えない文字を除去 {}: {}", c.at, c.message)?;
                }
                let (rows, cells) = s.unread_totals();
                if rows > 0 {
                    writeln!(
                        f,
                        "    未読: {rows} 行 ({cells} セル) / not understood: {rows} row(s), {cells} cell(s)"
                    )?;
                    for u in &s.unread {
                        writeln!(
                            f,
                            "      「{}」 {}: {} {} ({} セル、うち年度の列 {})",
                            u.label,
                            u.at,
                            u.rows,
                            if u.column { "列" } else { "行" },
                            u.cells,
                            u.year_cells
                        )?;
                    }
                }
            }
        }
        write!(f, "{}", self.questions)?;
        let s = &self.summary;
        write!(
            f,
            "合計: 新規 {} 件 / 一致 {} 件 / 曖昧 {} 件 / 変更 {} 項目 / スキップしたシート {} / 推測 {} / 読み飛ばしたセル {}",
            s.projects_new, s.projects_matched, s.projects_ambiguous, s.changes, s.sheets_skipped, s.guesses, s.cells_skipped
        )?;
        if s.names_cleaned > 0 {
            write!(f, " / 見えない文字を除去した名前 {}", s.names_cleaned)?;
        }
        if s.changes_held > 0 {
            write!(f, " / 保留 {} 項目", s.changes_held)?;
        }
        if s.rows_unread > 0 {
            write!(f, " / 未読 {} 行 ({} セル)", s.rows_unread, s.cells_unread)?;
        }
        if let Some(id) = self.import_id {
            write!(f, " / 取込番号 {id}")?;
        }
        Ok(())
    }
}

/// A value on one line of the text report: line breaks shown as 「⏎」, long texts cut.
fn short(s: &str) -> String {
    let one: String = s.replace('\n', "⏎");
    if one.chars().count() > 40 {
        format!("{}…", one.chars().take(40).collect::<String>())
    } else {
        one
    }
}

impl fmt::Display for Questions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.unplaced.is_empty() {
            writeln!(
                f,
                "■ 施策が書かれていない新しい事業 {} 件（--measure 施策コード|施策名 で入れ先を指定） / new projects naming no measure (choose one with --measure):",
                self.unplaced.len()
            )?;
            for u in &self.unplaced {
                writeln!(f, "    「{}」 {} 「{}」", u.file, u.at, u.title)?;
            }
            if self.measures.is_empty() {
                writeln!(f, "  選べる施策はまだありません。--measure '基本方針名/施策名' で作れます / the plan has no measure yet: --measure 'POLICY/MEASURE' creates one")?;
            } else {
                writeln!(f, "  選べる施策 / measures:")?;
                for m in &self.measures {
                    writeln!(f, "    {} {}（{}）", m.code, m.title, m.policy)?;
                }
            }
        }
        if !self.unknown_labels.is_empty() {
            writeln!(
                f,
                "■ 読めなかった見出し（--map 'ラベル=項目' で読み方を指定すると計画に記録され、次からは不要） / labels not understood (map them with --map 'LABEL=field'; kept in the plan):"
            )?;
            for u in &self.unknown_labels {
                writeln!(
                    f,
                    "    「{}」 {} 行 {} セル（うち年度の列 {}） {}",
                    u.label,
                    u.rows,
                    u.cells,
                    u.year_cells,
                    u.at.join(" ")
                )?;
            }
            let names: Vec<&str> = self.fields.iter().map(|x| x.name).collect();
            if !names.is_empty() {
                writeln!(f, "  項目 / fields: {}", names.join(", "))?;
            }
        }
        if !self.unknown_sheets.is_empty() {
            writeln!(
                f,
                "■ 既知の様式でないためスキップしたシート（--strict で中止） / sheets in no known layout, skipped: {}",
                self.unknown_sheets.join("、")
            )?;
        }
        for b in &self.blocking {
            writeln!(f, "■ 中止 / stopped: {b}")?;
        }
        Ok(())
    }
}
