//! The plan's outline as the office edits it: a new plan file, and policies (基本方針), measures
//! (施策) and projects (個別事業) added, renamed, deleted and moved. Display codes (Ⅰ-1-①) come
//! from positions, so a move renumbers the siblings 1…n. Each call is one logged transaction;
//! a deleted project is kept whole in the change log.

use std::path::Path;

use crate::model::{new_id, Measure, PlanInfo, Policy, Priority, Project};
use crate::parse::fiscal_year::parse_fiscal_year_range;
use crate::store::{OpInfo, OpKind, Store, StoreError};

/// Why a change of the outline was refused.
#[derive(Debug, thiserror::Error)]
pub enum StructureError {
    /// A plan, policy or measure without a title.
    #[error("{what}の名前を入力してください / the {what_en} needs a title")]
    EmptyTitle {
        /// What was given no title (Japanese).
        what: &'static str,
        /// The same in English.
        what_en: &'static str,
    },
    /// A plan period that reads as no range of fiscal years.
    #[error("計画期間「{given}」を読めません（例: 2024-2027、R6～R9、令和6年度～令和9年度）/ cannot read the period {given}")]
    BadPeriod {
        /// The period as typed.
        given: String,
    },
    /// No item with that id.
    #[error("{what}が見つかりません（ID {id}）/ {what_en} {id} not found")]
    NotFound {
        /// What kind of item (Japanese).
        what: &'static str,
        /// The same in English.
        what_en: &'static str,
        /// The id asked for.
        id: String,
    },
    /// A policy with measures, or a measure with projects, cannot be deleted.
    #[error("{what}「{title}」の下に{below}があるため削除できません。先に移すか削除してください / {what_en} {title} is not empty")]
    NotEmpty {
        /// What kind of item (Japanese).
        what: &'static str,
        /// The same in English.
        what_en: &'static str,
        /// Its title.
        title: String,
        /// What is below it (「施策」, 「事業」).
        below: String,
    },
    /// The plan file could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

type Result<T> = std::result::Result<T, StructureError>;

/// What a new plan is given on the 「新しい計画」 form.
#[derive(Debug, Clone, Default)]
pub struct NewPlan {
    /// The plan's title.
    pub title: String,
    /// The municipality.
    pub city: String,
    /// 「2024-2027」, 「R6～R9」, 「令和6年度～令和9年度」.
    pub period: String,
    /// 版 label (「第1.0版」).
    pub version: String,
}

/// Creates an empty plan file at `path` (refused when a file is there).
pub fn new_plan(path: &Path, given: &NewPlan) -> Result<Store> {
    let title = given.title.trim();
    if title.is_empty() {
        return Err(StructureError::EmptyTitle {
            what: "計画",
            what_en: "plan",
        });
    }
    let (first_fy, last_fy) =
        parse_fiscal_year_range(&given.period).map_err(|_| StructureError::BadPeriod {
            given: given.period.trim().to_string(),
        })?;
    let info = PlanInfo {
        id: new_id(),
        title: title.to_string(),
        city: given.city.trim().to_string(),
        version: given.version.trim().to_string(),
        first_fy,
        last_fy,
        vision: String::new(),
    };
    Ok(Store::create(path, &info)?)
}

fn edit(summary: String) -> OpInfo {
    let mut op = OpInfo::new(OpKind::LocalEdit).source("dxplan-app");
    op.summary = summary;
    op
}

fn title_of(given: &str, what: &'static str, what_en: &'static str) -> Result<String> {
    let t = given.trim();
    if t.is_empty() {
        return Err(StructureError::EmptyTitle { what, what_en });
    }
    Ok(t.to_string())
}

fn policy(store: &Store, id: &str) -> Result<Policy> {
    store
        .load_plan()?
        .policies
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| StructureError::NotFound {
            what: "基本方針",
            what_en: "policy",
            id: id.to_string(),
        })
}

fn measure(store: &Store, id: &str) -> Result<Measure> {
    store
        .load_plan()?
        .measures
        .into_iter()
        .find(|m| m.id == id)
        .ok_or_else(|| StructureError::NotFound {
            what: "施策",
            what_en: "measure",
            id: id.to_string(),
        })
}

/// A new 基本方針 after the last one.
pub fn add_policy(store: &mut Store, title: &str) -> Result<Policy> {
    let title = title_of(title, "基本方針", "policy")?;
    let plan = store.load_plan()?;
    let p = Policy {
        id: new_id(),
        position: plan.policies.iter().map(|p| p.position).max().unwrap_or(0) + 1,
        title,
        description: String::new(),
    };
    store.write(
        edit(format!("基本方針「{}」を追加", p.title)),
        |w| w.put_policy(&p),
    )?;
    Ok(p)
}

/// A new 施策 after the last one of its policy.
pub fn add_measure(store: &mut Store, policy_id: &str, title: &str) -> Result<Measure> {
    let title = title_of(title, "施策", "measure")?;
    policy(store, policy_id)?;
    let plan = store.load_plan()?;
    let m = Measure {
        id: new_id(),
        policy_id: policy_id.to_string(),
        position: plan
            .measures
            .iter()
            .filter(|m| m.policy_id == policy_id)
            .map(|m| m.position)
            .max()
            .unwrap_or(0)
            + 1,
        title,
        description: String::new(),
        priority: Priority::default(),
    };
    store.write(edit(format!("施策「{}」を追加", m.title)), |w| {
        w.put_measure(&m)
    })?;
    Ok(m)
}

/// Renames a policy (a blank title is refused).
pub fn rename_policy(store: &mut Store, id: &str, title: &str) -> Result<()> {
    let title = title_of(title, "基本方針", "policy")?;
    let mut p = policy(store, id)?;
    p.title = title;
    store.write(
        edit(format!("基本方針「{}」の名前を変更", p.title)),
        |w| w.put_policy(&p),
    )?;
    Ok(())
}

/// Renames a measure (a blank title is refused).
pub fn rename_measure(store: &mut Store, id: &str, title: &str) -> Result<()> {
    let title = title_of(title, "施策", "measure")?;
    let mut m = measure(store, id)?;
    m.title = title;
    store.write(
        edit(format!("施策「{}」の名前を変更", m.title)),
        |w| w.put_measure(&m),
    )?;
    Ok(())
}

/// Deletes an empty 基本方針 (one without measures).
pub fn delete_policy(store: &mut Store, id: &str) -> Result<()> {
    let p = policy(store, id)?;
    let plan = store.load_plan()?;
    let below = plan.measures.iter().filter(|m| m.policy_id == id).count();
    if below > 0 {
        return Err(StructureError::NotEmpty {
            what: "基本方針",
            what_en: "policy",
            title: p.title,
            below: format!("施策が {below} 件"),
        });
    }
    store.write(
        edit(format!("基本方針「{}」を削除", p.title)),
        |w| w.delete_created("policy", id).map(|_| ()),
    )?;
    renumber_policies(store)?;
    Ok(())
}

/// Deletes an empty 施策 (no project is filed or listed under it).
pub fn delete_measure(store: &mut Store, id: &str) -> Result<()> {
    let m = measure(store, id)?;
    let plan = store.load_plan()?;
    let below = plan
        .projects
        .iter()
        .filter(|p| p.measure_ids.iter().any(|x| x == id))
        .count();
    if below > 0 {
        return Err(StructureError::NotEmpty {
            what: "施策",
            what_en: "measure",
            title: m.title,
            below: format!("事業が {below} 件"),
        });
    }
    store.write(edit(format!("施策「{}」を削除", m.title)), |w| {
        w.delete_created("measure", id).map(|_| ())
    })?;
    renumber_measures(store, &m.policy_id)?;
    Ok(())
}

/// Deletes a project; the whole project stays in the change log (「事業を削除」), and the
/// projects after it in its measure are renumbered.
pub fn delete_project(store: &mut Store, id: &str) -> Result<Project> {
    let p = store
        .load_project(id)?
        .ok_or_else(|| StructureError::NotFound {
            what: "事業",
            what_en: "project",
            id: id.to_string(),
        })?;
    store.write(edit(format!("事業「{}」を削除", p.title)), |w| {
        w.delete_project(id)
    })?;
    if let Some(m) = p.measure_ids.first() {
        renumber_projects(store, m, None)?;
    }
    Ok(p)
}

/// The new order of `ids` when `id` moves `delta` places (clamped to the ends).
fn moved(mut ids: Vec<String>, id: &str, delta: i32) -> Vec<String> {
    if let Some(i) = ids.iter().position(|x| x == id) {
        let to = (i as i64 + i64::from(delta)).clamp(0, ids.len() as i64 - 1) as usize;
        let item = ids.remove(i);
        ids.insert(to, item);
    }
    ids
}

fn renumber_policies(store: &mut Store) -> Result<()> {
    let plan = store.load_plan()?;
    let mut ps = plan.policies;
    ps.sort_by_key(|p| p.position);
    write_policy_order(store, ps.iter().map(|p| p.id.clone()).collect())
}

fn write_policy_order(store: &mut Store, order: Vec<String>) -> Result<()> {
    let plan = store.load_plan()?;
    let changed: Vec<Policy> = order
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let p = plan.policies.iter().find(|p| &p.id == id)?;
            (p.position != i as u32 + 1).then(|| Policy {
                position: i as u32 + 1,
                ..p.clone()
            })
        })
        .collect();
    if !changed.is_empty() {
        store.write(edit("基本方針の並べ替え".into()), |w| {
            changed.iter().try_for_each(|p| w.put_policy(p))
        })?;
    }
    Ok(())
}

fn renumber_measures(store: &mut Store, policy_id: &str) -> Result<()> {
    let plan = store.load_plan()?;
    let mut ms: Vec<&Measure> = plan
        .measures
        .iter()
        .filter(|m| m.policy_id == policy_id)
        .collect();
    ms.sort_by_key(|m| m.position);
    let order = ms.iter().map(|m| m.id.clone()).collect();
    write_measure_order(store, order)
}

fn write_measure_order(store: &mut Store, order: Vec<String>) -> Result<()> {
    let plan = store.load_plan()?;
    let changed: Vec<Measure> = order
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let m = plan.measures.iter().find(|m| &m.id == id)?;
            (m.position != i as u32 + 1).then(|| Measure {
                position: i as u32 + 1,
                ..m.clone()
            })
        })
        .collect();
    if !changed.is_empty() {
        store.write(edit("施策の並べ替え".into()), |w| {
            changed.iter().try_for_each(|m| w.put_measure(m))
        })?;
    }
    Ok(())
}

/// Renumbers the projects filed under a measure 1…n, `order` first when given.
fn renumber_projects(
    store: &mut Store,
    measure_id: &str,
    order: Option<Vec<String>>,
) -> Result<()> {
    let plan = store.load_plan()?;
    let mut ps: Vec<&Project> = plan
        .projects
        .iter()
        .filter(|p| p.measure_ids.first().map(String::as_str) == Some(measure_id))
        .collect();
    ps.sort_by_key(|p| p.position);
    let order = order.unwrap_or_else(|| ps.iter().map(|p| p.id.clone()).collect());
    let changed: Vec<Project> = order
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let p = ps.iter().find(|p| &p.id == id)?;
            (p.position != i as u32 + 1).then(|| Project {
                position: i as u32 + 1,
                ..(*p).clone()
            })
        })
        .collect();
    if !changed.is_empty() {
        store.write(edit("事業の並べ替え".into()), |w| {
            changed
                .iter()
                .try_for_each(|p| w.save_project(p).map(|_| ()))
        })?;
    }
    Ok(())
}

/// What `move_item` moves. Named 「OutlineKind」 on the wire (the app's TypeScript, where
/// `ItemKind` is the 新旧対照表's `compare::ItemKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename = "OutlineKind", rename_all = "snake_case")]
pub enum ItemKind {
    /// A policy (基本方針).
    Policy,
    /// A measure (施策).
    Measure,
    /// A project (個別事業).
    Project,
}

/// Moves a policy, a measure (within its policy) or a project (within its measure) `delta`
/// places up (negative) or down, renumbering its siblings 1…n.
pub fn move_item(store: &mut Store, kind: ItemKind, id: &str, delta: i32) -> Result<()> {
    let plan = store.load_plan()?;
    match kind {
        ItemKind::Policy => {
            policy(store, id)?;
            let mut ps = plan.policies.clone();
            ps.sort_by_key(|p| p.position);
            let order = moved(ps.into_iter().map(|p| p.id).collect(), id, delta);
            write_policy_order(store, order)
        }
        ItemKind::Measure => {
            let m = measure(store, id)?;
            let mut ms: Vec<&Measure> = plan
                .measures
                .iter()
                .filter(|x| x.policy_id == m.policy_id)
                .collect();
            ms.sort_by_key(|m| m.position);
            let order = moved(ms.iter().map(|m| m.id.clone()).collect(), id, delta);
            write_measure_order(store, order)
        }
        ItemKind::Project => {
            let p = plan.projects.iter().find(|p| p.id == id).ok_or_else(|| {
                StructureError::NotFound {
                    what: "事業",
                    what_en: "project",
                    id: id.to_string(),
                }
            })?;
            let Some(measure_id) = p.measure_ids.first().cloned() else {
                return Ok(());
            };
            let mut ps: Vec<&Project> = plan
                .projects
                .iter()
                .filter(|q| q.measure_ids.first() == Some(&measure_id))
                .collect();
            ps.sort_by_key(|p| p.position);
            let order = moved(ps.iter().map(|p| p.id.clone()).collect(), id, delta);
            renumber_projects(store, &measure_id, Some(order))
        }
    }
}

/// Moves a 施策 to the end of another 基本方針 with its projects, renumbering the measures
/// left behind; one logged transaction (display codes follow: Ⅰ-2 becomes Ⅱ-3).
pub fn move_measure_to_policy(store: &mut Store, measure_id: &str, policy_id: &str) -> Result<()> {
    let m = measure(store, measure_id)?;
    let target = policy(store, policy_id)?;
    if m.policy_id == policy_id {
        return Ok(());
    }
    let plan = store.load_plan()?;
    let siblings = |pid: &str| {
        let mut v: Vec<&Measure> = plan
            .measures
            .iter()
            .filter(|x| x.policy_id == pid && x.id != measure_id)
            .collect();
        v.sort_by_key(|x| x.position);
        v
    };
    let mut changed: Vec<Measure> = siblings(&m.policy_id)
        .into_iter()
        .enumerate()
        .filter(|(i, x)| x.position != *i as u32 + 1)
        .map(|(i, x)| Measure {
            position: i as u32 + 1,
            ..x.clone()
        })
        .collect();
    changed.push(Measure {
        policy_id: policy_id.to_string(),
        position: siblings(policy_id).len() as u32 + 1,
        ..m.clone()
    });
    store.write(
        edit(format!(
            "施策「{}」を基本方針「{}」へ移動",
            m.title, target.title
        )),
        |w| changed.iter().try_for_each(|x| w.put_measure(x)),
    )?;
    Ok(())
}

/// Files several projects under another 施策 (their primary measure), after its projects in
/// the order given, and renumbers the measures they left; one logged transaction. A project
/// already listed under the target as a co-measure keeps it once, as its primary.
pub fn move_projects_to_measure(
    store: &mut Store,
    project_ids: &[String],
    measure_id: &str,
) -> Result<usize> {
    let target = measure(store, measure_id)?;
    let plan = store.load_plan()?;
    let mut moving: Vec<&Project> = Vec::new();
    for id in project_ids {
        let p =
            plan.projects
                .iter()
                .find(|p| &p.id == id)
                .ok_or_else(|| StructureError::NotFound {
                    what: "事業",
                    what_en: "project",
                    id: id.clone(),
                })?;
        if p.measure_ids.first().map(String::as_str) != Some(measure_id)
            && !moving.iter().any(|q| q.id == p.id)
        {
            moving.push(p);
        }
    }
    if moving.is_empty() {
        return Ok(0);
    }
    let is_moving = |id: &str| moving.iter().any(|p| p.id == id);
    let primary = |p: &Project| p.measure_ids.first().cloned();
    // the measures left behind, renumbered without the moved projects
    let mut left: Vec<String> = moving.iter().filter_map(|p| primary(p)).collect();
    left.sort();
    left.dedup();
    let mut changed: Vec<Project> = Vec::new();
    for m in &left {
        let mut rest: Vec<&Project> = plan
            .projects
            .iter()
            .filter(|p| primary(p).as_deref() == Some(m.as_str()) && !is_moving(&p.id))
            .collect();
        rest.sort_by_key(|p| p.position);
        for (i, p) in rest.into_iter().enumerate() {
            if p.position != i as u32 + 1 {
                changed.push(Project {
                    position: i as u32 + 1,
                    ..p.clone()
                });
            }
        }
    }
    let last = plan
        .projects
        .iter()
        .filter(|p| primary(p).as_deref() == Some(measure_id))
        .map(|p| p.position)
        .max()
        .unwrap_or(0);
    for (i, p) in moving.iter().enumerate() {
        let mut q = (*p).clone();
        q.measure_ids.retain(|m| m != measure_id);
        match q.measure_ids.first_mut() {
            Some(first) => *first = measure_id.to_string(),
            None => q.measure_ids.push(measure_id.to_string()),
        }
        q.position = last + i as u32 + 1;
        changed.push(q);
    }
    let n = moving.len();
    store.write(
        edit(format!("事業 {n} 件を施策「{}」へ移動", target.title)),
        |w| {
            changed
                .iter()
                .try_for_each(|p| w.save_project(p).map(|_| ()))
        },
    )?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(dir: &Path) -> Store {
        new_plan(
            &dir.join("p.dxplan"),
            &NewPlan {
                title: "テスト市DX推進計画".into(),
                city: "テスト市".into(),
                period: "R6～R9".into(),
                version: "第1.0版".into(),
            },
        )
        .unwrap()
    }

    #[test]
    fn a_new_plan_reads_its_period_in_any_notation() {
        let dir = tempfile::tempdir().unwrap();
        let s = new(dir.path());
        let info = s.plan_info().unwrap();
        assert_eq!((info.first_fy, info.last_fy), (2024, 2027));
        let bad = new_plan(
            &dir.path().join("q.dxplan"),
            &NewPlan {
                title: "x".into(),
                period: "いつか".into(),
                ..Default::default()
            },
        );
        assert!(matches!(bad, Err(StructureError::BadPeriod { .. })));
    }

    #[test]
    fn outline_items_are_added_moved_renumbered_and_deleted_when_empty() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = new(dir.path());
        let a = add_policy(&mut s, "行政のデジタル化").unwrap();
        let b = add_policy(&mut s, "地域社会のデジタル化").unwrap();
        assert_eq!((a.position, b.position), (1, 2));
        move_item(&mut s, ItemKind::Policy, &b.id, -1).unwrap();
        let plan = s.load_plan().unwrap();
        let pos = |id: &str| plan.policies.iter().find(|p| p.id == id).unwrap().position;
        assert_eq!((pos(&b.id), pos(&a.id)), (1, 2));

        let m = add_measure(&mut s, &a.id, "手続のオンライン化").unwrap();
        let mut ids = Vec::new();
        for t in ["一", "二", "三"] {
            let mut p = Project::new(&m.id, t);
            p.position = ids.len() as u32 + 1;
            s.write(OpInfo::new(OpKind::LocalEdit), |w| w.save_project(&p))
                .unwrap();
            ids.push(p.id);
        }
        // a policy with measures, a measure with projects: refused
        assert!(matches!(
            delete_policy(&mut s, &a.id),
            Err(StructureError::NotEmpty { .. })
        ));
        assert!(matches!(
            delete_measure(&mut s, &m.id),
            Err(StructureError::NotEmpty { .. })
        ));
        move_item(&mut s, ItemKind::Project, &ids[2], -2).unwrap();
        let order = |s: &Store| {
            let mut ps = s.load_plan().unwrap().projects;
            ps.sort_by_key(|p| p.position);
            ps.into_iter().map(|p| p.title).collect::<Vec<_>>()
        };
        assert_eq!(order(&s), ["三", "一", "二"]);
        // a deletion renumbers the rest and keeps the project in the log
        delete_project(&mut s, &ids[0]).unwrap();
        assert_eq!(order(&s), ["三", "二"]);
        let positions: Vec<u32> = {
            let mut v: Vec<u32> = s
                .load_plan()
                .unwrap()
                .projects
                .iter()
                .map(|p| p.position)
                .collect();
            v.sort();
            v
        };
        assert_eq!(positions, [1, 2]);
        let h = s.history(Some(&ids[0])).unwrap();
        assert!(h
            .iter()
            .any(|e| e.field == "(deleted)" && e.old_value.is_some()));

        rename_measure(&mut s, &m.id, "行政手続のオンライン化").unwrap();
        rename_policy(&mut s, &b.id, "暮らしのデジタル化").unwrap();
        let plan = s.load_plan().unwrap();
        assert_eq!(plan.measures[0].title, "行政手続のオンライン化");
        delete_policy(&mut s, &b.id).unwrap();
        let plan = s.load_plan().unwrap();
        assert_eq!(plan.policies.len(), 1);
        assert_eq!(plan.policies[0].position, 1, "renumbered");
    }
}
