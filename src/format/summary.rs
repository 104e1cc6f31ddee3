//! The summary sheets of the master workbook (一覧, 事業費集計, ロードマップ, KPI, グラフ): their
//! names and headings, written by `export::master` and known by the importer, which skips them.

/// The list of every project.
pub const LIST_SHEET: &str = "一覧";
/// 事業費 per policy and year.
pub const BUDGET_SHEET: &str = "事業費集計";
/// The schedule of every project.
pub const ROADMAP_SHEET: &str = "ロードマップ";
/// Every indicator.
pub const KPI_SHEET: &str = "KPI";
/// The charts and their data.
pub const CHART_SHEET: &str = "グラフ";

/// Headings of the summary sheets (the importer knows them by these and skips them).
pub const LIST_HEADS: [&str; 9] = [
    "コード",
    "基本方針",
    "施策",
    "取組名（クリックでシートへ）",
    "担当課",
    "状態",
    "重点",
    "緊急度",
    "重要度",
];
/// Headings of the roadmap sheet.
pub const ROADMAP_HEADS: [&str; 3] = ["コード", "取組名", "工程"];
/// Headings of the KPI sheet.
pub const KPI_HEADS: [&str; 5] = ["コード", "取組名", "区分", "指標名", "単位"];
/// Headings of the chart data.
pub const CHART_HEADS: [&str; 5] = [
    "年度",
    "事業費合計（千円）",
    "平均達成率",
    "目標を達成した指標の割合",
    "達成率を計算できた指標数",
];
/// Title of the budget sheet.
pub const BUDGET_TITLE: &str = "基本方針別・年度別の事業費（年度経費（LCC）、千円）";
