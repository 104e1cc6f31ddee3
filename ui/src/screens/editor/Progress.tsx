import type { Progress } from "../../api";
import type { SectionProps } from "./section";
import { CommitInput } from "../../components/CommitInput";
import { fyBoth } from "../../lib/format";

type Key = "status" | "achievements" | "issues" | "remedies" | "evaluation";
const FIELDS: { key: Key; label: string; multiline: boolean }[] = [
  { key: "status", label: "進捗状況", multiline: false },
  { key: "achievements", label: "取組実績", multiline: true },
  { key: "issues", label: "課題", multiline: true },
  { key: "remedies", label: "改善策・次年度の対応", multiline: true },
  { key: "evaluation", label: "評価", multiline: false },
];

export function ProgressSection(p: SectionProps) {
  const ro = !p.editable;
  const { first_fy, last_fy } = p.tree.session.info;
  const years = new Set<number>();
  for (let y = first_fy; y <= last_fy; y++) years.add(y);
  for (const r of p.project.progress) years.add(r.fiscal_year);
  const get = (fy: number) => p.project.progress.find((r) => r.fiscal_year === fy);
  return (
    <fieldset class="card" disabled={ro}>
      <legend>年度ごとの進捗</legend>
      {[...years].sort((a, b) => a - b).map((fy) => {
        const r = get(fy);
        const filled = !!r && FIELDS.some((f) => r[f.key].trim() !== "");
        return (
          <details class="progress-year" open={filled} data-field={`progress/${fy}`}>
            <summary>
              {fyBoth(fy)} {r?.status ? `— ${r.status}` : filled ? "" : <span class="muted">（未記入）</span>}
            </summary>
            <div class="grid2">
              {FIELDS.map((f) => (
                <label class={f.multiline ? "wide" : ""}>
                  <span>{f.label}</span>
                  <CommitInput
                    value={r?.[f.key] ?? ""}
                    multiline={f.multiline}
                    rows={2}
                    label={`${fyBoth(fy)} ${f.label}`}
                    onCommit={(v) =>
                      p.apply(`${fyBoth(fy)} ${f.label}`, (d) => {
                        let e = d.progress.find((x) => x.fiscal_year === fy);
                        if (!e) {
                          e = { fiscal_year: fy, status: "", achievements: "", issues: "", remedies: "", evaluation: "" } as Progress;
                          d.progress.push(e);
                          d.progress.sort((a, b) => a.fiscal_year - b.fiscal_year);
                        }
                        e[f.key] = v;
                        if (FIELDS.every((ff) => e![ff.key].trim() === "")) d.progress = d.progress.filter((x) => x !== e);
                      })
                    }
                  />
                </label>
              ))}
            </div>
          </details>
        );
      })}
    </fieldset>
  );
}
