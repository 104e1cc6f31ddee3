// A roll-up indicator (defined as the sum of others, `dxplan rollup`): its values are computed
// from the components, so the sheet shows them read-only, labelled 合計, with what they add up.
import type { Indicator, RollupDto, Value } from "../../api";

type Which = "target" | "actual";

/** The computed value of a roll-up in a year, and what was typed there when it disagrees. */
export function rollupValue(roll: RollupDto, ind: Indicator, fy: number, which: Which): { shown: string; typed: string | null } {
  const sum: Value | null = roll.computed.find((v) => v.fiscal_year === fy)?.[which] ?? null;
  const typed: Value | null = ind.values.find((v) => v.fiscal_year === fy)?.[which] ?? null;
  const shown = sum?.text ?? "－";
  const differs = typed !== null && (sum === null || typed.number !== sum.number || (typed.unit ?? "") !== (sum.unit ?? ""));
  return { shown, typed: differs ? typed.text : null };
}

/** Years a roll-up shows: its own and those its sums cover. */
export function rollupYears(years: number[], roll: RollupDto): number[] {
  const s = new Set(years);
  for (const v of roll.computed) s.add(v.fiscal_year);
  return [...s].sort((a, b) => a - b);
}

export function RollupBadge() {
  return <span class="badge rollup" title="構成指標の合計（自動計算）">合計</span>;
}

export function RollupNote({ roll }: { roll: RollupDto }) {
  return (
    <div class="rollup-note small" data-testid="rollup-note">
      ＝ {roll.parts.join(" ＋ ")}
      <span class="muted">（構成指標の合計を自動で計算しています。この指標の値はここでは編集できません）</span>
    </div>
  );
}

export function RollupCell(p: { roll: RollupDto; ind: Indicator; fy: number; which: Which; testid: string; outside: boolean }) {
  const v = rollupValue(p.roll, p.ind, p.fy, p.which);
  return (
    <td class={`computed${p.outside ? " outside" : ""}${v.typed !== null ? " mismatch" : ""}`} title={v.typed !== null ? `入力値「${v.typed}」は合計と一致しません（dxplan check でも表示されます）` : "合計（自動計算）"}>
      <output data-testid={p.testid}>{v.shown}</output>
      {v.typed !== null && <span class="typed">入力 {v.typed}</span>}
    </td>
  );
}
