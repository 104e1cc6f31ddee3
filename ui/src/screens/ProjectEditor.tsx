// The project sheet editor: every field of a project. Each edit is saved at once as one
// transaction (save_project); edits are queued so they apply in order on the latest revision.
// Undo/redo restore whole-project snapshots (each again one transaction, logged).
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { commands, errorText, isAppError, type PlanTree, type ProjectDto, type ProjectRow, type ProjectSheet, type RollupDto } from "../api";
import { notify } from "../lib/notify";
import { UndoStack } from "../lib/undo";
import { HeaderSection } from "./editor/Header";
import { OwnersSection } from "./editor/Owners";
import { TextsSection } from "./editor/Texts";
import { IndicatorsSection } from "./editor/Indicators";
import { ScheduleSection } from "./editor/Schedule";
import { BudgetSection } from "./editor/Budget";
import { ProgressSection } from "./editor/Progress";
import { FootnotesSection } from "./editor/Footnotes";

/** Applies a change to a draft of the project and saves it; resolves false when refused. */
export type Apply = (label: string, change: (draft: ProjectDto) => void | Promise<void>) => Promise<boolean>;

export interface SectionProps {
  project: ProjectDto;
  tree: PlanTree;
  editable: boolean;
  apply: Apply;
  /** Roll-up indicators of the project (sums of others): shown computed, read-only. */
  rollups?: RollupDto[];
}

const stacks = new Map<string, UndoStack<ProjectDto>>();
function stackFor(id: string): UndoStack<ProjectDto> {
  let s = stacks.get(id);
  if (!s) stacks.set(id, (s = new UndoStack<ProjectDto>()));
  return s;
}

/** Round-trip times of saves (ms), for the bench (scripts/bench-app.sh reads them over WebDriver). */
const latencies: number[] = [];
(globalThis as unknown as { __dxplanSaveLatencies: number[] }).__dxplanSaveLatencies = latencies;

export function ProjectEditor(p: {
  id: string | null;
  tree: PlanTree;
  onSaved: (row: ProjectRow, structural: boolean) => void;
  onUnitsChanged: () => void;
}) {
  const [sheet, setSheet] = useState<ProjectSheet | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string>("");
  const [, force] = useState(0);
  const sheetRef = useRef<ProjectSheet | null>(null);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const onSaved = useRef(p.onSaved);
  onSaved.current = p.onSaved;

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

  const saveSnapshot = async (project: ProjectDto): Promise<boolean> => {
    const cur = sheetRef.current;
    if (!cur) return false;
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
      return false;
    }
  };

  const apply: Apply = (label, change) => {
    const job = queue.current.then(async () => {
      const cur = sheetRef.current;
      if (!cur) return false;
      const draft: ProjectDto = structuredClone(cur.project);
      try {
        await change(draft);
      } catch (e) {
        notify("error", errorText(e));
        return false;
      }
      if (JSON.stringify(draft) === JSON.stringify(cur.project)) return true;
      const before = cur.project;
      const ok = await saveSnapshot(draft);
      if (ok && sheetRef.current) {
        stackFor(cur.project.id).push({ label, key: cur.project.id, before, after: sheetRef.current.project });
        force((n) => n + 1);
      }
      return ok;
    });
    queue.current = job.catch(() => undefined);
    return job;
  };

  const undo = () => {
    const id = sheetRef.current?.project.id;
    if (!id) return;
    queue.current = queue.current.then(async () => {
      const st = stackFor(id);
      const e = st.undo();
      if (!e) return;
      if (!(await saveSnapshot(e.before))) st.revertUndo();
      else setStatus(`元に戻しました：${e.label}`);
      force((n) => n + 1);
    });
  };
  const redo = () => {
    const id = sheetRef.current?.project.id;
    if (!id) return;
    queue.current = queue.current.then(async () => {
      const st = stackFor(id);
      const e = st.redo();
      if (!e) return;
      if (!(await saveSnapshot(e.after))) st.revertRedo();
      else setStatus(`やり直しました：${e.label}`);
      force((n) => n + 1);
    });
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

  if (!p.id) return <section class="editor empty">左の一覧から事業を選んでください。</section>;
  if (error) return <section class="editor empty" role="alert">{error}</section>;
  if (!sheet) return <section class="editor empty">読み込み中…</section>;

  const st = stackFor(sheet.project.id);
  const props: SectionProps = { project: sheet.project, tree: p.tree, editable: sheet.editable, apply, rollups: sheet.rollups };
  return (
    <section class="editor" aria-label="事業シート" data-testid="editor" data-project={sheet.project.id} data-revision={sheet.revision}>
      <div class="editor-bar">
        <span class="code big" data-testid="editor-code">{sheet.code}</span>
        {!sheet.editable && <span class="badge readonly">閲覧のみ（他課の事業）</span>}
        <span class="spacer" />
        <span class="save-status" data-testid="save-status" aria-live="polite">{status}</span>
        <button onClick={undo} disabled={!st.canUndo()} data-testid="undo" title={st.peekUndo() ? `元に戻す：${st.peekUndo()?.label}（Ctrl+Z）` : "元に戻す（Ctrl+Z）"}>
          ↶ 元に戻す
        </button>
        <button onClick={redo} disabled={!st.canRedo()} data-testid="redo" title={st.peekRedo() ? `やり直す：${st.peekRedo()?.label}（Ctrl+Y）` : "やり直す（Ctrl+Y）"}>
          ↷ やり直す
        </button>
      </div>
      <div class="editor-scroll">
        <HeaderSection {...props} code={sheet.code} />
        <OwnersSection {...props} onUnitsChanged={p.onUnitsChanged} />
        <TextsSection {...props} />
        <IndicatorsSection {...props} />
        <ScheduleSection {...props} />
        <BudgetSection {...props} />
        <ProgressSection {...props} />
        <FootnotesSection {...props} />
      </div>
    </section>
  );
}
