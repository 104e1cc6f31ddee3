//! `dxplan roster`: each unit's DX推進員 per fiscal year, set on the command line
//! (`--set 課名="氏名 <連絡先>"`) or read from a table (課名 / 氏名 / 連絡先), one transaction.

use std::path::Path;

use serde::Serialize;

use super::table::{read_table, Column};
use super::OrgError;
use crate::model::{FiscalYear, OrgUnit};
use crate::parse::label::normalize_label;
use crate::store::roster::Promoter;
use crate::store::{OpInfo, OpKind, Store};

/// 「山田 太郎 <内線1234 yamada@city.example.jp>」 → name and contact (「＜＞」 too).
pub fn parse_person(s: &str) -> Promoter {
    match s.split_once(['<', '＜']) {
        Some((name, rest)) => Promoter {
            name: name.trim().to_string(),
            contact: rest.trim().trim_end_matches(['>', '＞']).trim().to_string(),
        },
        None => Promoter {
            name: s.trim().to_string(),
            contact: String::new(),
        },
    }
}

/// One unit's people as given, with where they were given.
#[derive(Debug, Clone)]
pub struct RosterInput {
    pub unit: String,
    pub people: Vec<Promoter>,
    pub at: String,
}

/// `課名="氏名 <連絡先>; 氏名2 <連絡先2>"`; nothing after 「=」 clears the unit's roster.
pub fn set_arg(arg: &str) -> Result<RosterInput, OrgError> {
    let at = format!("--set {arg}");
    let (unit, people) = arg.split_once(['=', '＝']).ok_or_else(|| OrgError::Bad {
        at: at.clone(),
        message: "「課名=氏名 <連絡先>」の形で指定してください / write UNIT=\"NAME <CONTACT>\""
            .into(),
    })?;
    Ok(RosterInput {
        unit: unit.trim().to_string(),
        people: people
            .split([';', '；'])
            .map(parse_person)
            .filter(|p| !p.name.is_empty())
            .collect(),
        at,
    })
}

/// A roster table: 課名 / 氏名 / 連絡先, one row per person (a unit on several rows has several).
pub fn from_table(path: &Path) -> Result<Vec<RosterInput>, OrgError> {
    let t = read_table(
        path,
        &[
            Column {
                labels: &["課名", "組織", "組織名", "所属", "所属名", "課", "担当課"],
                required: true,
            },
            Column {
                labels: &[
                    "氏名",
                    "DX推進員",
                    "推進員",
                    "DX推進員氏名",
                    "担当者",
                    "担当者名",
                ],
                required: true,
            },
            Column {
                labels: &[
                    "連絡先",
                    "連絡先（内線・メール）",
                    "内線",
                    "電話",
                    "電話番号",
                    "メール",
                    "メールアドレス",
                ],
                required: false,
            },
        ],
    )?;
    let file = path.display().to_string();
    let mut out: Vec<RosterInput> = Vec::new();
    for row in t.rows {
        if row.cells[0].is_empty() {
            return Err(OrgError::Bad {
                at: format!("「{file}」{}", row.refs[0]),
                message: "課名がありません / no unit".into(),
            });
        }
        let person = Promoter {
            name: row.cells[1].clone(),
            contact: row.cells[2].clone(),
        };
        match out
            .iter_mut()
            .find(|x| normalize_label(&x.unit) == normalize_label(&row.cells[0]))
        {
            Some(x) => x.people.extend((!person.name.is_empty()).then_some(person)),
            None => out.push(RosterInput {
                unit: row.cells[0].clone(),
                people: (!person.name.is_empty())
                    .then_some(person)
                    .into_iter()
                    .collect(),
                at: format!("「{file}」{}", row.refs[0]),
            }),
        }
    }
    Ok(out)
}

/// The unit of that name valid in `fy`.
pub fn unit_in_year<'a>(units: &'a [OrgUnit], name: &str, fy: FiscalYear) -> Option<&'a OrgUnit> {
    let n = normalize_label(name);
    units
        .iter()
        .find(|u| u.valid_in(fy) && normalize_label(&u.name) == n)
}

#[derive(Debug, Clone, Serialize)]
pub struct RosterChange {
    pub unit: String,
    pub people: Vec<Promoter>,
    pub changed: bool,
}

/// Sets the roster of `fy` for each unit given (several inputs of one unit add up), in one
/// transaction. A unit not valid in `fy` stops everything, naming where it was given.
pub fn set(
    store: &mut Store,
    fy: FiscalYear,
    inputs: &[RosterInput],
    source: &str,
) -> Result<Vec<RosterChange>, OrgError> {
    let units = store.load_plan_of_units(&[])?.org_units;
    let mut merged: Vec<(&OrgUnit, Vec<Promoter>)> = Vec::new();
    for i in inputs {
        let u = unit_in_year(&units, &i.unit, fy).ok_or_else(|| OrgError::Bad {
            at: i.at.clone(),
            message: format!(
                "組織「{}」は {fy} 年度の計画にありません。指定できる組織: {} / no such unit in FY{fy}",
                i.unit,
                units
                    .iter()
                    .filter(|u| u.valid_in(fy))
                    .map(|u| u.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        })?;
        match merged.iter_mut().find(|(m, _)| m.id == u.id) {
            Some((_, people)) => people.extend(i.people.iter().cloned()),
            None => merged.push((u, i.people.clone())),
        }
    }
    let mut op = OpInfo::new(OpKind::Roster).source(source);
    op.summary = format!("{fy}年度 DX推進員");
    Ok(store.write(op, |w| {
        merged
            .iter()
            .map(|(u, people)| {
                Ok(RosterChange {
                    unit: u.name.clone(),
                    people: people.clone(),
                    changed: w.set_roster(&u.id, fy, people)?,
                })
            })
            .collect::<crate::store::Result<Vec<_>>>()
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_read_with_and_without_contact() {
        let p = parse_person(" 山田 太郎 <内線1234 yamada@city.example.jp> ");
        assert_eq!(p.name, "山田 太郎");
        assert_eq!(p.contact, "内線1234 yamada@city.example.jp");
        let q = parse_person("佐藤花子＜内線5678＞");
        assert_eq!(
            (q.name.as_str(), q.contact.as_str()),
            ("佐藤花子", "内線5678")
        );
        let r = set_arg("情報政策課=山田 <1>; 佐藤").unwrap();
        assert_eq!(r.unit, "情報政策課");
        assert_eq!(r.people.len(), 2);
        assert!(set_arg("情報政策課=").unwrap().people.is_empty());
        assert!(set_arg("情報政策課").is_err());
    }
}
