//! `round remind`: the 督促 list — every department of a round that has not answered, whom to
//! ask (the DX推進員 of the round's year, else who answered last time), how late it is, and a
//! draft message in polite Japanese to send by mail or read on the phone. Written as .xlsx
//! (A4 landscape, for the desk) or .csv (UTF-8 with BOM, CRLF: Excel on Windows opens it).

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::status::{AnswerState, RoundStatus};
use super::{japanese_date, RoundError};

/// One line of the 督促 list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Reminder {
    /// The department's name.
    pub department: String,
    /// Its 部, when it has one.
    pub parent: Option<String>,
    /// A 課 whose answer its 部 gathers: that 部 (the 課 may have answered it already).
    pub reviewed_by: Option<String>,
    /// The deadline, as people read it.
    pub deadline: String,
    /// Days after the deadline (0: not late yet).
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub days_late: i64,
    /// Who to ask (the DX推進員, else the last respondent).
    pub name: String,
    /// How to reach them.
    pub contact: String,
    /// 「名簿」 (roster of the round's year) or 「前回の回答」 (who answered last time).
    pub contact_source: String,
    /// The workbook the department was sent.
    pub workbook: String,
    /// The draft message.
    pub message: String,
}

pub const HEADERS: [&str; 10] = [
    "課",
    "部",
    "取りまとめ",
    "提出期限",
    "遅延日数",
    "担当者",
    "連絡先",
    "連絡先の出典",
    "送付したファイル",
    "督促文（案）",
];

impl Reminder {
    /// The cells of its row in the written list.
    pub fn cells(&self) -> [String; 10] {
        [
            self.department.clone(),
            self.parent.clone().unwrap_or_default(),
            self.reviewed_by.clone().unwrap_or_default(),
            self.deadline.clone(),
            self.days_late.to_string(),
            self.name.clone(),
            self.contact.clone(),
            self.contact_source.clone(),
            self.workbook.clone(),
            self.message.clone(),
        ]
    }
}

fn file_name(path: &str) -> String {
    // A path written on Windows or elsewhere: the last component either way.
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

/// The draft 督促 to one department.
pub fn draft(
    department: &str,
    name: &str,
    title: &str,
    deadline: NaiveDate,
    days_late: i64,
    workbook: &str,
    reviewed_by: Option<&str>,
) -> String {
    let to = if name.is_empty() {
        format!("{department}　DX推進員　ご担当者様")
    } else {
        format!("{department}　DX推進員　{name}様")
    };
    let due = japanese_date(deadline);
    let ask = if days_late > 0 {
        format!(
            "「{title}」につきまして、提出期限の{due}を{days_late}日過ぎておりますが、まだご回答をいただいておりません。\nご多忙のところ誠に恐れ入りますが、お送りしたファイル「{workbook}」にご記入のうえ、至急ご返送くださいますようお願いいたします。"
        )
    } else {
        format!(
            "「{title}」につきまして、提出期限は{due}となっております。\nお送りしたファイル「{workbook}」にご記入のうえ、期限までにご返送くださいますようお願いいたします。"
        )
    };
    let via = reviewed_by
        .map(|b| format!("\nなお、今回の照会は{b}で取りまとめのうえご提出いただくことになっております。{b}へお送り済みの場合は、{b}にもご確認いただけますと幸いです。"))
        .unwrap_or_default();
    format!(
        "{to}\n\nいつもお世話になっております。DX推進担当です。\n{ask}{via}\nすでにご返送いただいている場合は、行き違いとなりましたことをご容赦ください。\n\nDX推進担当"
    )
}

/// The departments of a round still to answer, latest first (then in round order).
pub fn reminders(status: &RoundStatus) -> Result<Vec<Reminder>, RoundError> {
    let round = &status.round.round;
    let deadline = super::parse_deadline(&round.deadline)?;
    let mut out: Vec<Reminder> = status
        .departments
        .iter()
        .filter(|d| d.state == AnswerState::Outstanding)
        .map(|d| {
            let days_late = d.days_late.unwrap_or(0);
            let (name, contact, source) = match &d.contact {
                Some(c) if c.source == "roster" => (c.name.clone(), c.contact.clone(), "名簿"),
                Some(c) => (c.name.clone(), c.contact.clone(), "前回の回答"),
                None => (String::new(), String::new(), "不明"),
            };
            let workbook = file_name(&d.file);
            Reminder {
                message: draft(
                    &d.department,
                    &name,
                    &round.title,
                    deadline,
                    days_late,
                    &workbook,
                    d.reviewed_by.as_deref(),
                ),
                department: d.department.clone(),
                parent: d.parent.clone(),
                reviewed_by: d.reviewed_by.clone(),
                deadline: japanese_date(deadline),
                days_late,
                name,
                contact,
                contact_source: source.into(),
                workbook,
            }
        })
        .collect();
    out.sort_by_key(|r| std::cmp::Reverse(r.days_late));
    Ok(out)
}

/// Writes the list as .xlsx or .csv (by the extension), replacing `path` whole or not at all.
pub fn write_reminders(lines: &[Reminder], title: &str, path: &Path) -> Result<(), RoundError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv") => write_csv(lines, path),
        Some("xlsx") => write_xlsx(lines, title, path),
        _ => Err(RoundError::Invalid(format!(
            "「{}」: 督促の一覧は .xlsx か .csv で書き出します / write the list as .xlsx or .csv",
            path.display()
        ))),
    }
}

fn write_csv(lines: &[Reminder], path: &Path) -> Result<(), RoundError> {
    let io = |source| RoundError::Io {
        file: path.to_path_buf(),
        source,
    };
    let mut buf: Vec<u8> = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut buf);
        let csv_err = |e: csv::Error| io(std::io::Error::other(e.to_string()));
        w.write_record(HEADERS).map_err(csv_err)?;
        for l in lines {
            // Line breaks inside the message as Windows writes them.
            let cells = l.cells().map(|c| c.replace('\n', "\r\n"));
            w.write_record(&cells).map_err(csv_err)?;
        }
        w.flush().map_err(io)?;
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let tmp = dir.join(format!(".remind.{}.tmp", uuid::Uuid::new_v4().simple()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&buf)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

fn write_xlsx(lines: &[Reminder], title: &str, path: &Path) -> Result<(), RoundError> {
    use crate::export::style::Styles;
    let xlsx = |source| {
        RoundError::Export(crate::export::ExportError::Xlsx {
            file: path.to_path_buf(),
            source,
        })
    };
    let st = Styles::new();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    (|| -> Result<(), rust_xlsxwriter::XlsxError> {
        ws.set_name("督促")?;
        let widths = [16.0, 14.0, 12.0, 18.0, 8.0, 14.0, 24.0, 10.0, 30.0, 70.0];
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        ws.merge_range(
            0,
            0,
            0,
            9,
            &format!("{title}　未回答の課（督促）"),
            &st.title,
        )?;
        ws.set_row_height(0, 24.0)?;
        for (c, h) in HEADERS.iter().enumerate() {
            ws.write_string_with_format(1, c as u16, *h, &st.header)?;
        }
        for (i, l) in lines.iter().enumerate() {
            let r = i as u32 + 2;
            for (c, text) in l.cells().iter().enumerate() {
                if c == 4 {
                    ws.write_number_with_format(r, 4, l.days_late as f64, &st.number)?;
                } else {
                    ws.write_string_with_format(r, c as u16, text, &st.cell_wrap)?;
                }
            }
            ws.set_row_height(r, 150.0)?;
        }
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 1)?;
        ws.set_freeze_panes(2, 1)?;
        Ok(())
    })()
    .map_err(xlsx)?;
    crate::export::save(wb, path, &crate::export::ExportOptions::default())?;
    Ok(())
}
