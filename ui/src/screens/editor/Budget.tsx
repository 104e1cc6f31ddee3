// 年度経費（LCC）in 千円, with thousands separators and a total; うち一般財源 beside it.
import { commands, type Project } from "../../api";
import type { SectionProps } from "./section";
import { CommitInput } from "../../components/CommitInput";
import { formatSen, parseSen, seireki, sumOrNull, wareki } from "../../lib/format";

type Field = "planned_thousand_yen" | "general_revenue_thousand_yen";

export function budgetYears(first: number, last: number, p: Project): number[] {
  const s = new Set<number>();
  for (let y = first; y <= last; y++) s.add(y);
  for (const b of p.budget) s.add(b.fiscal_year);
  return [...s].sort((a, b) => a - b);
}

/** 「4,000」 → 4000 by the UI's own parser; other forms (「120万円」) through the core's. */
async function readSen(text: string): Promise<number | null> {
  const r = parseSen(text);
  if (r.ok) return r.value;
  try {
    return await commands.parseMoney(text);
  } catch {
    throw new Error(r.error);
  }
}

function setSen(d: Project, fy: number, field: Field, v: number | null) {
  let e = d.budget.find((b) => b.fiscal_year === fy);
  if (!e) {
    e = { fiscal_year: fy, planned_thousand_yen: null, general_revenue_thousand_yen: null };
    d.budget.push(e);
    d.budget.sort((a, b) => a.fiscal_year - b.fiscal_year);
  }
  e[field] = v;
  if (e.planned_thousand_yen === null && e.general_revenue_thousand_yen === null) d.budget = d.budget.filter((b) => b !== e);
}

export function BudgetSection(p: SectionProps) {
  const ro = !p.editable;
  const { first_fy, last_fy } = p.tree.session.info;
  const years = budgetYears(first_fy, last_fy, p.project);
  const val = (fy: number, f: Field) => p.project.budget.find((b) => b.fiscal_year === fy)?.[f] ?? null;
  const fields: Field[] = ["planned_thousand_yen", "general_revenue_thousand_yen"];
  const titles = ["事業費", "うち一般財源"];
  const paste = (f: Field, fy: number) => (cells: string[][]) =>
    p.apply("事業費の貼り付け", async (d) => {
      const r0 = fields.indexOf(f);
      const c0 = years.indexOf(fy);
      if (r0 + cells.length > fields.length) throw new Error(`貼り付ける行が多すぎます（事業費・うち一般財源の 2 行に ${cells.length} 行）。`);
      for (const [dr, row] of cells.entries()) {
        if (c0 + row.length > years.length) throw new Error(`貼り付ける列が多すぎます（${seireki(fy)}から ${row.length} 年度分、表は${seireki(years[years.length - 1])}まで）。`);
        for (const [dc, text] of row.entries()) {
          const y = years[c0 + dc];
          let v: number | null;
          try {
            v = await readSen(text);
          } catch (e) {
            throw new Error(`${titles[r0 + dr]} ${seireki(y)}：${e instanceof Error ? e.message : String(e)}`);
          }
          setSen(d, y, fields[r0 + dr], v);
        }
      }
    });
  const row = (f: Field, title: string, tid: string) => (
    <tr>
      <th class="rowhead">{title}</th>
      {years.map((fy) => (
        <td class="num">
          <CommitInput
            value={val(fy, f) === null ? "" : formatSen(val(fy, f))}
            placeholder="－"
            inputMode="numeric"
            label={`${title} ${seireki(fy)}（千円）`}
            testid={`${tid}-${fy}`}
            field={`budget/${fy}/${f === "planned_thousand_yen" ? "planned" : "general_revenue"}`}
            grid={{ row: fields.indexOf(f), col: years.indexOf(fy) }}
            onPasteCells={paste(f, fy)}
            onCommit={(text) => p.apply(`${title} ${seireki(fy)}`, async (d) => { setSen(d, fy, f, await readSen(text)); })}
          />
        </td>
      ))}
      <td class="num total" data-testid={`${tid}-total`}>{formatSen(sumOrNull(years.map((fy) => val(fy, f))))}</td>
    </tr>
  );
  return (
    <fieldset class="card" disabled={ro}>
      <legend>事業費（年度経費・LCC、単位：千円）</legend>
      <div class="table-wrap">
        <table class="grid fy-grid budget" data-testid="budget">
          <thead>
            <tr>
              <th class="rowhead"></th>
              {years.map((fy) => (
                <th class="fy">
                  <div>{seireki(fy)}</div>
                  <div class="wareki">（{wareki(fy)}）</div>
                </th>
              ))}
              <th class="total">合計</th>
            </tr>
          </thead>
          <tbody>
            {row("planned_thousand_yen", "事業費", "budget")}
            {row("general_revenue_thousand_yen", "うち一般財源", "general")}
          </tbody>
        </table>
      </div>
      <p class="muted small">「－」または空欄は「値なし」（0 とは区別します）。「▲1,000」は負の値です。</p>
    </fieldset>
  );
}
