import { useEffect, useMemo, useState } from "preact/hooks";
import { commands, run, type HistoryEntryView, type PlanTree } from "../api";
import { kindLabel } from "../lib/fields";
import { formatDateTime } from "../lib/format";
import { VirtualList } from "../components/VirtualList";

export function HistoryScreen(p: { tree: PlanTree; selected: string | null; active: boolean; onOpenProject: (id: string) => void }) {
  const [scope, setScope] = useState<"plan" | "project">(p.selected ? "project" : "plan");
  const [rows, setRows] = useState<HistoryEntryView[] | null>(null);
  const selectedRow = p.tree.projects.find((r) => r.id === p.selected);

  useEffect(() => {
    if (!p.active) return;
    (async () => {
      setRows(null);
      const r = await run(commands.historyView(scope === "project" ? p.selected : null, 5000), "履歴を読めません");
      setRows(r ?? []);
    })();
  }, [scope, p.selected, p.active, p.tree]);

  const ops = useMemo(() => new Set(rows?.map((r) => r.op_id) ?? []).size, [rows]);

  return (
    <section class="page history" data-testid="history">
      <div class="page-head">
        <h2>変更履歴</h2>
        <div class="segmented" role="radiogroup">
          <button role="radio" aria-checked={scope === "project"} class={scope === "project" ? "active" : ""} disabled={!p.selected} onClick={() => setScope("project")} data-testid="history-project">
            事業：{selectedRow ? `${selectedRow.code} ${selectedRow.title}` : "（未選択）"}
          </button>
          <button role="radio" aria-checked={scope === "plan"} class={scope === "plan" ? "active" : ""} onClick={() => setScope("plan")} data-testid="history-plan">
            計画全体
          </button>
        </div>
      </div>
      {rows === null ? (
        <p>読み込み中…</p>
      ) : rows.length === 0 ? (
        <p class="muted">変更はまだありません。</p>
      ) : (
        <>
          <p class="muted small">{rows.length.toLocaleString("ja-JP")} 件の変更（{ops.toLocaleString("ja-JP")} 回の保存・取込・統合）。新しい順。</p>
          <div class="history-head hrow">
            <span>日時</span><span>操作</span><span>事業</span><span>項目</span><span>変更前</span><span>変更後</span>
          </div>
          <VirtualList
            items={rows}
            rowHeight={34}
            testid="history-list"
            class="history-list"
            render={(r) => (
              <div class="hrow" data-testid="history-row" data-field={r.field}>
                <span title={r.at}>{formatDateTime(r.at)}</span>
                <span title={r.source} data-testid="history-who">{kindLabel(r.kind)}{r.department ? `（${r.department}${r.kind === "merge" && r.department.includes("→") ? " → 事務局" : ""}）` : ""}</span>
                <span>
                  {r.project_id && r.project_code ? (
                    <button class="link" onClick={() => p.onOpenProject(r.project_id!)} title={r.project_title ?? ""}>
                      {r.project_code} {r.project_title}
                    </button>
                  ) : (
                    <span class="muted">{r.project_title ?? "計画"}</span>
                  )}
                </span>
                <span title={r.label}>{r.label}</span>
                <span class={r.old === "（なし）" ? "muted" : "old"} title={r.old}>{r.old}</span>
                <span class={r.new === "（なし）" ? "muted" : "new"} title={r.new}>{r.new}</span>
              </div>
            )}
          />
        </>
      )}
    </section>
  );
}
