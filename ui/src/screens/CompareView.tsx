// 新旧対照表 on screen: from a version to another (or to the plan as it stands), every changed
// field with 変更後（新） beside 変更前（旧） and the changed characters underlined, items added
// and removed, and the budget per 基本方針 and year before and after. 「Excelに書き出す」 writes
// the same table as the printed workbook (A4 landscape).
import { useEffect, useState } from "preact/hooks";
import { commands, ITEM_KIND_LABELS, PRESENCE_LABELS, run, type ChangeDto, type ComparisonDto, type Segment, type VersionDto } from "../api";
import { baseName, formatSenDelta } from "../lib/cycle";
import { formatSen } from "../lib/format";
import { notify } from "../lib/notify";

/** How the plan as it stands is named (as `dxplan compare` says it). */
export const NOW = "現在";

export function CompareView(p: {
  versions: VersionDto[];
  from: string;
  to: string;
  onChange: (from: string, to: string) => void;
  onOpenProject: (id: string) => void;
}) {
  const [cmp, setCmp] = useState<ComparisonDto | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!p.from) return;
    setBusy(true);
    (async () => {
      setCmp((await run(commands.compareVersions(p.from, p.to === NOW ? null : p.to), "比較できません")) ?? null);
      setBusy(false);
    })();
  }, [p.from, p.to, p.versions.length]);

  const write = async () => {
    const path = await run(commands.pickSavePath("save_workbook", `新旧対照表_${p.from}→${p.to}.xlsx`));
    if (!path) return;
    const out = await run(commands.exportComparison(p.from, p.to === NOW ? null : p.to, path.handle), "書き出せません");
    if (out) notify("success", `新旧対照表を書き出しました：${baseName(out)}`);
  };

  const labels = p.versions.map((v) => v.label);
  return (
    <>
      <div class="card compare-controls" data-testid="compare-controls">
        <label>
          <span>比較元（旧）</span>
          <select value={p.from} onChange={(e) => p.onChange(e.currentTarget.value, p.to)} data-testid="compare-from">
            {labels.map((l) => <option value={l}>{l}</option>)}
          </select>
        </label>
        <span class="arrow">→</span>
        <label>
          <span>比較先（新）</span>
          <select value={p.to} onChange={(e) => p.onChange(p.from, e.currentTarget.value)} data-testid="compare-to">
            <option value={NOW}>現在の計画</option>
            {[...labels].reverse().map((l) => <option value={l}>{l}</option>)}
          </select>
        </label>
        <span class="spacer" />
        <button class="primary" onClick={write} disabled={!cmp} data-testid="compare-export">Excelに書き出す…</button>
      </div>
      {busy && !cmp && <div class="progress"><div class="progress-bar indeterminate" /><span>比較しています…</span></div>}
      {cmp && <Comparison cmp={cmp} onOpenProject={p.onOpenProject} />}
    </>
  );
}

function Segments({ value, segments, testid }: { value: string | null; segments: Segment[]; testid: string }) {
  if (value === null) return <td class="val none" data-testid={testid}>（なし）</td>;
  return (
    <td class="val" data-testid={testid}>
      {segments.length ? segments.map((s) => (s.changed ? <span class="chg">{s.text}</span> : s.text)) : value}
    </td>
  );
}

function ChangeRow({ c }: { c: ChangeDto }) {
  return (
    <tr data-testid="compare-change" data-field={c.field}>
      <th class="what">
        {c.label}
        {c.presence !== "changed" && <span class={`badge ${c.presence}`}>{PRESENCE_LABELS[c.presence]}</span>}
      </th>
      <Segments value={c.new} segments={c.new_segments} testid="compare-new" />
      <Segments value={c.old} segments={c.old_segments} testid="compare-old" />
    </tr>
  );
}

function Comparison({ cmp, onOpenProject }: { cmp: ComparisonDto; onOpenProject: (id: string) => void }) {
  const fields = cmp.items.reduce((n, i) => n + i.changes.length, 0);
  return (
    <>
      <div class="card" data-testid="compare-summary">
        <h3>新旧対照表：{cmp.to === NOW ? "現在の計画" : cmp.to}（新） ← {cmp.from}（旧）</h3>
        <div class="summary-chips">
          <span class="chip">変更のあった項目 {cmp.items.length} 件（{fields} 箇所）</span>
          <span class="chip">事業 変更 {cmp.projects_changed} 件</span>
          {cmp.projects_added > 0 && <span class="chip ok">事業 追加 {cmp.projects_added} 件</span>}
          {cmp.projects_removed > 0 && <span class="chip warn">事業 削除 {cmp.projects_removed} 件</span>}
        </div>
        <BudgetTable cmp={cmp} />
      </div>
      <div class="card" data-testid="compare-items">
        <h3>変更内容（計画の順）</h3>
        {cmp.items.length === 0 && <p class="muted small">変更はありません。</p>}
        {cmp.items.map((i) => (
          <div class="cmp-item" data-testid="compare-item" data-code={i.code} data-presence={i.presence}>
            <div class="cmp-head">
              <span class="badge kind">{ITEM_KIND_LABELS[i.kind]}</span>
              {i.kind === "project" && i.presence !== "removed" ? (
                <button class="link code" onClick={() => onOpenProject(i.id)} title="現在の計画で開く">{i.code}</button>
              ) : (
                <span class="code">{i.code}</span>
              )}
              {i.old_code && <span class="small muted">（旧 {i.old_code}）</span>}
              <span class="cmp-title">{i.title}</span>
              {i.presence !== "changed" && <span class={`badge ${i.presence}`}>{PRESENCE_LABELS[i.presence]}</span>}
            </div>
            {i.changes.length > 0 && (
              <table class="grid cmp">
                <thead>
                  <tr><th class="what">項目</th><th>変更後（新）</th><th>変更前（旧）</th></tr>
                </thead>
                <tbody>{i.changes.map((c) => <ChangeRow c={c} />)}</tbody>
              </table>
            )}
          </div>
        ))}
      </div>
    </>
  );
}

function BudgetTable({ cmp }: { cmp: ComparisonDto }) {
  const b = cmp.budget;
  const rows = [...b.rows, b.total];
  return (
    <div class="table-wrap">
      <table class="grid budget-cmp" data-testid="compare-budget">
        <thead>
          <tr>
            <th class="pol">事業費（千円）</th>
            <th class="side"></th>
            {b.fiscal_years.map((y) => (
              <th class="fy">
                <div>{y.seireki}</div>
                <div class="wareki">（{y.wareki}）</div>
              </th>
            ))}
            <th class="fy">合計</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, idx) => {
            const total = idx === rows.length - 1;
            const changed = JSON.stringify(r.old) !== JSON.stringify(r.new);
            return (
              <>
                <tr class={total ? "total-row" : ""} data-testid="compare-budget-new" data-code={r.code}>
                  <th class="pol" rowSpan={2}>{r.code ? `${r.code}　${r.title}` : r.title}</th>
                  <th class="side">新</th>
                  {b.fiscal_years.map((_, k) => {
                    const o = r.old?.[k] ?? null;
                    const n = r.new?.[k] ?? null;
                    return (
                      <td class={`num${o !== n ? " diff" : ""}`}>
                        {r.new ? formatSen(n) : "－"}
                        {o !== n && o !== null && n !== null && <div class="delta">{formatSenDelta(o, n)}</div>}
                      </td>
                    );
                  })}
                  <td class={`num total${changed ? " diff" : ""}`}>{r.new_sum === null ? "－" : formatSen(r.new_sum)}</td>
                </tr>
                <tr class={`old-row${total ? " total-row" : ""}`} data-testid="compare-budget-old" data-code={r.code}>
                  <th class="side">旧</th>
                  {b.fiscal_years.map((_, k) => <td class="num">{r.old ? formatSen(r.old[k] ?? null) : "－"}</td>)}
                  <td class="num total">{r.old_sum === null ? "－" : formatSen(r.old_sum)}</td>
                </tr>
              </>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
