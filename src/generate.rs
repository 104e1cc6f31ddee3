//! Synthetic plans for benchmarks and scale tests: realistic shapes (policies → measures →
//! projects with owners, texts, KGI/KPI, schedule, budget), deterministic for a given seed.

use crate::model::*;

/// A small deterministic PRNG (SplitMix64): benches must compare like with like.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const UNITS: [&str; 12] = [
    "デジタル推進課",
    "総務課",
    "市民課",
    "税務課",
    "こども政策課",
    "高齢者支援課",
    "健康課",
    "学校教育課",
    "危機管理課",
    "都市計画課",
    "環境政策課",
    "中央図書館",
];
const VERBS: [&str; 8] = [
    "推進",
    "拡充",
    "導入",
    "刷新",
    "高度化",
    "デジタル化",
    "オンライン化",
    "効率化",
];
const NOUNS: [&str; 10] = [
    "窓口",
    "申請手続",
    "施設予約",
    "健康相談",
    "学校連絡",
    "防災情報",
    "文書管理",
    "会議運営",
    "図書サービス",
    "税証明",
];
const UNITS_OF_KPI: [&str; 5] = ["件", "手続", "%", "人", "時間/年"];

fn uid(rng: &mut Rng) -> Id {
    uuid::Builder::from_random_bytes({
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&rng.next().to_le_bytes());
        b[8..].copy_from_slice(&rng.next().to_le_bytes());
        b
    })
    .into_uuid()
    .to_string()
}

/// A synthetic plan of `projects` projects (benchmarks), the same for the same seed.
pub fn generate(projects: usize, seed: u64) -> Plan {
    let mut rng = Rng(seed);
    let (first_fy, last_fy) = (2024, 2028);
    let info = PlanInfo {
        id: uid(&mut rng),
        title: format!("合成DX推進計画（{projects}事業）"),
        city: "合成市".into(),
        version: "第1.0版".into(),
        first_fy,
        last_fy,
        vision: "誰もがデジタル化の恩恵を受けられるまち".into(),
    };
    let org_units: Vec<OrgUnit> = UNITS
        .iter()
        .map(|name| OrgUnit {
            id: uid(&mut rng),
            name: (*name).into(),
            parent_id: None,
            valid_from_fy: None,
            valid_to_fy: None,
        })
        .collect();
    let n_policies = 3;
    let n_measures = (projects / 12).clamp(1, 400);
    let policies: Vec<Policy> = (1..=n_policies)
        .map(|i| Policy {
            id: uid(&mut rng),
            position: i as u32,
            title: format!("基本方針{i}"),
            description: "合成データ".into(),
        })
        .collect();
    let measures: Vec<Measure> = (0..n_measures)
        .map(|i| Measure {
            id: uid(&mut rng),
            policy_id: policies[i % n_policies].id.clone(),
            position: (i / n_policies) as u32 + 1,
            title: format!("施策{}", i + 1),
            description: String::new(),
            priority: Priority {
                flag: PriorityFlag::None,
                urgency: Some(rng.below(101) as u8),
                importance: Some(rng.below(101) as u8),
            },
        })
        .collect();
    let mut per_measure = vec![0u32; n_measures];
    let mut out = Vec::with_capacity(projects);
    for n in 0..projects {
        let mi = n % n_measures;
        per_measure[mi] += 1;
        let title = format!(
            "{}の{}（{}）",
            NOUNS[rng.below(NOUNS.len() as u64) as usize],
            VERBS[rng.below(VERBS.len() as u64) as usize],
            n + 1
        );
        let mut p = Project::new(&measures[mi].id, title);
        p.id = uid(&mut rng);
        p.position = per_measure[mi];
        let lead = rng.below(UNITS.len() as u64) as usize;
        p.owners.push(Owner {
            unit_id: org_units[lead].id.clone(),
            role: OwnerRole::Lead,
        });
        if rng.below(3) == 0 {
            let co = (lead + 1 + rng.below(UNITS.len() as u64 - 1) as usize) % UNITS.len();
            p.owners.push(Owner {
                unit_id: org_units[co].id.clone(),
                role: OwnerRole::Co,
            });
        }
        p.texts = Texts {
            issue: "紙と対面を前提とした手続が残り、市民と職員の負担になっている。".into(),
            purpose: "手続をデジタル化し、来庁不要で完結できるようにする。".into(),
            summary: format!(
                "{}を段階的に進める。対象業務を洗い出し、システムを導入して運用する。",
                p.title
            ),
            goal: "市民が時間と場所を選ばず行政サービスを受けられる状態".into(),
            effects: vec!["市民の利便性向上".into(), "職員の事務負担軽減".into()],
        };
        let unit = UNITS_OF_KPI[rng.below(UNITS_OF_KPI.len() as u64) as usize];
        let base = 10 + rng.below(500) as i64;
        let step = 1 + rng.below(50) as i64;
        let values: Vec<IndicatorValue> = (first_fy..=last_fy)
            .map(|fy| {
                let k = (fy - first_fy) as i64;
                let target = base + step * k;
                let actual =
                    (fy < first_fy + 2).then(|| target - rng.below(step as u64 + 1) as i64);
                let v = |x: i64| Value {
                    text: format!("{x}{unit}"),
                    number: Some(x as f64),
                    unit: Some(unit.into()),
                    denominator: None,
                    qualifier: None,
                    markers: vec![],
                };
                IndicatorValue {
                    fiscal_year: fy,
                    target: Some(v(target)),
                    actual: actual.map(v),
                }
            })
            .collect();
        let last_target = values.last().and_then(|v| v.target.clone());
        p.indicators.push(Indicator {
            id: uid(&mut rng),
            kind: IndicatorKind::KGI,
            name: "達成件数（累計）".into(),
            unit: Some(unit.into()),
            cumulative: true,
            values: vec![IndicatorValue {
                fiscal_year: last_fy,
                target: last_target,
                actual: None,
            }],
        });
        p.indicators.push(Indicator {
            id: uid(&mut rng),
            kind: IndicatorKind::KPI,
            name: "達成件数（累計）".into(),
            unit: Some(unit.into()),
            cumulative: true,
            values,
        });
        for (t, name) in ["検討", "構築", "運用"].iter().enumerate() {
            let start = first_fy + t as i32;
            p.schedule.push(Task {
                id: uid(&mut rng),
                name: format!("{}の{name}", p.title),
                start_fy: start,
                end_fy: if t == 2 { last_fy } else { start },
                phases: [(start, (*name).to_string())].into_iter().collect(),
                confirmed: true,
            });
        }
        p.budget = (first_fy..=last_fy)
            .map(|fy| {
                let planned = (rng.below(4) != 0).then(|| (rng.below(200) as i64 + 1) * 500);
                BudgetYear {
                    fiscal_year: fy,
                    planned_thousand_yen: planned,
                    general_revenue_thousand_yen: planned.map(|x| x / 2),
                }
            })
            .collect();
        out.push(p);
    }
    let mut plan = Plan {
        info,
        org_units,
        policies,
        measures,
        projects: out,
        rollups: Vec::new(),
    };
    plan.sort_canonical();
    plan
}
