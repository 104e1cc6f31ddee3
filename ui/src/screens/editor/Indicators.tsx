import { commands, type Indicator, type Project, type Value } from "../../api";
import type { SectionProps } from "./section";
import { CommitInput } from "../../components/CommitInput";
import { isEmptyMark, seireki, wareki } from "../../lib/format";
import { RollupBadge, RollupCell, RollupNote, rollupYears } from "./Rollup";

type Which = "target" | "actual";

/** Years shown for an indicator: the plan period plus any year it already has values for. */
export function indicatorYears(first: number, last: number, ind: Indicator): number[] {
  const s = new Set<number>();
  for (let y = first; y <= last; y++) s.add(y);
  for (const v of ind.values) s.add(v.fiscal_year);
  return [...s].sort((a, b) => a - b);
}

function setValue(d: Project, indId: string, fy: number, which: Which, v: Value | null) {
  const ind = d.indicators.find((i) => i.id === indId);
  if (!ind) throw new Error("指標が見つかりません。");
  let e = ind.values.find((x) => x.fiscal_year === fy);
  if (!e) {
    e = { fiscal_year: fy, target: null, actual: null };
    ind.values.push(e);
    ind.values.sort((a, b) => a.fiscal_year - b.fiscal_year);
  }
  e[which] = v;
  if (e.target === null && e.actual === null) ind.values = ind.values.filter((x) => x !== e);
}

export async function readValue(text: string): Promise<Value | null> {
  if (isEmptyMark(text)) return null;
  return await commands.parseValue(text);
}

function newId(): string {
  return crypto.randomUUID();
}

export function IndicatorsSection(p: SectionProps) {
  const ro = !p.editable;
  const { first_fy, last_fy } = p.tree.session.info;
  return (
    <fieldset class="card" disabled={ro}>
      <legend>指標（数値目標 KGI・評価指標 KPI）</legend>
      {p.project.indicators.length === 0 && <p class="muted">指標はありません。</p>}
      {p.project.indicators.map((ind, idx) => {
        const roll = p.rollups?.find((r) => r.indicator_id === ind.id);
        const years = roll ? rollupYears(indicatorYears(first_fy, last_fy, ind), roll) : indicatorYears(first_fy, last_fy, ind);
        const cell = (fy: number, which: Which) => {
          if (roll) return <RollupCell roll={roll} ind={ind} fy={fy} which={which} testid={`ind-${idx}-${fy}-${which}-sum`} outside={fy < first_fy || fy > last_fy} />;
          const v = ind.values.find((x) => x.fiscal_year === fy)?.[which] ?? null;
          const label = `${ind.name} ${seireki(fy)} ${which === "target" ? "目標" : "実績"}`;
          return (
            <td class={fy < first_fy || fy > last_fy ? "outside" : ""}>
              <CommitInput
                value={v?.text ?? ""}
                placeholder="－"
                label={label}
                testid={`ind-${idx}-${fy}-${which}`}
                field={`indicator/${ind.id}/${fy}/${which}`}
                grid={{ row: which === "target" ? 0 : 1, col: years.indexOf(fy) }}
                class={v && v.number === null ? "textual" : ""}
                onCommit={(text) =>
                  p.apply(label, async (d) => {
                    setValue(d, ind.id, fy, which, await readValue(text));
                  })
                }
                onPasteCells={(cells) =>
                  p.apply(`${ind.name} の貼り付け`, async (d) => {
                    const rows: Which[] = ["target", "actual"];
                    const r0 = rows.indexOf(which);
                    const c0 = years.indexOf(fy);
                    if (r0 + cells.length > rows.length) throw new Error(`貼り付ける行が多すぎます（目標・実績の 2 行に ${cells.length} 行）。`);
                    for (const [dr, row] of cells.entries()) {
                      if (c0 + row.length > years.length) throw new Error(`貼り付ける列が多すぎます（${seireki(fy)}から ${row.length} 年度分、表は${seireki(years[years.length - 1])}まで）。`);
                      for (const [dc, text] of row.entries()) {
                        setValue(d, ind.id, years[c0 + dc], rows[r0 + dr], await readValue(text));
                      }
                    }
                  })
                }
              />
            </td>
          );
        };
        return (
          <div class="indicator" data-testid={`indicator-${idx}`} data-kind={ind.kind} data-rollup={roll ? "1" : undefined}>
            <div class="indicator-head">
              <select
                aria-label="種類"
                value={ind.kind}
                onChange={(e) => { const v = e.currentTarget.value as Indicator["kind"]; void p.apply("指標の種類", (d) => { d.indicators[idx].kind = v; }); }}
              >
                <option value="KGI">KGI（数値目標）</option>
                <option value="KPI">KPI（評価指標）</option>
              </select>
              {roll && <RollupBadge />}
              <CommitInput value={ind.name} label="指標名" placeholder="指標名" class="grow" field={`indicator/${ind.id}`} onCommit={(v) => p.apply("指標名", (d) => { d.indicators[idx].name = v.trim(); })} />
              <CommitInput value={ind.unit ?? ""} label="単位" placeholder="単位" size={6} onCommit={(v) => p.apply("指標の単位", (d) => { d.indicators[idx].unit = v.trim() || null; })} />
              <label class="check">
                <input type="checkbox" checked={ind.cumulative} onChange={(e) => { const v = e.currentTarget.checked; void p.apply("累計", (d) => { d.indicators[idx].cumulative = v; }); }} />
                累計
              </label>
              {!ro && (
                <button class="link danger" title="削除は「元に戻す」で取り消せます" onClick={() => void p.apply(`指標「${ind.name}」の削除`, (d) => { d.indicators.splice(idx, 1); })}>
                  削除
                </button>
              )}
            </div>
            {roll && <RollupNote roll={roll} />}
            <div class="table-wrap">
              <table class="grid fy-grid">
                <thead>
                  <tr>
                    <th class="rowhead"></th>
                    {years.map((fy) => (
                      <th class="fy" data-fy={fy}>
                        <div>{seireki(fy)}</div>
                        <div class="wareki">（{wareki(fy)}）</div>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th class="rowhead">目標</th>
                    {years.map((fy) => cell(fy, "target"))}
                  </tr>
                  <tr>
                    <th class="rowhead">実績</th>
                    {years.map((fy) => cell(fy, "actual"))}
                  </tr>
                </tbody>
              </table>
            </div>
          </div>
        );
      })}
      {!ro && (
        <div class="actions">
          <button onClick={() => void p.apply("指標の追加", (d) => { d.indicators.push({ id: newId(), kind: "KPI", name: "新しい指標", unit: null, cumulative: false, values: [] }); })}>＋ KPI を追加</button>
          <button onClick={() => void p.apply("指標の追加", (d) => { d.indicators.push({ id: newId(), kind: "KGI", name: "新しい数値目標", unit: null, cumulative: false, values: [] }); })}>＋ KGI を追加</button>
        </div>
      )}
    </fieldset>
  );
}
