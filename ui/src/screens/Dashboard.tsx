// Dashboard: budget per 基本方針 × 年度 (chart and table, from report::totals::budget_by_policy),
// KPI achievement (目標 vs 実績), and the roadmap of every schedule.
import { useEffect, useMemo, useState } from "preact/hooks";
import { commands, run, type Dashboard, type PlanTree } from "../api";
import { currentFiscalYear, formatRate, formatSen, niceMax, seireki, wareki, warekiShort } from "../lib/format";

const COLORS = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0ea5e9"];

export function DashboardScreen(p: { tree: PlanTree; active: boolean; onOpenProject: (id: string) => void }) {
  const [d, setD] = useState<Dashboard | null>(null);
  const [tab, setTab] = useState<"budget" | "progress" | "kpi" | "roadmap">("budget");
  // recomputed whenever the plan changed and the screen is shown
  useEffect(() => {
    if (!p.active) return;
    (async () => setD((await run(commands.dashboard(), "集計できません")) ?? null))();
  }, [p.tree, p.active]);
  if (!d) return <section class="page">集計中…</section>;
  return (
    <section class="page dashboard" data-testid="dashboard">
      <div class="page-head">
        <h2>ダッシュボード</h2>
        <div class="segmented" role="tablist">
          <button role="tab" class={tab === "budget" ? "active" : ""} aria-selected={tab === "budget"} onClick={() => setTab("budget")} data-testid="dash-budget">事業費</button>
          <button role="tab" class={tab === "progress" ? "active" : ""} aria-selected={tab === "progress"} onClick={() => setTab("progress")} data-testid="dash-progress">進捗状況</button>
          <button role="tab" class={tab === "kpi" ? "active" : ""} aria-selected={tab === "kpi"} onClick={() => setTab("kpi")} data-testid="dash-kpi">KPI 達成状況</button>
          <button role="tab" class={tab === "roadmap" ? "active" : ""} aria-selected={tab === "roadmap"} onClick={() => setTab("roadmap")} data-testid="dash-roadmap">ロードマップ</button>
        </div>
      </div>
      {tab === "budget" && <BudgetView d={d} tree={p.tree} />}
      {tab === "progress" && <ProgressView d={d} tree={p.tree} />}
      {tab === "kpi" && <KpiView d={d} tree={p.tree} onOpen={p.onOpenProject} />}
      {tab === "roadmap" && <RoadmapView d={d} tree={p.tree} onOpen={p.onOpenProject} />}
    </section>
  );
}

function BudgetView({ d, tree }: { d: Dashboard; tree: PlanTree }) {
  const mode = tree.session.mode;
  const b = d.budget;
  const max = niceMax(Math.max(1, ...b.year_totals));
  const W = 640, H = 260, padL = 70, padB = 44, padT = 16;
  const colW = (W - padL - 10) / Math.max(1, b.fiscal_years.length);
  const scale = (v: number) => ((H - padB - padT) * v) / max;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => Math.round(max * t));
  return (
    <div class="card">
      <h3 data-testid="budget-heading">
        {mode.kind === "department" ? `${mode.unit_name}の作業用コピーにある事業の事業費（基本方針別・年度別、単位：千円）` : "基本方針別・年度別 事業費（単位：千円）"}
      </h3>
      {mode.kind === "department" && <p class="muted small">課別ブックに入っている事業（この課が担当・共同担当する事業）だけの合計です。計画全体の合計ではありません。</p>}
      <div class="chart-row">
        <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label="年度別事業費の積み上げ棒グラフ" data-testid="budget-chart">
          {ticks.map((t) => (
            <g>
              <line x1={padL} x2={W - 10} y1={H - padB - scale(t)} y2={H - padB - scale(t)} class="gridline" />
              <text x={padL - 6} y={H - padB - scale(t) + 4} text-anchor="end" class="axis">{formatSen(t)}</text>
            </g>
          ))}
          {b.fiscal_years.map((fy, i) => {
            let y = H - padB;
            const x = padL + i * colW + colW * 0.2;
            const w = colW * 0.6;
            return (
              <g>
                {b.rows.map((r, k) => {
                  const h = scale(r.amounts[i]);
                  y -= h;
                  return <rect x={x} y={y} width={w} height={h} fill={COLORS[k % COLORS.length]}><title>{`${r.code} ${fy.both}: ${formatSen(r.amounts[i])} 千円`}</title></rect>;
                })}
                <text x={x + w / 2} y={y - 4} text-anchor="middle" class="bar-value">{formatSen(b.year_totals[i])}</text>
                <text x={x + w / 2} y={H - padB + 16} text-anchor="middle" class="axis">{fy.seireki}</text>
                <text x={x + w / 2} y={H - padB + 32} text-anchor="middle" class="axis small">（{fy.wareki}）</text>
              </g>
            );
          })}
        </svg>
        <ul class="legend">
          {b.rows.map((r, k) => (
            <li><span class="swatch" style={{ background: COLORS[k % COLORS.length] }} />{r.code} {r.title}</li>
          ))}
        </ul>
      </div>
      <div class="table-wrap">
        <table class="grid totals" data-testid="budget-table">
          <thead>
            <tr>
              <th>基本方針</th>
              {b.fiscal_years.map((fy) => (
                <th class="fy"><div>{fy.seireki}</div><div class="wareki">（{fy.wareki}）</div></th>
              ))}
              <th>合計</th>
            </tr>
          </thead>
          <tbody>
            {b.rows.map((r) => (
              <tr data-testid="budget-row" data-policy={r.policy_id}>
                <th class="rowhead">{r.code} {r.title}</th>
                {r.amounts.map((a) => <td class="num">{formatSen(a)}</td>)}
                <td class="num total" data-testid="budget-row-total">{formatSen(r.total)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th>合計</th>
              {b.year_totals.map((a) => <td class="num total">{formatSen(a)}</td>)}
              <td class="num total grand" data-testid="budget-grand-total">{formatSen(b.grand_total)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}

/** Colours of the default 状況 scale; a plan's own words take the palette by position. */
const STATUS_COLORS: Record<string, string> = { 順調: "#10b981", 概ね順調: "#84cc16", 遅れ: "#ef4444", 未着手: "#9ca3af", 完了: "#2563eb" };
const statusColor = (name: string, i: number) => STATUS_COLORS[name] ?? COLORS[i % COLORS.length];

/** The year shown first: the latest year up to this one with a status written, else this year. */
function defaultProgressYear(d: Dashboard): number {
  const now = currentFiscalYear();
  const written = d.progress.filter((t) => t.fiscal_year.fy <= now && t.total.projects > t.total.no_status);
  if (written.length) return written[written.length - 1].fiscal_year.fy;
  const fys = d.progress.map((t) => t.fiscal_year.fy);
  return fys.includes(now) ? now : (fys[fys.length - 1] ?? now);
}

function ProgressView({ d, tree }: { d: Dashboard; tree: PlanTree }) {
  const mode = tree.session.mode;
  const [fy, setFy] = useState(() => defaultProgressYear(d));
  const t = d.progress.find((x) => x.fiscal_year.fy === fy) ?? d.progress[0];
  if (!t) return <div class="card"><p class="muted">計画期間がありません。</p></div>;
  const other = t.total.other_status > 0;
  const Bar = ({ r }: { r: (typeof t)["total"] }) => (
    <div class="status-bar" role="img" aria-label={`${r.code} ${t.statuses.map((n, i) => `${n} ${r.status[i]}`).join("、")}`}>
      {t.statuses.map((n, i) => r.status[i] > 0 && (
        <span style={{ flexGrow: r.status[i], background: statusColor(n, i) }} title={`${n} ${r.status[i]} 件`} />
      ))}
      {r.other_status > 0 && <span class="other" style={{ flexGrow: r.other_status }} title={`尺度にない状況 ${r.other_status} 件`} />}
      {r.no_status > 0 && <span class="none" style={{ flexGrow: r.no_status }} title={`未記入 ${r.no_status} 件`} />}
    </div>
  );
  const Row = ({ r, total }: { r: (typeof t)["total"]; total?: boolean }) => (
    <tr data-testid={total ? "progress-total" : "progress-row"} data-policy={r.policy_id ?? ""}>
      <th class="rowhead">{r.code} {r.title}</th>
      {r.status.map((n, i) => <td class="num" data-status={t.statuses[i]}>{n}</td>)}
      {other && <td class="num" data-status="その他">{r.other_status}</td>}
      <td class="num" data-status="未記入">{r.no_status}</td>
      <td class="num total">{r.projects}</td>
      <td class="bar-cell"><Bar r={r} /></td>
    </tr>
  );
  return (
    <div class="card" data-testid="progress-view">
      <div class="page-head">
        <h3 data-testid="progress-heading">
          {mode.kind === "department" ? `${mode.unit_name}の事業の進捗状況（基本方針別・事業数）` : "基本方針別 進捗状況（事業数）"}
        </h3>
        <div class="filter-bar">
          <select value={fy} aria-label="年度" onChange={(e) => setFy(Number(e.currentTarget.value))} data-testid="progress-fy">
            {d.progress.map((x) => <option value={x.fiscal_year.fy}>{x.fiscal_year.both}</option>)}
          </select>
        </div>
      </div>
      <p class="muted small">
        {mode.kind === "department"
          ? "課別ブックに入っている事業（この課が担当・共同担当する事業）だけを数えています。計画全体の集計ではありません。"
          : "各事業の「進捗状況」をその年度について数えます（照会の回答状況・全体ブックの「進捗集計」と同じ集計。提案中の事業は数えません）。"}
      </p>
      <ul class="legend legend-row small" data-testid="progress-legend">
        {t.statuses.map((n, i) => <li><span class="swatch" style={{ background: statusColor(n, i) }} />{n}</li>)}
        {other && <li><span class="swatch other" />尺度にない状況</li>}
        <li><span class="swatch none" />未記入</li>
      </ul>
      <div class="table-wrap">
        <table class="grid totals progress-counts" data-testid="progress-table">
          <thead>
            <tr>
              <th>基本方針</th>
              {t.statuses.map((n) => <th>{n}</th>)}
              {other && <th>その他</th>}
              <th>未記入</th>
              <th>事業数</th>
              <th class="bar-cell">内訳</th>
            </tr>
          </thead>
          <tbody>{t.rows.map((r) => <Row r={r} />)}</tbody>
          <tfoot><Row r={t.total} total /></tfoot>
        </table>
      </div>
    </div>
  );
}

function KpiView({ d, tree, onOpen }: { d: Dashboard; tree: PlanTree; onOpen: (id: string) => void }) {
  const years = d.budget.fiscal_years;
  const [kind, setKind] = useState<"KPI" | "KGI" | "">("KPI");
  const [unit, setUnit] = useState("");
  const [policy, setPolicy] = useState("");
  const [onlyMissing, setOnlyMissing] = useState(false);
  const thisYear = currentFiscalYear();
  const rowOf = useMemo(() => new Map(tree.projects.map((r) => [r.id, r])), [tree]);
  const units = useMemo(() => {
    const used = new Set(tree.projects.flatMap((r) => r.owner_ids));
    return tree.units.filter((u) => used.has(u.id)).sort((a, b) => a.name.localeCompare(b.name, "ja"));
  }, [tree]);
  /** A past year with a target and no actual: someone to ask. */
  const missing = (c: Dashboard["kpis"][number]["cells"][number]) => c.fiscal_year < thisYear && c.target !== null && c.actual === null;
  const rows = d.kpis.filter((k) => {
    const r = rowOf.get(k.project_id);
    if (kind && k.kind !== kind) return false;
    if (unit && !r?.owner_ids.includes(unit)) return false;
    if (policy && r?.policy_id !== policy) return false;
    if (onlyMissing && !k.cells.some(missing)) return false;
    return true;
  });
  const rated = rows.flatMap((r) => r.cells.map((c) => c.rate)).filter((x): x is number => x !== null);
  const met = rated.filter((x) => x >= 100).length;
  const chase = new Map<string, number>();
  for (const k of rows) {
    const n = k.cells.filter(missing).length;
    if (!n) continue;
    const lead = rowOf.get(k.project_id)?.owners[0] ?? "担当課なし";
    chase.set(lead, (chase.get(lead) ?? 0) + n);
  }
  const missingTotal = [...chase.values()].reduce((a, b) => a + b, 0);
  return (
    <div class="card">
      <div class="page-head">
        <h3>指標の達成状況（実績 ÷ 目標）</h3>
        <div class="filter-bar">
          <select value={kind} aria-label="指標の種類" onChange={(e) => setKind(e.currentTarget.value as "KPI" | "KGI" | "")} data-testid="kpi-kind">
            <option value="KPI">KPI（評価指標）</option>
            <option value="KGI">KGI（数値目標）</option>
            <option value="">すべての指標</option>
          </select>
          <select value={policy} aria-label="基本方針" onChange={(e) => setPolicy(e.currentTarget.value)} data-testid="kpi-policy">
            <option value="">すべての基本方針</option>
            {tree.policies.map((p) => <option value={p.id}>{p.code} {p.title}</option>)}
          </select>
          <select value={unit} aria-label="担当課" onChange={(e) => setUnit(e.currentTarget.value)} data-testid="kpi-unit">
            <option value="">すべての課</option>
            {units.map((u) => <option value={u.id}>{u.name}</option>)}
          </select>
          <label class="check"><input type="checkbox" checked={onlyMissing} onChange={(e) => setOnlyMissing(e.currentTarget.checked)} data-testid="kpi-missing-only" />未記入の実績があるものだけ</label>
        </div>
      </div>
      <p class="muted small">
        {rows.length} 指標。達成率を計算できた {rated.length} 件のうち、目標達成（100% 以上）は {met} 件。数値でない目標（「試行実施」など）や「30%減」のような目標は率を出しません。
      </p>
      {missingTotal > 0 && (
        <p class="chase small" data-testid="kpi-chase">
          過去の年度（{seireki(thisYear - 1)}まで）で目標があるのに実績が未記入：{missingTotal} 件。催促先：
          {[...chase.entries()].sort((a, b) => b[1] - a[1]).map(([u, n]) => `${u} ${n} 件`).join("、")}
        </p>
      )}
      <div class="table-wrap">
        <table class="grid kpi" data-testid="kpi-table">
          <thead>
            <tr>
              <th>事業</th>
              <th>指標</th>
              {years.map((fy) => <th class="fy"><div>{fy.seireki}</div><div class="wareki">（{fy.wareki}）</div></th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-testid="kpi-row" data-project={r.project_id}>
                <td><button class="link" onClick={() => onOpen(r.project_id)}>{r.code}</button> {r.project_title}<div class="muted small">{rowOf.get(r.project_id)?.owners[0] ?? ""}</div></td>
                <td>{r.indicator}</td>
                {r.cells.map((c) => (
                  <td class={`kpi-cell${missing(c) ? " missing" : ""}`} data-missing={missing(c) ? "1" : undefined}>
                    <div class="muted small">目標 {c.target ?? "－"}</div>
                    <div>実績 {c.actual ?? (missing(c) ? <strong class="missing-label">未記入</strong> : "－")}</div>
                    {c.rate !== null && (
                      <div class="rate">
                        <div class={`rate-bar ${c.rate >= 100 ? "ok" : ""}`} style={{ width: `${Math.min(100, c.rate)}%` }} />
                        <span>{formatRate(c.rate)}</span>
                      </div>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && <p class="muted" data-testid="kpi-empty">条件に合う指標はありません。</p>}
    </div>
  );
}

function RoadmapView({ d, tree, onOpen }: { d: Dashboard; tree: PlanTree; onOpen: (id: string) => void }) {
  const { first_fy, last_fy } = tree.session.info;
  const n = last_fy - first_fy + 1;
  const thisYear = currentFiscalYear();
  const now = thisYear >= first_fy && thisYear <= last_fy ? thisYear - first_fy : -1;
  const nowLine = now >= 0 ? <div class="rm-now" style={{ left: `${((now + 0.5) / n) * 100}%` }} title={`今年度（${seireki(thisYear)}）`} /> : null;
  let lastProject = "";
  return (
    <div class="card">
      <div class="page-head">
        <h3>ロードマップ（全事業の工程）</h3>
        <div class="legend-row small" data-testid="roadmap-legend">
          <span><span class="swatch confirmed" />年度が確定</span>
          <span><span class="swatch guessed" />年度は推定（旧様式の矢印・塗りから読み取り）</span>
          {now >= 0 && <span><span class="swatch now" />今年度（{seireki(thisYear)}）</span>}
        </div>
      </div>
      <div class="roadmap" data-testid="roadmap">
        <div class="rm-row rm-head">
          <span>事業・工程</span>
          <div class="rm-cols" style={{ gridTemplateColumns: `repeat(${n}, 1fr)` }}>
            {Array.from({ length: n }, (_, i) => first_fy + i).map((fy) => (
              <div class="fy"><div>{seireki(fy)}</div><div class="wareki">（{wareki(fy)}）</div></div>
            ))}
          </div>
        </div>
        {d.roadmap.map((t) => {
          const head = t.project_id !== lastProject;
          lastProject = t.project_id;
          const s = Math.max(t.start_fy, first_fy), e = Math.min(t.end_fy, last_fy);
          return (
            <>
              {head && (
                <div class="rm-project">
                  <button class="link" onClick={() => onOpen(t.project_id)}>{t.code}</button> {t.project_title}
                </div>
              )}
              <div class="rm-row" data-testid="roadmap-task">
                <span class="rm-task" title={t.task}>{t.task}</span>
                <div class="rm-track" style={{ gridTemplateColumns: `repeat(${n}, 1fr)` }}>
                  {nowLine}
                  {e >= s && (
                    <div
                      class={`rm-bar${t.confirmed ? "" : " guessed"}`}
                      style={{ gridColumn: `${s - first_fy + 1} / ${e - first_fy + 2}` }}
                      title={`${warekiShort(t.start_fy)}～${warekiShort(t.end_fy)}${t.confirmed ? "" : "（年度は推定）"}`}
                    >
                      {Object.values(t.phases).filter(Boolean).join(" → ")}
                    </div>
                  )}
                </div>
              </div>
            </>
          );
        })}
      </div>
    </div>
  );
}
