// A recorded version, read-only: the plan tree and the project sheet as they were, every field
// disabled and any edit refused with a message. Clearly marked 「第1.0版（閲覧のみ）」 so it is
// never taken for the plan being edited.
import { useEffect, useState } from "preact/hooks";
import { commands, errorText, run, type PlanTree, type ProjectSheet } from "../api";
import { notify } from "../lib/notify";
import { PlanTreePane } from "./PlanTree";
import type { Apply, SectionProps } from "./editor/section";
import { HeaderSection } from "./editor/Header";
import { OwnersSection } from "./editor/Owners";
import { TextsSection } from "./editor/Texts";
import { IndicatorsSection } from "./editor/Indicators";
import { ScheduleSection } from "./editor/Schedule";
import { BudgetSection } from "./editor/Budget";
import { ProgressSection } from "./editor/Progress";
import { FootnotesSection } from "./editor/Footnotes";
import "./cycle.css";

export function VersionViewer(p: { label: string; onClose: () => void; onCompare: (label: string) => void }) {
  const [tree, setTree] = useState<PlanTree | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    (async () => {
      try {
        const t = await commands.versionTree(p.label);
        setTree(t);
        setSelected(t.projects[0]?.id ?? null);
      } catch (e) {
        setError(errorText(e));
      }
    })();
    return () => void commands.closeVersion().catch(() => undefined);
  }, [p.label]);

  const badge = `${p.label}（閲覧のみ）`;
  return (
    <section class="version-view" data-testid="version-view" data-label={p.label}>
      <div class="version-bar">
        <span class="ro-badge" data-testid="version-readonly-badge">{badge}</span>
        <span class="small">{tree ? `${tree.session.info.title}　${tree.projects.length} 事業` : "読み込み中…"}　この版は記録した時点の計画です。編集は現在の計画で行ってください。</span>
        <span class="spacer" />
        <button onClick={() => p.onCompare(p.label)} data-testid="version-view-compare">この版と現在を比較</button>
        <button class="primary" onClick={p.onClose} data-testid="version-close">閉じる（版の一覧へ）</button>
      </div>
      {error && <p class="err" role="alert">{error}</p>}
      {tree && (
        <div class="split">
          <PlanTreePane tree={tree} selected={selected} onSelect={setSelected} />
          <ReadOnlySheet key={selected ?? "none"} label={p.label} id={selected} tree={tree} />
        </div>
      )}
    </section>
  );
}

function ReadOnlySheet(p: { label: string; id: string | null; tree: PlanTree }) {
  const [sheet, setSheet] = useState<ProjectSheet | null>(null);
  useEffect(() => {
    if (!p.id) return;
    void (async () => setSheet((await run(commands.versionProject(p.label, p.id ?? ""), "事業シートを読めません")) ?? null))();
  }, [p.id, p.label]);

  if (!p.id) return <section class="editor empty">左の一覧から事業を選んでください。</section>;
  if (!sheet) return <section class="editor empty">読み込み中…</section>;
  // Nothing here can be saved: the sections are disabled, and any edit that gets through is refused.
  const apply: Apply = async () => {
    notify("error", `${p.label}は閲覧のみです。編集は現在の計画（「計画・事業シート」）で行ってください。`);
    document.body.dataset.refusedEdit = String(Date.now());
    return { refused: `${p.label}は閲覧のみです` };
  };
  const props: SectionProps = { project: sheet.project, tree: p.tree, editable: false, apply, rollups: sheet.rollups };
  return (
    <section class="editor readonly-version" aria-label={`事業シート（${p.label}、閲覧のみ）`} data-testid="version-editor" data-project={sheet.project.id}>
      <div class="editor-bar">
        <span class="code big" data-testid="version-editor-code">{sheet.code}</span>
        <span class="badge readonly">{p.label}（閲覧のみ）</span>
      </div>
      <div class="editor-scroll">
        <HeaderSection {...props} code={sheet.code} />
        <OwnersSection {...props} onUnitsChanged={() => undefined} />
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
