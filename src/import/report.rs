//! What an import understood, per file and sheet, with `Sheet!A1` references. Serialised as
//! the `--json` report; `Display` gives the Japanese text report.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub at: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    New,
    Matched,
    Ambiguous,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectLine {
    pub at: String,
    pub title: String,
    /// Empty for an ambiguous match (nothing was applied).
    pub project_id: String,
    pub outcome: Outcome,
    /// Fields this import changes in the plan.
    pub changes: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SheetReport {
    pub sheet: String,
    pub layout: Option<&'static str>,
    pub skipped: Option<String>,
    pub projects: Vec<ProjectLine>,
    pub fields: usize,
    pub indicators: usize,
    pub tasks: usize,
    pub budget_cells: usize,
    pub guesses: Vec<Note>,
    pub skipped_cells: Vec<Note>,
    /// Names and keys from which invisible format characters were removed (`import::names`).
    pub cleaned_names: Vec<Note>,
    /// Cells that stop the import (an amount above the ceiling): never in a report that is
    /// shown, since the import is refused with the first of them.
    #[serde(skip)]
    pub refused_cells: Vec<Note>,
}

impl SheetReport {
    pub fn new(sheet: &str) -> Self {
        SheetReport {
            sheet: sheet.to_string(),
            layout: None,
            skipped: None,
            projects: Vec::new(),
            fields: 0,
            indicators: 0,
            tasks: 0,
            budget_cells: 0,
            guesses: Vec::new(),
            skipped_cells: Vec::new(),
            cleaned_names: Vec::new(),
            refused_cells: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub file: String,
    pub sheets: Vec<SheetReport>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub projects_new: usize,
    pub projects_matched: usize,
    pub projects_ambiguous: usize,
    pub sheets_skipped: usize,
    pub guesses: usize,
    pub cells_skipped: usize,
    pub names_cleaned: usize,
    pub changes: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub dry_run: bool,
    pub files: Vec<FileReport>,
    pub summary: Summary,
}

impl ImportReport {
    pub fn summarise(&mut self) {
        let mut s = Summary::default();
        for sheet in self.files.iter().flat_map(|f| &f.sheets) {
            s.sheets_skipped += sheet.skipped.is_some() as usize;
            s.guesses += sheet.guesses.len();
            s.cells_skipped += sheet.skipped_cells.len();
            s.names_cleaned += sheet.cleaned_names.len();
            for p in &sheet.projects {
                s.changes += p.changes;
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
                    writeln!(
                        f,
                        "    {} 「{}」 {what}、変更 {} 項目",
                        p.at, p.title, p.changes
                    )?;
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
            }
        }
        let s = &self.summary;
        write!(
            f,
            "合計: 新規 {} 件 / 一致 {} 件 / 曖昧 {} 件 / 変更 {} 項目 / スキップしたシート {} / 推測 {} / 読み飛ばしたセル {}",
            s.projects_new, s.projects_matched, s.projects_ambiguous, s.changes, s.sheets_skipped, s.guesses, s.cells_skipped
        )?;
        if s.names_cleaned > 0 {
            write!(f, " / 見えない文字を除去した名前 {}", s.names_cleaned)?;
        }
        Ok(())
    }
}
