// 点検: the plan's lints (dxplan check), each with a link that opens the project at its cell.
import { useEffect, useMemo, useState } from "preact/hooks";
import { commands, run, type CheckDto, type PlanTree } from "../api";

export const CHECK_KIND: Record<string, string> = {
  kgi_differs_from_last_kpi: "KGI と最終年度の KPI 目標の不一致",
  cumulative_falls: "累計の指標が減少",
  negative_money: "負の金額",
  general_revenue_exceeds_planned: "一般財源が事業費を超過",
  footnote_without_note: "注記の本文がない",
  no_owner: "担当課がない",
  outside_period: "計画期間の外の年度",
  indicator_definition_changed: "指標の定義が版の間で変更",
  rollup_disagrees: "集計指標と構成指標の合計の不一致",
  rollup_cycle: "集計指標の循環",
  rollup_unit_mismatch: "集計指標の単位の不一致",
  rollup_missing_component: "集計指標の構成指標がない",
  unit_mismatch: "指標と違う単位の値",
};

export function ChecksScreen(p: { tree: PlanTree; active: boolean; onOpen: (projectId: string, field?: string) => void }) {
  const [list, setList] = useState<CheckDto[] | null>(null);
  const [kind, setKind] = useState("");
  useEffect(() => {
    if (!p.active) return;
    void (async () => setList((await run(commands.checkPlan(), "点検できません")) ?? []))();
  }, [p.tree, p.active]);
  const kinds = useMemo(() => [...new Set((list ?? []).map((l) => l.kind))], [list]);
  const shown = (list ?? []).filter((l) => !kind || l.kind === kind);
  return (
    <section class="page" data-testid="checks">
      <div class="page-head">
        <h2>点検</h2>
        {kinds.length > 1 && (
          <select value={kind} aria-label="点検の種類" onChange={(e) => setKind(e.currentTarget.value)} data-testid="check-kind">
            <option value="">すべての種類（{list?.length ?? 0} 件）</option>
            {kinds.map((k) => <option value={k}>{CHECK_KIND[k] ?? k}（{list?.filter((l) => l.kind === k).length} 件）</option>)}
          </select>
        )}
      </div>
      <p class="muted small">計画の中の食い違いや記入漏れの候補です。「該当箇所へ」で事業シートの該当セルを開きます。直すと、この一覧から消えます。</p>
      {list === null ? (
        <p>点検中…</p>
      ) : list.length === 0 ? (
        <div class="card empty-state" data-testid="checks-empty">見つかったものはありません。</div>
      ) : (
        <div class="card">
          <table class="grid checks">
            <thead><tr><th>事業</th><th>種類</th><th>内容</th><th></th></tr></thead>
            <tbody>
              {shown.map((l) => (
                <tr data-testid="check" data-kind={l.kind} data-field={l.field}>
                  <td class="nowrap"><span class="code">{l.project_code}</span> {l.project_title}</td>
                  <td class="nowrap small">{CHECK_KIND[l.kind] ?? l.kind}</td>
                  <td>{l.message}</td>
                  <td class="nowrap"><button class="link" onClick={() => p.onOpen(l.project_id, l.field || undefined)} data-testid="check-go">該当箇所へ</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
