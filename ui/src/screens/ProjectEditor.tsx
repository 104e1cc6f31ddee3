// The project sheet editor: every field of a project. Each edit is saved at once as one
// transaction (save_project); edits are queued so they apply in order on the latest revision.
// Undo/redo restore whole-project snapshots (each again one transaction, logged). The sheet
// opens on what a department edits (指標, 事業費, 進捗); the office's fields come last.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { commands, errorText, isAppError, run, type PlanTree, type Project, type ProjectRow, type ProjectSheet } from "../api";
import { notify } from "../lib/notify";
import { printSheet } from "../lib/print";
import { UndoStack } from "../lib/undo";
import { onDirty, dirtyCount, track } from "../lib/edits";
import type { Refused } from "../components/CommitInput";
import { ask } from "../components/Dialog";
import type { Apply, FocusRequest, SectionProps } from "./editor/section";
import { HeaderSection } from "./editor/Header";
import { OwnersSection } from "./editor/Owners";
import { TextsSection } from "./editor/Texts";
import { IndicatorsSection } from "./editor/Indicators";
import { ScheduleSection } from "./editor/Schedule";
import { BudgetSection } from "./editor/Budget";
import { ProgressSection } from "./editor/Progress";
import { FootnotesSection } from "./editor/Footnotes";

const stacks = new Map<string, UndoStack<Project>>();
function stackFor(id: string): UndoStack<Project> {
  let s = stacks.get(id);
  if (!s) stacks.set(id, (s = new UndoStack<Project>()));
  return s;
}

/** Round-trip times of saves (ms), for the bench (scripts/bench-app.sh reads them over WebDriver). */
const latencies: number[] = [];
(globalThis as unknown as { __dxplanSaveLatencies: number[] }).__dxplanSaveLatencies = latencies;

const SECTIONS: { id: string; label: string }[] = [
  { id: "sec-indicators", label: "指標" },
  { id: "sec-budget", label: "事業費" },
  { id: "sec-progress", label: "進捗" },
  { id: "sec-texts", label: "目的・概要" },
  { id: "sec-schedule", label: "スケジュール" },
  { id: "sec-owners", label: "担当課" },
  { id: "sec-header", label: "基本情報" },
  { id: "sec-footnotes", label: "注記" },
];

/** Scrolls to the cell of a field path and focuses it (the 点検 screen's links). */
function focusField(root: HTMLElement, field: string): boolean {
  const esc = (s: string) => s.replace(/["\\]/g, "\\$&");
  let el = root.querySelector<HTMLElement>(`[data-field="${esc(field)}"]`);
  // a field without a cell of its own (an indicator's definition, a task): its row or section
  for (let f = field; !el && f.includes("/"); ) {
    f = f.slice(0, f.lastIndexOf("/"));
    el = root.querySelector<HTMLElement>(`[data-field="${esc(f)}"]`);
  }
  if (!el) return false;
  const details = el.closest("details");
  if (details) details.open = true;
  el.scrollIntoView({ block: "center" });
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) el.focus();
  el.classList.add("flash");
  setTimeout(() => el?.classList.remove("flash"), 2500);
  return true;
}

export function ProjectEditor(p: {
  id: string | null;
  tree: PlanTree;
  focus?: FocusRequest | null;
  onSaved: (row: ProjectRow, structural: boolean) => void;
  onUnitsChanged: () => void;
  onOutline: (t: PlanTree, select?: string) => void;
}) {
  const [sheet, setSheet] = useState<ProjectSheet | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string>("");
  const [typing, setTyping] = useState(dirtyCount());
  const [, force] = useState(0);
  const sheetRef = useRef<ProjectSheet | null>(null);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const scroller = useRef<HTMLDivElement>(null);
  const onSaved = useRef(p.onSaved);
  onSaved.current = p.onSaved;

  useEffect(() => onDirty(setTyping), []);

  const load = useCallback(async () => {
    if (!p.id) return;
    try {
      const s = await commands.getProject(p.id);
      sheetRef.current = s;
      setSheet(s);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [p.id]);

  useEffect(() => {
    void load();
  }, [load]);

  // a link from 点検 (or another screen) to one cell
  const focusSeen = useRef(0);
  useEffect(() => {
    const f = p.focus;
    if (!f || !sheet || f.n === focusSeen.current || !scroller.current) return;
    focusSeen.current = f.n;
    requestAnimationFrame(() => {
      if (scroller.current && !focusField(scroller.current, f.field)) notify("info", "該当するセルが画面にありません。事業シートの該当箇所を確認してください。");
    });
  }, [p.focus, sheet]);

  const saveSnapshot = async (project: Project): Promise<true | Refused> => {
    const cur = sheetRef.current;
    if (!cur) return { refused: "事業が読み込まれていません。" };
    const t0 = performance.now();
    try {
      const r = await commands.saveProject(project, cur.revision);
      const ms = performance.now() - t0;
      latencies.push(ms);
      sheetRef.current = r.sheet;
      setSheet(r.sheet);
      onSaved.current(r.row, r.structural);
      setStatus(r.changed.length ? `保存しました（${r.changed.length} 項目、${ms.toFixed(0)} ms）` : "変更はありません");
      document.body.dataset.lastSave = String(Date.now());
      return true;
    } catch (e) {
      notify("error", `保存できませんでした: ${errorText(e)}`, isAppError(e) ? e.detail : undefined);
      setStatus("保存できませんでした");
      if (isAppError(e) && e.code === "stale") await load();
      return { refused: errorText(e) };
    }
  };

  const apply: Apply = (label, change) => {
    const job = queue.current.then(async (): Promise<true | Refused> => {
      const cur = sheetRef.current;
      if (!cur) return { refused: "事業が読み込まれていません。" };
      const draft: Project = structuredClone(cur.project);
      try {
        await change(draft);
      } catch (e) {
        // a value that cannot be read: marked in its cell, nothing saved
        setStatus(`反映できなかった入力があります（印の付いたセル）`);
        return { refused: errorText(e) };
      }
      if (JSON.stringify(draft) === JSON.stringify(cur.project)) return true;
      const before = cur.project;
      const ok = await saveSnapshot(draft);
      if (ok === true && sheetRef.current) {
        stackFor(cur.project.id).push({ label, key: cur.project.id, before, after: sheetRef.current.project });
        force((n) => n + 1);
      }
      return ok;
    });
    queue.current = track(job.catch(() => undefined));
    return job;
  };

  const undo = () => {
    const id = sheetRef.current?.project.id;
    if (!id) return;
    queue.current = track(
      queue.current.then(async () => {
        const st = stackFor(id);
        const e = st.undo();
        if (!e) return;
        if ((await saveSnapshot(e.before)) !== true) st.revertUndo();
        else setStatus(`元に戻しました：${e.label}`);
        force((n) => n + 1);
      }),
    );
  };
  const redo = () => {
    const id = sheetRef.current?.project.id;
    if (!id) return;
    queue.current = track(
      queue.current.then(async () => {
        const st = stackFor(id);
        const e = st.redo();
        if (!e) return;
        if ((await saveSnapshot(e.after)) !== true) st.revertRedo();
        else setStatus(`やり直しました：${e.label}`);
        force((n) => n + 1);
      }),
    );
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.isComposing) return;
      const target = e.target as HTMLElement | null;
      // inside a text field the browser's own undo applies to the unsaved text
      const inField = !!target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA");
      if (inField) return;
      // only while the sheet is on screen (screens stay mounted when hidden)
      if (!document.querySelector('.screen:not(.inactive) [data-testid="editor"]')) return;
      if (e.key === "z" && !e.shiftKey) {
        e.preventDefault();
        undo();
      } else if (e.key === "y" || (e.key === "z" && e.shiftKey) || e.key === "Z") {
        e.preventDefault();
        redo();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const office = p.tree.session.mode.kind === "office";
  const moveProject = async (delta: number) => {
    if (!sheet) return;
    const t = await run(commands.moveOutlineItem("project", sheet.project.id, delta), "並べ替えられません");
    if (t) p.onOutline(t, sheet.project.id);
  };
  const deleteProject = async () => {
    if (!sheet) return;
    const ok = await ask(
      "事業の削除",
      `「${sheet.code} ${sheet.project.title}」を計画から削除します。削除した事業の内容は変更履歴に残ります（同じ施策の後の事業は番号が繰り上がります）。`,
      "削除する",
      true,
    );
    if (!ok) return;
    const t = await run(commands.deleteOutlineItem("project", sheet.project.id), "削除できません");
    if (t) {
      notify("success", `「${sheet.project.title}」を削除しました。`);
      p.onOutline(t);
    }
  };
  const jump = (id: string) => {
    const el = scroller.current?.querySelector<HTMLElement>(`#${id}`);
    if (el && scroller.current) scroller.current.scrollTo({ top: el.offsetTop - 8, behavior: "auto" });
  };

  if (!p.id) {
    return (
      <section class="editor empty" data-testid="editor-empty">
        {p.tree.projects.length === 0
          ? office
            ? "事業はまだありません。左の一覧で基本方針・施策を追加し、施策の「＋事業」から事業を追加してください。"
            : "この作業用コピーには事業がありません。"
          : "左の一覧から事業を選んでください。"}
      </section>
    );
  }
  if (error) return <section class="editor empty" role="alert">{error}</section>;
  if (!sheet) return <section class="editor empty">読み込み中…</section>;

  const st = stackFor(sheet.project.id);
  const props: SectionProps = { project: sheet.project, tree: p.tree, editable: sheet.editable, apply, rollups: sheet.rollups };
  return (
    <section class="editor" aria-label="事業シート" data-testid="editor" data-project={sheet.project.id} data-revision={sheet.revision}>
      <div class="editor-bar">
        <span class="code big" data-testid="editor-code">{sheet.code}</span>
        <span class="editor-title" data-testid="editor-title" title={sheet.project.title}>{sheet.project.title}</span>
        {!sheet.editable && <span class="badge readonly">閲覧のみ（他課の事業）</span>}
        <span class="spacer" />
        {typing > 0 ? (
          <span class="typing" data-testid="unsaved" title="入力中の内容は、Enter・Tab・別の欄への移動、またはウィンドウを閉じるときに保存されます">● 入力中（未保存）</span>
        ) : (
          <span class="save-status" data-testid="save-status" aria-live="polite">{status}</span>
        )}
        <button onClick={undo} disabled={!st.canUndo()} data-testid="undo" title={st.peekUndo() ? `元に戻す：${st.peekUndo()?.label}（Ctrl+Z）` : "元に戻す（Ctrl+Z）"}>
          ↶ 元に戻す
        </button>
        <button onClick={redo} disabled={!st.canRedo()} data-testid="redo" title={st.peekRedo() ? `やり直す：${st.peekRedo()?.label}（Ctrl+Y）` : "やり直す（Ctrl+Y）"}>
          ↷ やり直す
        </button>
        <button onClick={() => void printSheet()} title="この事業シートを印刷（A4）" data-testid="print">印刷</button>
        {office && (
          <span class="project-actions">
            <button onClick={() => void moveProject(-1)} title="施策の中で一つ上へ（番号を付け直します）" aria-label="上へ" data-testid="project-up">↑</button>
            <button onClick={() => void moveProject(1)} title="施策の中で一つ下へ（番号を付け直します）" aria-label="下へ" data-testid="project-down">↓</button>
            <button class="danger-text" onClick={() => void deleteProject()} data-testid="project-delete">削除</button>
          </span>
        )}
      </div>
      <nav class="jump-bar" aria-label="事業シートの項目">
        {SECTIONS.map((s) => (
          <button class="link" onClick={() => jump(s.id)} data-testid={`jump-${s.id}`}>{s.label}</button>
        ))}
      </nav>
      <div class="editor-scroll" ref={scroller}>
        <div id="sec-indicators"><IndicatorsSection {...props} /></div>
        <div id="sec-budget"><BudgetSection {...props} /></div>
        <div id="sec-progress"><ProgressSection {...props} /></div>
        <div id="sec-texts"><TextsSection {...props} /></div>
        <div id="sec-schedule"><ScheduleSection {...props} /></div>
        <div id="sec-owners"><OwnersSection {...props} onUnitsChanged={p.onUnitsChanged} /></div>
        <div id="sec-header"><HeaderSection {...props} code={sheet.code} /></div>
        <div id="sec-footnotes"><FootnotesSection {...props} /></div>
      </div>
    </section>
  );
}
