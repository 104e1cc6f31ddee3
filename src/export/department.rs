//! The department workbook: 表紙 (cover), one sheet per project the unit owns or co-owns,
//! and the hidden 「_dxplan」 sheet.

use std::path::Path;

use rust_xlsxwriter::{DataValidation, DataValidationRule, ProtectionOptions, Url, Workbook};

use super::project_sheet::{self, Cells};
use super::safe::{quote_sheet, SheetNames};
use super::style::{self, Styles};
use super::{
    base_projects, code_of, department_subset, japanese_date, stamp, write_meta_sheet, BuildError,
    ExportOptions, ExportSummary,
};
use crate::format::layout::RowKey;
use crate::format::meta::{DepartmentRef, ExportKind, ExportMeta, FORMAT_VERSION};
use crate::model::OrgUnit;

pub(crate) const COVER_SHEET: &str = "表紙";

/// Input fields of the cover (read back by `import::native`).
pub const COVER_FIELDS: [(&str, &str); 4] = [
    ("deadline", "提出期限"),
    ("respondent", "記入者（所属・氏名）"),
    ("contact", "連絡先（内線・メール）"),
    ("remarks", "事務局への連絡事項"),
];

/// The longest text each cover input takes (validated in the workbook).
pub fn cover_max_chars(field: &str) -> Option<u32> {
    match field {
        "respondent" => Some(100),
        "contact" => Some(200),
        "remarks" => Some(2000),
        _ => None,
    }
}

/// LibreOffice saves the very hidden sheet as merely hidden: anyone can then show it.
pub const HIDDEN_SHEET_LINE: &str = "8. 管理用のシート「_dxplan」には触れないでください（再表示・変更・削除をしない）。LibreOffice で保存すると「シートの表示」の一覧に現れますが、表示しないでください。値を別のブックに写さず、このファイルに記入して返送してください。";

pub(crate) const INSTRUCTIONS: [&str; 10] = [
    "記入のしかた",
    "1. 事業ごとのシート（シート名は「事業コード 取組名」）の白いセルに記入してください。色の付いたセル（項目名・コード・基本方針・施策・合計）は変更できません。",
    "2. 指標は年度ごとに「目標」「実績」の行へ、単位も含めて書かれたとおりに記入してください（例：40 手続、72.5%、試行実施（2施設））。値のない年度は空欄のままにしてください（「－」も空欄と同じ扱いです）。",
    "3. 事業費は千円単位の整数で記入してください。空欄は「計上なし」、0 は「0 千円」として区別されます。合計は自動で計算されます。",
    "4. スケジュールは、実施する年度のセルに工程名（検討・構築・運用など）か「●」を記入するか、セルに色を付けてください。実施しない年度は空欄にし、色を消してください。",
    "5. 工程や指標を追加するときは、スケジュールの下の空いている行と「追加する指標」の欄に記入してください。新しい事業は、新しいシートに従来の様式（取組名・概要・施策など）で書けば提案として取り込まれます。行・列の追加や削除、シートの削除やコピーはしないでください。シート名の変更や並べ替えは構いません。",
    "6. 工程や指標を削除するときは、行を削除せず、工程なら工程名・年度の文字・確度を、指標なら指標名・単位・目標・実績・累計をすべて空欄にしてください（Delete キーで消せます。色は残っていても構いません）。空欄にした工程・指標は削除として扱います。",
    "7. 非表示のシート・列には統合に使う情報が入っています。変更しないでください。",
    HIDDEN_SHEET_LINE,
    "9. 記入が終わったら、このファイルを Excel 形式（.xlsx）のまま保存し、提出期限までに DX 推進担当へ返送してください。",
];

pub(crate) fn build(
    plan: &crate::model::Plan,
    unit: &OrgUnit,
    _path: &Path,
    opts: &ExportOptions,
) -> Result<(Workbook, ExportSummary), BuildError> {
    let (at, export_id) = stamp(opts);
    // The department's projects as its workbook shows them (roll-ups' computed values).
    let mut subset = department_subset(plan, &unit.id);
    super::show_rollups(&mut subset);
    let mut wb = Workbook::new();
    style::set_workbook_default(&mut wb)?;
    let st = Styles::new();
    let mut names = SheetNames::new();
    names.reserve(COVER_SHEET);
    names.reserve(crate::format::meta::META_SHEET);
    names.reserve(super::via::VIA_SHEET);
    let sheet_names: Vec<String> = subset
        .projects
        .iter()
        .map(|p| names.unique(&format!("{} {}", code_of(plan, p), p.title)))
        .collect();

    write_cover(&mut wb, plan, unit, &subset, &sheet_names, &at, opts, &st)?;
    let items: Vec<(&crate::model::Project, String, String)> = subset
        .projects
        .iter()
        .zip(&sheet_names)
        .map(|(p, n)| (p, n.clone(), code_of(plan, p)))
        .collect();
    let mut sheets = super::streamed::SheetSource::new(&mut wb, opts);
    project_sheet::add_all(&mut wb, &mut sheets, plan, &items, &st, opts)?;
    let mac = match &opts.received {
        // A submission: the hidden sheet stays what was received, verbatim.
        Some(r) => super::copy_meta_sheet(&mut wb, &mut sheets, r)?,
        None => {
            let written: Vec<(&crate::model::Project, String)> = subset
                .projects
                .iter()
                .zip(sheet_names.iter().cloned())
                .collect();
            let meta = ExportMeta {
                version: FORMAT_VERSION,
                export_id: export_id.clone(),
                kind: ExportKind::Department,
                exported_at: at.to_rfc3339(),
                department: Some(DepartmentRef {
                    unit_id: unit.id.clone(),
                    name: unit.name.clone(),
                }),
                plan: subset.info.clone(),
                org_units: subset.org_units.clone(),
                policies: subset.policies.clone(),
                measures: subset.measures.clone(),
                projects: base_projects(&written, opts),
                round: opts.round.clone(),
                progress_scale: Some(opts.progress_scale.clone().unwrap_or_default()),
                members: opts.members.clone(),
                locked_actuals_through: opts.locked_actuals_through,
                sealed: None,
            };
            write_meta_sheet(&mut wb, &mut sheets, &meta, std::iter::empty(), opts)?
        }
    };
    super::via::write_via_sheet(&mut wb, &opts.via)?;
    let mut sheets = vec![COVER_SHEET.to_string()];
    sheets.extend(sheet_names.iter().cloned());
    let summary = ExportSummary {
        path: _path.to_path_buf(),
        kind: ExportKind::Department,
        export_id,
        projects: subset
            .projects
            .iter()
            .map(|p| p.id.clone())
            .zip(sheet_names)
            .collect(),
        sheets,
        mac,
    };
    Ok((wb, summary))
}

/// Label of the cover row that lists the department's DX推進員.
pub const PROMOTERS_LABEL: &str = "DX推進員";

/// 「山田 太郎（内線1234）」 per line; people of units below the department with their unit.
fn promoters_text(unit: &OrgUnit, opts: &ExportOptions) -> String {
    if opts.roster.is_empty() {
        return "（未登録）".into();
    }
    opts.roster
        .iter()
        .map(|(u, p)| {
            let who = if p.contact.is_empty() {
                p.name.clone()
            } else {
                format!("{}（{}）", p.name, p.contact)
            };
            if *u == unit.name {
                who
            } else {
                format!("{u}：{who}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[allow(clippy::too_many_arguments)]
fn write_cover(
    wb: &mut Workbook,
    plan: &crate::model::Plan,
    unit: &OrgUnit,
    subset: &crate::model::Plan,
    sheet_names: &[String],
    at: &chrono::DateTime<chrono::FixedOffset>,
    opts: &ExportOptions,
    st: &Styles,
) -> Result<(), BuildError> {
    let ws = wb.add_worksheet();
    ws.set_name(COVER_SHEET)?;
    ws.set_column_width(0, 26)?;
    ws.set_column_width(1, 90)?;
    ws.set_column_width(2, 10)?;
    ws.set_column_hidden(2)?;
    let mut w = Cells {
        ws,
        sheet: COVER_SHEET.to_string(),
    };
    let mut r = 0;
    let title = format!("{}　事業シート（照会）", plan.info.title);
    w.merged(r, 0, 1, &title, &st.title)?;
    w.height(r, 28.0)?;
    r += 2;
    let plan_line = [
        plan.info.city.as_str(),
        plan.info.title.as_str(),
        plan.info.version.as_str(),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join("　");
    let mut rows: Vec<(&str, String)> = vec![("計画", plan_line)];
    if let Some(round) = &opts.round {
        rows.push(("照会", round.title.clone()));
    }
    rows.push(("担当課", unit.name.clone()));
    if !opts.members.is_empty() {
        let names: Vec<&str> = opts.members.iter().map(|m| m.name.as_str()).collect();
        rows.push((
            "取りまとめ",
            format!(
                "{}の回答をこのブックに取りまとめて（dxplan の「部の取りまとめ」で統合し）提出してください",
                names.join("、")
            ),
        ));
    }
    if let Some(fy) = opts.fiscal_year {
        rows.push(("年度", crate::parse::fiscal_year::format_both(fy)));
    }
    rows.push((PROMOTERS_LABEL, promoters_text(unit, opts)));
    rows.push(("書き出し日", japanese_date(at)));
    rows.push(("事業数", format!("{} 件", subset.projects.len())));
    for (lbl, v) in rows {
        w.text(r, 0, lbl, &st.label)?;
        w.text(r, 1, &v, &st.locked_text)?;
        w.height(r, style::row_height(&[(&v, 90.0)]).max(20.0))?;
        r += 1;
    }
    for (key, lbl) in COVER_FIELDS {
        let answer = opts.cover_answer.as_ref();
        let v = match key {
            "deadline" => opts.deadline.clone().unwrap_or_default(),
            "respondent" => answer.map(|a| a.respondent.clone()).unwrap_or_default(),
            "contact" => answer.map(|a| a.contact.clone()).unwrap_or_default(),
            "remarks" => answer.map(|a| a.remarks.clone()).unwrap_or_default(),
            _ => String::new(),
        };
        w.text(r, 0, lbl, &st.label)?;
        w.text(r, 1, &v, &st.input_text)?;
        if let Some(max) = cover_max_chars(key) {
            let limit = DataValidation::new()
                .allow_text_length(DataValidationRule::LessThanOrEqualTo(max))
                .set_input_title(lbl)?
                .set_error_message(format!(
                    "{max} 文字以内で入力してください / at most {max} characters"
                ))?;
            w.ws.add_data_validation(r, 1, r, 1, &limit)?;
        }
        w.height(r, if key == "remarks" { 60.0 } else { 20.0 })?;
        w.key(
            r,
            2,
            &RowKey::Cover {
                field: key.to_string(),
            },
            &st.key,
        )?;
        r += 1;
    }
    r += 1;
    for (i, line) in super::department::INSTRUCTIONS.iter().enumerate() {
        let f = if i == 0 { &st.subtitle } else { &st.note };
        w.merged(r, 0, 1, line, f)?;
        w.height(r, style::row_height(&[(line, 116.0)]))?;
        r += 1;
    }
    r += 1;
    w.merged(r, 0, 1, "事業シートの一覧（クリックで移動）", &st.subtitle)?;
    r += 1;
    for (p, name) in subset.projects.iter().zip(sheet_names) {
        w.text(r, 0, &code_of(plan, p), &st.cell)?;
        let url = Url::new(format!("internal:{}!A1", quote_sheet(name))).set_text(p.title.clone());
        w.ws.write_url_with_format(r, 1, url, &st.link)?;
        r += 1;
    }
    let ws = w.ws;
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_area(0, 0, r.max(1) - 1, 1)?;
    ws.set_active(true);
    Ok(())
}
