import type { SectionProps } from "./section";
import { CommitInput } from "../../components/CommitInput";

export function FootnotesSection(p: SectionProps) {
  const ro = !p.editable;
  const anchors: { value: string; label: string }[] = [
    { value: "issue", label: "課題" },
    { value: "purpose", label: "目的" },
    { value: "summary", label: "概要" },
    { value: "goal", label: "目指す姿／目標" },
    { value: "effects", label: "期待される効果" },
    { value: "schedule", label: "スケジュール" },
    { value: "budget", label: "事業費" },
    { value: "kgi", label: "数値目標（KGI）" },
    { value: "kpi", label: "評価指標（KPI）" },
    ...p.project.indicators.map((i) => ({ value: `indicator:${i.id}`, label: `指標「${i.name}」` })),
  ];
  const known = new Set(anchors.map((a) => a.value));
  return (
    <fieldset class="card" disabled={ro}>
      <legend>注記（※1、*1）</legend>
      <table class="grid footnotes" data-testid="footnotes" data-field="footnotes">
        <thead>
          <tr><th>記号</th><th>対象</th><th>注記</th><th></th></tr>
        </thead>
        <tbody>
          {p.project.footnotes.map((f, i) => (
            <tr>
              <td><CommitInput value={f.marker} size={4} label="注記の記号" onCommit={(v) => p.apply("注記の記号", (d) => { d.footnotes[i].marker = v.trim(); })} /></td>
              <td>
                <select value={f.field} aria-label="注記の対象" onChange={(e) => { const v = e.currentTarget.value; void p.apply("注記の対象", (d) => { d.footnotes[i].field = v; }); }}>
                  {!known.has(f.field) && <option value={f.field}>{f.field}</option>}
                  {anchors.map((a) => <option value={a.value}>{a.label}</option>)}
                </select>
              </td>
              <td class="grow"><CommitInput value={f.text} multiline rows={1} label="注記" onCommit={(v) => p.apply("注記", (d) => { d.footnotes[i].text = v; })} /></td>
              <td>{!ro && <button class="link danger" onClick={() => void p.apply("注記の削除", (d) => { d.footnotes.splice(i, 1); })}>削除</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!ro && (
        <div class="actions">
          <button onClick={() => void p.apply("注記の追加", (d) => { d.footnotes.push({ marker: `※${d.footnotes.length + 1}`, field: "summary", text: "" }); })}>＋ 注記を追加</button>
        </div>
      )}
    </fieldset>
  );
}
