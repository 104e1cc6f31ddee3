// 点検: the plan's lints (dxplan check), each with a link that opens the project at its cell.
import { useEffect, useMemo, useState } from "preact/hooks";
import { commands, LINT_KIND_LABELS, run, type Lint, type LintKind, type PlanTree } from "../api";

export function ChecksScreen(p: { tree: PlanTree; active: boolean; onOpen: (projectId: string, field?: string) => void }) {
  const [list, setList] = useState<Lint[] | null>(null);
  const [kind, setKind] = useState<LintKind | "">("");
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
          <select value={kind} aria-label="点検の種類" onChange={(e) => setKind(e.currentTarget.value as LintKind | "")} data-testid="check-kind">
            <option value="">すべての種類（{list?.length ?? 0} 件）</option>
            {kinds.map((k) => <option value={k}>{LINT_KIND_LABELS[k]}（{list?.filter((l) => l.kind === k).length} 件）</option>)}
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
                  <td class="nowrap small">{LINT_KIND_LABELS[l.kind]}</td>
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
