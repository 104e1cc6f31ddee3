// Import wizard: pick files → check (old → new for every changed field of a matched project;
// changes to existing values are applied only when ticked, per field or per project; labels
// nothing reads mapped to fields; new projects without a measure placed) → import (after a
// backup of the plan) → the import can be undone as a whole, here or later from the list.
// Every choice runs the core's preview again, so what is shown is what the import will do.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  commands,
  errorText,
  isAppError,
  progressChannel,
  run,
  type FieldChangeView,
  type ImportChoicesDto,
  type ImportRecordView,
  type ImportView,
  type PickedFile,
  type PlanTree,
  type ProgressEvent,
  type ProjectLineView,
} from "../api";
import { notify } from "../lib/notify";
import { formatDateTime } from "../lib/format";
import { addFiles, shownPath } from "../lib/files";
import { ask } from "../components/Dialog";

type Step = "pick" | "check" | "done";

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

const LAYOUT: Record<string, string> = {
  project_sheet: "1事業1シート",
  stacked: "複数事業（縦並び）",
  schedule: "工程表",
  flat: "一覧表",
  dxplan: "dxplan の書出し",
  dxplan_labels: "dxplan の様式（項目名で読取り）",
};

const OUTCOME: Record<string, string> = { new: "新規", matched: "既存に一致", ambiguous: "一致先が複数（反映しません）" };

const EMPTY: ImportChoicesDto = { accept_all: false, accept_projects: [], accept_fields: [], measure: null, place: [], maps: [], allow_skipped: false };

/** A held change is applied when its project, or that field of it, was ticked. */
function ticked(c: ImportChoicesDto, projectId: string, field: string): boolean {
  return c.accept_all || c.accept_projects.includes(projectId) || c.accept_fields.some((f) => f.project_id === projectId && f.field === field);
}

export function ImportWizard(p: { tree: PlanTree; onImported: (t: PlanTree) => void }) {
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [step, setStep] = useState<Step>("pick");
  const [choices, setChoices] = useState<ImportChoicesDto>(EMPTY);
  const [view, setView] = useState<ImportView | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const [busy, setBusy] = useState<ProgressEvent | null>(null);
  const [history, setHistory] = useState<ImportRecordView[]>([]);
  const seq = useRef(0);

  const loadHistory = async () => setHistory((await run(commands.imports())) ?? []);
  useEffect(() => {
    void loadHistory();
  }, [p.tree]);

  // every choice: the preview again (the latest answer wins)
  useEffect(() => {
    if (step !== "check" || files.length === 0) return;
    const n = ++seq.current;
    const timer = setTimeout(async () => {
      setBusy({ done: 0, total: files.length, label: "確認中…" });
      try {
        const v = await commands.importCheck(files.map((f) => f.handle), choices, progressChannel((e) => n === seq.current && setBusy(e)));
        if (n !== seq.current) return;
        setView(v);
        setCheckError(null);
      } catch (e) {
        if (n !== seq.current) return;
        setCheckError(errorText(e));
      } finally {
        if (n === seq.current) setBusy(null);
      }
    }, 150);
    return () => clearTimeout(timer);
  }, [step, files, choices]);

  const pick = async () => {
    const picked = await run(commands.pickFiles("import"), "ファイルを選べません");
    if (picked && picked.length) setFiles((f) => addFiles(f, picked));
  };

  const start = () => {
    setChoices(EMPTY);
    setView(null);
    setStep("check");
  };

  const confirm = async () => {
    setBusy({ done: 0, total: files.length, label: "反映中…" });
    try {
      const r = await commands.importRun(files.map((f) => f.handle), choices, progressChannel(setBusy));
      setView(r.report);
      setStep("done");
      const s = r.report.summary;
      notify("success", `取り込みました：新規 ${s.projects_new} 件、既存に一致 ${s.projects_matched} 件、反映 ${s.changes} 項目`);
      p.onImported(r.tree);
      await loadHistory();
    } catch (e) {
      notify("error", `取り込めません: ${errorText(e)}`, isAppError(e) ? e.detail : undefined);
    } finally {
      setBusy(null);
    }
  };

  const undo = async (id: number, what: string) => {
    const ok = await ask(
      "取り込みを取り消す",
      `${what}を丸ごと取り消します。作った事業・施策・基本方針を削除し、変更した事業を取り込み前の状態に戻します（その後に編集された所は残して一覧にします）。取り消す前の計画もバックアップします。`,
      "取り消す",
      true,
    );
    if (!ok) return;
    setBusy({ done: 0, total: 1, label: "取り消し中…" });
    const r = await run(commands.undoImport(id), "取り消せません");
    setBusy(null);
    if (!r) return;
    notify("success", `取り込みを取り消しました（削除した事業 ${r.projects_removed} 件、戻した事業 ${r.projects_restored} 件）`);
    if (r.kept.length) notify("info", `その後に変更されていたため残した項目：${r.kept.join("／")}`, undefined, 12000);
    p.onImported(r.tree);
    await loadHistory();
    if (step === "done") reset();
  };

  const reset = () => {
    setFiles([]);
    setView(null);
    setChoices(EMPTY);
    setStep("pick");
  };

  const blocking = view?.questions.blocking ?? [];
  return (
    <section class="page" data-testid="import-wizard">
      <div class="page-head">
        <h2>Excel・CSV の取り込み</h2>
        <ol class="steps">
          <li class={step === "pick" ? "current" : "done"}>1. ファイルを選ぶ</li>
          <li class={step === "check" ? "current" : step === "done" ? "done" : ""}>2. 変更を確認して選ぶ</li>
          <li class={step === "done" ? "current" : ""}>3. 取り込み完了</li>
        </ol>
      </div>
      {busy && (
        <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={busy.total} aria-valuenow={busy.done} data-testid="import-progress">
          <div class="progress-bar indeterminate" />
          <span>{busy.label}</span>
        </div>
      )}
      {step === "pick" && (
        <div class="card">
          <p>
            従来の Excel シート（.xlsx / .xlsm / .xls / .ods）や、財務会計などの CSV（Shift_JIS・UTF-8）を選んでください。取り込む前に、既存の値の変更を
            旧 → 新 で確認し、反映するものだけを選べます。既存の値は、選ばない限り変わりません。
          </p>
          <div class="actions">
            <button class="primary" onClick={pick} data-testid="import-pick" disabled={!!busy}>ファイルを選ぶ…</button>
            <button onClick={start} data-testid="import-preview" disabled={files.length === 0 || !!busy}>変更内容を確認する</button>
          </div>
          <ul class="file-list" data-testid="import-files">
            {files.map((f) => (
              <li title={shownPath(f)}>
                {f.name} <span class="muted small">{f.folder}</span>
                <button class="link" aria-label="外す" onClick={() => setFiles(files.filter((x) => x.handle !== f.handle))}>×</button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {step === "check" && checkError && <div class="card error-box" role="alert" data-testid="import-error">{checkError}</div>}
      {step !== "pick" && view && (
        <ImportReport view={view} choices={choices} setChoices={setChoices} tree={p.tree} editable={step === "check"} />
      )}
      {step === "check" && (
        <div class="actions sticky">
          <button class="primary" onClick={confirm} data-testid="import-confirm" disabled={!!busy || !view || blocking.length > 0}>
            この内容で取り込む
          </button>
          <button onClick={reset} data-testid="import-cancel" disabled={!!busy}>やめる（何も変更しません）</button>
          {blocking.length > 0 && <span class="warn-text small" data-testid="import-blocking">取り込む前に：{blocking.join("／")}</span>}
        </div>
      )}
      {step === "done" && view && (
        <div class="card" data-testid="import-done">
          <p>
            取り込みました（取込番号 {view.import_id ?? "－"}）。取り込み前の計画はバックアップしてあります
            {view.backup ? `（${formatDateTime(view.backup.taken_at)}、「計画」メニューの「バックアップから戻す」）` : ""}。
          </p>
          <div class="actions">
            {view.import_id !== null && (
              <button onClick={() => void undo(view.import_id!, "この取り込み")} data-testid="import-undo" disabled={!!busy}>この取り込みを取り消す</button>
            )}
            <button onClick={reset} data-testid="import-again">別のファイルを取り込む</button>
          </div>
        </div>
      )}
      {step === "pick" && history.length > 0 && (
        <div class="card" data-testid="imports">
          <h3>これまでの取り込み（新しい順）</h3>
          <table class="grid">
            <thead><tr><th>番号</th><th>日時</th><th>ファイル</th><th>新規</th><th>一致</th><th>反映</th><th>保留</th><th></th></tr></thead>
            <tbody>
              {history.map((h) => (
                <tr data-testid="import-record" class={h.undone ? "muted" : ""}>
                  <td class="num">{h.id}</td>
                  <td class="nowrap">{formatDateTime(h.imported_at)}</td>
                  <td title={h.files.join("\n")}>{h.files.map(baseName).join("、")}</td>
                  <td class="num">{h.projects_new}</td>
                  <td class="num">{h.projects_matched}</td>
                  <td class="num">{h.changes}</td>
                  <td class="num">{h.changes_held}</td>
                  <td class="nowrap">
                    {h.undone ? "取り消し済み" : <button onClick={() => void undo(h.id, `取込番号 ${h.id}（${h.files.map(baseName).join("、")}）`)} data-testid="import-record-undo" disabled={!!busy}>取り消す</button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ImportReport(p: { view: ImportView; choices: ImportChoicesDto; setChoices: (c: ImportChoicesDto) => void; tree: PlanTree; editable: boolean }) {
  const v = p.view;
  const s = v.summary;
  const c = p.choices;
  const matched: ProjectLineView[] = useMemo(
    () => v.files.flatMap((f) => f.sheets.flatMap((sh) => sh.projects)).filter((pl) => pl.outcome === "matched" && pl.fields.length > 0),
    [v],
  );
  const toggleField = (pid: string, f: FieldChangeView, on: boolean) => {
    const rest = c.accept_fields.filter((x) => !(x.project_id === pid && x.field === f.field));
    p.setChoices({ ...c, accept_fields: on ? [...rest, { project_id: pid, field: f.field }] : rest });
  };
  const toggleProject = (pid: string, on: boolean) => {
    p.setChoices({
      ...c,
      accept_projects: on ? [...c.accept_projects.filter((x) => x !== pid), pid] : c.accept_projects.filter((x) => x !== pid),
      accept_fields: c.accept_fields.filter((x) => x.project_id !== pid),
    });
  };
  const setMap = (label: string, field: string) => {
    const rest = c.maps.filter((m) => m.label !== label);
    p.setChoices({ ...c, maps: field ? [...rest, { label, field }] : rest });
  };
  const setPlace = (title: string, measure: string) => {
    const rest = c.place.filter((x) => x.title !== title);
    p.setChoices({ ...c, place: measure ? [...rest, { title, measure }] : rest });
  };
  const q = v.questions;
  const held = matched.reduce((n, pl) => n + pl.fields.filter((f) => f.kind !== "added").length, 0);
  return (
    <>
      <div class="card" data-testid="import-report">
        <h3>{v.dry_run ? "取り込むと次のようになります（まだ変更していません）" : "取り込み結果"}</h3>
        <div class="summary-chips" data-testid="import-summary">
          <span class="chip">新規 {s.projects_new} 件</span>
          <span class="chip">既存に一致 {s.projects_matched} 件</span>
          {s.projects_ambiguous > 0 && <span class="chip warn">一致先が複数 {s.projects_ambiguous} 件</span>}
          <span class="chip">反映する変更 {s.changes} 項目</span>
          {s.changes_held > 0 && <span class="chip warn">反映しない既存の値の変更 {s.changes_held} 項目</span>}
          {s.guesses > 0 && <span class="chip warn">推測 {s.guesses} 件</span>}
          {s.rows_unread > 0 && <span class="chip warn">読めなかった行 {s.rows_unread} 行（{s.cells_unread} セル）</span>}
          {s.sheets_skipped > 0 && <span class="chip">スキップしたシート {s.sheets_skipped}</span>}
        </div>
        {matched.length > 0 && (
          <div class="changes" data-testid="import-changes">
            <h4>既存の事業の変更（旧 → 新）</h4>
            <p class="muted small">
              空欄を埋める変更（「追加」）はそのまま反映します。計画にすでにある値の変更は、チェックしたものだけを反映します（{held} 項目）。
              {p.editable && held > 0 && (
                <button class="link" data-testid="accept-all" onClick={() => p.setChoices({ ...c, accept_all: !c.accept_all })}>
                  {c.accept_all ? "すべてのチェックを外す" : "すべて反映する"}
                </button>
              )}
            </p>
            {matched.map((pl) => {
              const code = p.tree.projects.find((r) => r.id === pl.project_id)?.code ?? "";
              const allOn = c.accept_all || c.accept_projects.includes(pl.project_id);
              return (
                <div class="change-project" data-testid="import-project" data-project={pl.project_id}>
                  <div class="change-head">
                    <label class="check">
                      <input type="checkbox" checked={allOn} disabled={!p.editable || c.accept_all} onChange={(e) => toggleProject(pl.project_id, e.currentTarget.checked)} data-testid="accept-project" />
                      <strong>{code} {pl.title}</strong>
                    </label>
                    <span class="muted small">{pl.at}　この事業の変更をすべて反映</span>
                  </div>
                  <table class="grid changes-table">
                    <thead><tr><th class="narrow">反映</th><th>項目</th><th>旧（計画の値）</th><th></th><th>新（ファイルの値）</th></tr></thead>
                    <tbody>
                      {pl.fields.map((f) => {
                        const on = f.kind === "added" || ticked(c, pl.project_id, f.field);
                        return (
                          <tr data-testid="import-field" data-field={f.field} data-applied={String(f.applied)} class={on ? "" : "held"}>
                            <td class="center">
                              {f.kind === "added" ? (
                                <span class="small" title="空欄を埋める変更は常に反映します">追加</span>
                              ) : (
                                <input type="checkbox" checked={on} disabled={!p.editable || allOn} aria-label={`${f.label} を反映`} onChange={(e) => toggleField(pl.project_id, f, e.currentTarget.checked)} data-testid="accept-field" />
                              )}
                            </td>
                            <td>{f.label}</td>
                            <td class="old-value">{f.old}</td>
                            <td>→</td>
                            <td class="new-value">{f.new}{f.kind === "cleared" ? "（消去）" : ""}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              );
            })}
          </div>
        )}
      </div>
      {(q.unknown_labels.length > 0 || c.maps.length > 0) && (
        <div class="card" data-testid="import-labels">
          <h3>読めなかった見出し</h3>
          <p class="muted small">どの項目として読むかを選ぶと、計画に記録され、次からは同じ見出しを自動で読みます。「読まない」を選ぶと、その行は取り込みません。</p>
          <table class="grid">
            <thead><tr><th>見出し</th><th>場所</th><th>行・セル</th><th>読み方</th></tr></thead>
            <tbody>
              {[...q.unknown_labels.map((l) => l.label), ...c.maps.map((m) => m.label).filter((l) => !q.unknown_labels.some((u) => u.label === l))].map((label) => {
                const l = q.unknown_labels.find((u) => u.label === label);
                const chosen = c.maps.find((m) => m.label === label)?.field ?? "";
                return (
                  <tr data-testid="unknown-label" data-label={label}>
                    <td>「{label}」</td>
                    <td class="ref">{l?.at.join(" ") ?? "（読めるようになりました）"}</td>
                    <td class="small">{l ? `${l.rows} 行・${l.cells} セル${l.year_cells ? `（年度の列 ${l.year_cells}）` : ""}` : ""}</td>
                    <td>
                      <select value={chosen} disabled={!p.editable} onChange={(e) => setMap(label, e.currentTarget.value)} data-testid="map-field" aria-label={`「${label}」の読み方`}>
                        <option value="">（選んでください）</option>
                        {q.fields.filter((f) => f.name !== "ignore").map((f) => <option value={f.name}>{f.label}</option>)}
                        <option value="ignore">読まない</option>
                      </select>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {q.unknown_labels.some((l) => l.year_cells > 0) && (
            <label class="check">
              <input type="checkbox" checked={c.allow_skipped} disabled={!p.editable} onChange={(e) => p.setChoices({ ...c, allow_skipped: e.currentTarget.checked })} data-testid="allow-skipped" />
              読めなかった行を読まずに取り込む（年度の値があっても取り込みません）
            </label>
          )}
        </div>
      )}
      {q.unplaced.length > 0 && (
        <div class="card" data-testid="import-unplaced">
          <h3>施策が書かれていない新しい事業</h3>
          <p class="muted small">入れる施策を選んでください（「未分類」には入れません）。</p>
          <table class="grid">
            <tbody>
              {q.unplaced.map((u) => (
                <tr data-testid="unplaced">
                  <td>「{u.title}」 <span class="ref">{u.at}</span></td>
                  <td>
                    <select value={c.place.find((x) => x.title === u.title)?.measure ?? ""} disabled={!p.editable} onChange={(e) => setPlace(u.title, e.currentTarget.value)} data-testid="place-measure">
                      <option value="">（施策を選んでください）</option>
                      {q.measures.map((m) => <option value={m.id}>{m.code} {m.title}（{m.policy}）</option>)}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <details class="card" data-testid="import-sheets">
        <summary>シートごとの読み取り結果（{v.files.reduce((n, f) => n + f.sheets.length, 0)} シート）</summary>
        {v.files.map((f) => (
          <div class="import-file">
            <h4>{baseName(f.file)}{f.encoding ? <span class="muted small">　文字コード：{f.encoding}</span> : null}</h4>
            <table class="grid report">
              <thead>
                <tr><th>シート</th><th>様式</th><th>事業</th><th>項目</th><th>指標</th><th>工程</th><th>事業費セル</th></tr>
              </thead>
              <tbody>
                {f.sheets.map((sh) =>
                  sh.skipped ? (
                    <tr class="skipped"><td>{sh.sheet}</td><td colSpan={6}>スキップ：{sh.skipped}</td></tr>
                  ) : (
                    <>
                      <tr>
                        <td>{sh.sheet}</td>
                        <td>{(sh.layout && LAYOUT[sh.layout]) ?? sh.layout ?? "不明"}</td>
                        <td>{sh.projects.length}</td>
                        <td>{sh.fields}</td>
                        <td>{sh.indicators}</td>
                        <td>{sh.tasks}</td>
                        <td>{sh.budget_cells}</td>
                      </tr>
                      {sh.projects.map((pl) => (
                        <tr class="sub">
                          <td class="ref">{pl.at}</td>
                          <td colSpan={6}>「{pl.title}」 {OUTCOME[pl.outcome] ?? pl.outcome}、反映 {pl.changes} 項目{pl.held ? `、反映しない ${pl.held} 項目` : ""}</td>
                        </tr>
                      ))}
                      {sh.guesses.map((g) => (
                        <tr class="sub warn" data-testid="import-guess">
                          <td class="ref">{g.at}</td>
                          <td colSpan={6}>推測：{g.message}</td>
                        </tr>
                      ))}
                      {sh.unread.map((u) => (
                        <tr class="sub warn">
                          <td class="ref">{u.at}</td>
                          <td colSpan={6}>読めなかった{u.column ? "列" : "行"}：「{u.label}」 {u.rows} {u.column ? "列" : "行"}・{u.cells} セル</td>
                        </tr>
                      ))}
                      {sh.skipped_cells.map((x) => (
                        <tr class="sub muted">
                          <td class="ref">{x.at}</td>
                          <td colSpan={6}>読み飛ばし：{x.message}</td>
                        </tr>
                      ))}
                    </>
                  ),
                )}
              </tbody>
            </table>
          </div>
        ))}
      </details>
    </>
  );
}
