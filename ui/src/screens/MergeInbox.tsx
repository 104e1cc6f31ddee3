// Merge inbox (DX office): add returned department workbooks, see per department what will
// change, merge them; 修正が重なった項目 side by side (基準 / 事務局 / 課, what changed marked)
// with one click to take either or a value typed in a multi-line editor; merged submissions
// listed with their covers (記入者, 連絡先, 連絡事項) and 「統合を取り消す」 (asked first).
import { useEffect, useState } from "preact/hooks";
import { commands, run, type ConflictDto, type MergeReportDto, type PickedFile, type PlanTree, type SubmissionView } from "../api";
import { formatDateTime, ja } from "../lib/format";
import { notify } from "../lib/notify";
import { changedPart } from "../lib/diff";
import { addFiles, shownPath } from "../lib/files";
import { ask } from "../components/Dialog";

/** A value with the part that differs from `base` marked. */
function Marked({ text, base }: { text: string; base: string }) {
  const d = changedPart(base, text);
  if (!d) return <>{text}</>;
  return (
    <>
      {text.slice(0, d.start)}
      <mark>{text.slice(d.start, d.end)}</mark>
      {text.slice(d.end)}
    </>
  );
}

function ValueEditor(p: { initial: string; onTake: (v: string) => Promise<boolean> }) {
  const [v, setV] = useState(p.initial);
  const [busy, setBusy] = useState(false);
  return (
    <div class="value-editor">
      <textarea rows={3} value={v} onInput={(e) => setV(e.currentTarget.value)} aria-label="解決する値" data-testid="take-value" />
      <button disabled={!v.trim() || busy} onClick={async () => { setBusy(true); await p.onTake(v); setBusy(false); }} data-testid="take-value-go">この値にする</button>
    </div>
  );
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** Files another screen asks the inbox to open (the 照会 screen's 「受信箱で開く」); `seq` makes each ask new. */
export interface InboxRequest {
  files: PickedFile[];
  seq: number;
}

export function MergeInbox(p: { tree: PlanTree; onMerged: (t: PlanTree) => void; onOpenProject: (id: string) => void; request?: InboxRequest | null }) {
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [preview, setPreview] = useState<MergeReportDto | null>(null);
  const [result, setResult] = useState<MergeReportDto | null>(null);
  const [open, setOpen] = useState<ConflictDto[]>([]);
  const [subs, setSubs] = useState<SubmissionView[]>([]);
  const [busy, setBusy] = useState("");

  const refresh = async () => {
    setOpen((await run(commands.conflicts(true))) ?? []);
    setSubs((await run(commands.submissionsView())) ?? []);
  };
  useEffect(() => {
    void refresh();
  }, [p.tree]);

  const afterChange = async () => {
    const t = await run(commands.planTree());
    if (t) p.onMerged(t);
    await refresh();
  };

  const previewFiles = async (all: PickedFile[]) => {
    setFiles(all);
    setResult(null);
    setBusy("変更内容を確認中…");
    setPreview((await run(commands.mergePreview(all.map((f) => f.handle)), "統合できません")) ?? null);
    setBusy("");
  };

  const add = async () => {
    const picked = await run(commands.pickFiles("submission"), "ファイルを選べません");
    if (!picked?.length) return;
    await previewFiles(addFiles(files, picked));
  };

  useEffect(() => {
    if (p.request?.files.length) void previewFiles(p.request.files);
  }, [p.request?.seq]);

  const apply = async () => {
    setBusy("統合中…");
    const r = await run(commands.mergeApply(files.map((f) => f.handle)), "統合できません");
    setBusy("");
    if (!r) return;
    setResult(r);
    setPreview(null);
    setFiles([]);
    notify("success", `統合しました：反映 ${r.applied} 項目、修正が重なった項目 ${r.conflicts} 件、反映できなかった項目 ${r.refused} 件、新規提案 ${r.proposals} 件`);
    await afterChange();
  };

  const resolve = async (c: ConflictDto, take: "ours" | "theirs" | "value", value?: string) => {
    if (c.id === null) return false;
    const t = await run(commands.resolveConflict(c.id, take, value ?? null), "解決できません");
    if (!t) return false;
    notify("success", `「${c.label}」を解決しました`);
    p.onMerged(t);
    await refresh();
    return true;
  };

  const undo = async (s: SubmissionView) => {
    const ok = await ask(
      "統合を取り消す",
      `${s.department}の提出（${baseName(s.file)}、${formatDateTime(s.merged_at)} 統合）で反映した値を、統合の前に戻します。統合の後に変更された項目はそのまま残し、一覧で知らせます。取り消す前の計画もバックアップします。`,
      "統合を取り消す",
      true,
    );
    if (!ok) return;
    setBusy("統合を取り消し中…");
    const r = await run(commands.undoMerge(s.id), "取り消せません");
    setBusy("");
    if (!r) return;
    notify("success", `${s.department}の統合を取り消しました（${r.reverted} 項目を戻しました${r.kept.length ? `、その後に変更された ${r.kept.length} 項目はそのまま` : ""}）`);
    if (r.kept.length) notify("info", `取り消さなかった項目：${r.kept.join("／")}`, undefined, 12000);
    await afterChange();
  };

  const report = preview ?? result;
  return (
    <section class="page" data-testid="merge">
      <div class="page-head">
        <h2>提出の統合</h2>
        <div class="actions">
          <button class="primary" onClick={add} disabled={!!busy} data-testid="merge-add">提出ファイルを追加…</button>
          {preview && <button class="primary" onClick={apply} disabled={!!busy} data-testid="merge-apply">統合する</button>}
          {preview && <button onClick={() => { setPreview(null); setFiles([]); }} disabled={!!busy} data-testid="merge-cancel">やめる</button>}
        </div>
      </div>
      {busy && <div class="progress"><div class="progress-bar indeterminate" /><span>{busy}</span></div>}
      {files.length > 0 && (
        <ul class="file-list" data-testid="merge-files">
          {files.map((f) => <li title={shownPath(f)}>{f.name}</li>)}
        </ul>
      )}
      {report && <MergeReportView report={report} onOpen={p.onOpenProject} />}
      <div class="card" data-testid="conflicts">
        <h3>修正が重なった項目（未解決 {open.length} 件）</h3>
        <p class="muted small">課に送った後に事務局でも変えた項目を、課も変えて返してきたものです。どちらかを採用するか、値を入力して決めてください。基準から変わった部分に印を付けています。</p>
        {open.length === 0 ? (
          <p class="muted small">未解決の項目はありません。</p>
        ) : (
          <table class="grid conflicts">
            <thead>
              <tr><th>事業・項目</th><th>基準（課が受け取った値）</th><th>事務局（現在の値）</th><th>課（提出された値）</th><th>値を入力して決める</th></tr>
            </thead>
            <tbody>
              {open.map((c) => (
                <tr data-testid="conflict" data-field={c.field}>
                  <td>
                    <button class="link" onClick={() => p.onOpenProject(c.project_id)}>{c.project_code}</button> {c.project_title}
                    <div class="small">{c.label}</div>
                    <div class="muted small">{c.department}・<span class="ref">{c.at}</span></div>
                  </td>
                  <td class="val base">{c.base}</td>
                  <td class="val ours">
                    <div><Marked text={c.ours} base={c.base} /></div>
                    <button onClick={() => void resolve(c, "ours")} data-testid="take-ours">事務局の値を採用</button>
                  </td>
                  <td class="val theirs">
                    <div><Marked text={c.theirs} base={c.base} /></div>
                    <button onClick={() => void resolve(c, "theirs")} data-testid="take-theirs">課の値を採用</button>
                  </td>
                  <td>
                    <ValueEditor initial={c.theirs} onTake={(v) => resolve(c, "value", v)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div class="card" data-testid="submissions">
        <h3>統合した提出（新しい順）</h3>
        {subs.length === 0 ? (
          <p class="muted small">まだありません。</p>
        ) : (
          <table class="grid">
            <thead>
              <tr><th>課</th><th>記入者・連絡先</th><th>連絡事項</th><th>ファイル</th><th>統合</th><th>未解決</th><th></th></tr>
            </thead>
            <tbody>
              {subs.map((s) => (
                <tr data-testid="submission" class={s.undone ? "muted" : ""}>
                  <td>{s.department}</td>
                  <td data-testid="submission-who">{s.respondent || <span class="muted">（記入なし）</span>}{s.contact ? <div class="small">{s.contact}</div> : null}</td>
                  <td class="small pre" data-testid="submission-remarks">{s.remarks}</td>
                  <td title={`${s.file}\n書き出し：${formatDateTime(s.exported_at)}`}>{baseName(s.file)}</td>
                  <td class="nowrap">{formatDateTime(s.merged_at)}</td>
                  <td>{s.open_conflicts}</td>
                  <td>{s.undone ? "取り消し済み" : <button onClick={() => void undo(s)} disabled={!!busy} data-testid="undo-merge">統合を取り消す</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

/** What a merge (or, for a 部, taking its 課's answers in: `what` 「取り込み」) does or did. */
export function MergeReportView({ report, onOpen, what = "統合" }: { report: MergeReportDto; onOpen: (id: string) => void; what?: string }) {
  return (
    <div class="card" data-testid="merge-report">
      <h3>{report.dry_run ? `${what}すると次のように変わります（まだ変更していません）` : `${what}の結果`}</h3>
      <div class="summary-chips">
        <span class="chip">反映 {report.applied} 項目</span>
        <span class={`chip${report.conflicts ? " warn" : ""}`}>修正が重なった項目 {report.conflicts} 件</span>
        {report.refused > 0 && <span class="chip warn">反映できなかった項目 {report.refused} 件</span>}
        {report.proposals > 0 && <span class="chip">新規提案 {report.proposals} 件</span>}
        {report.already_merged > 0 && <span class="chip">統合済み {report.already_merged} 件</span>}
      </div>
      {report.submissions.map((s) => (
        <div class="submission">
          <h4>{s.department} <span class="muted small">{baseName(s.file)}{s.already_merged ? "（この提出は統合済みです。変更はありません）" : ""}</span></h4>
          {s.projects.filter((pm) => pm.applied.length + pm.conflicts.length + pm.refused.length > 0).map((pm) => (
            <div class="pm">
              <div><button class="link" onClick={() => onOpen(pm.project_id)}>{pm.code}</button> {pm.title}</div>
              <table class="grid report">
                <tbody>
                  {pm.applied.map((f) => (
                    <tr data-testid="merge-applied"><td class="ref">{f.at}</td><td>{f.label}</td><td class="old">{f.old}</td><td>→</td><td class="new">{f.new}</td></tr>
                  ))}
                  {pm.conflicts.map((c) => (
                    <tr class="warn" data-testid="merge-conflict"><td class="ref">{c.at}</td><td>修正が重なった項目：{c.label}</td><td>事務局 {c.ours}</td><td>／</td><td>課 {c.theirs}</td></tr>
                  ))}
                  {pm.refused.map((r) => (
                    <tr class="warn"><td class="ref">{r.at}</td><td>反映できなかった項目：{r.label}</td><td colSpan={3}>{ja(r.reason)}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
          {s.proposals.map((x) => <div class="small">新規提案：{x}</div>)}
          {s.skipped_sheets.map((x) => <div class="small muted">読み飛ばし：{x.at} {ja(x.reason)}</div>)}
        </div>
      ))}
    </div>
  );
}
