// Import wizard: pick files → dry-run preview (what would change, the importer's guesses and
// skipped cells with Sheet!A1 references) → confirm or cancel. Progress shown while it works.
import { useState } from "preact/hooks";
import { commands, progressChannel, run, type ImportReportDto, type PlanTree, type ProgressEvent } from "../api";
import { notify } from "../lib/notify";
import { ja } from "../lib/format";

type Step = "pick" | "preview" | "done";

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

const LAYOUT: Record<string, string> = {
  project_sheet: "1事業1シート",
  stacked: "複数事業（縦並び）",
  schedule: "工程表",
  flat: "一覧表",
  dxplan: "dxplan 書出し",
};

const OUTCOME: Record<string, string> = { new: "新規", matched: "既存に一致", ambiguous: "一致先が複数（適用しません）" };

export function ImportWizard(p: { onImported: (t: PlanTree) => void }) {
  const [files, setFiles] = useState<string[]>([]);
  const [step, setStep] = useState<Step>("pick");
  const [report, setReport] = useState<ImportReportDto | null>(null);
  const [busy, setBusy] = useState<ProgressEvent | null>(null);

  const pick = async () => {
    const picked = await run(commands.pickFiles("import"), "ファイルを選べません");
    if (picked && picked.length) setFiles((f) => [...f, ...picked.filter((x) => !f.includes(x))]);
  };

  const preview = async () => {
    setBusy({ done: 0, total: files.length, label: "準備中…" });
    const r = await run(commands.importPreview(files, progressChannel(setBusy)), "取り込めません");
    setBusy(null);
    if (r) {
      setReport(r);
      setStep("preview");
    }
  };

  const confirm = async () => {
    setBusy({ done: 0, total: files.length, label: "反映中…" });
    const r = await run(commands.importApply(files, progressChannel(setBusy)), "取り込めません");
    setBusy(null);
    if (!r) return;
    setReport(r);
    setStep("done");
    const s = r.summary;
    notify("success", `取り込みました：新規 ${s.projects_new} 件、一致 ${s.projects_matched} 件、変更 ${s.changes} 項目`);
    const t = await run(commands.planTree());
    if (t) p.onImported(t);
  };

  const reset = () => {
    setFiles([]);
    setReport(null);
    setStep("pick");
  };

  return (
    <section class="page" data-testid="import-wizard">
      <h2>Excel の取り込み</h2>
      <ol class="steps">
        <li class={step === "pick" ? "current" : "done"}>1. ファイルを選ぶ</li>
        <li class={step === "preview" ? "current" : step === "done" ? "done" : ""}>2. 変更内容を確認</li>
        <li class={step === "done" ? "current" : ""}>3. 取り込み完了</li>
      </ol>
      {busy && (
        <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={busy.total} aria-valuenow={busy.done} data-testid="import-progress">
          <div class="progress-bar indeterminate" />
          <span>{busy.label}</span>
        </div>
      )}
      {step === "pick" && (
        <div class="card">
          <p>従来の Excel シート（.xlsx / .xlsm / .xls / .ods）を選んでください。取り込む前に、変更される内容・推測した箇所・読み飛ばしたセルを確認できます。計画はまだ変更されません。</p>
          <div class="actions">
            <button class="primary" onClick={pick} data-testid="import-pick" disabled={!!busy}>ファイルを選ぶ…</button>
            <button onClick={preview} data-testid="import-preview" disabled={files.length === 0 || !!busy}>変更内容を確認する</button>
          </div>
          <ul class="file-list" data-testid="import-files">
            {files.map((f) => (
              <li title={f}>
                {baseName(f)} <span class="muted small">{f}</span>
                <button class="link" aria-label="外す" onClick={() => setFiles(files.filter((x) => x !== f))}>×</button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {report && step !== "pick" && <ReportView report={report} />}
      {step === "preview" && (
        <div class="actions sticky">
          <button class="primary" onClick={confirm} data-testid="import-confirm" disabled={!!busy || report?.summary.projects_new === 0 && report?.summary.changes === 0}>
            この内容で取り込む
          </button>
          <button onClick={reset} data-testid="import-cancel" disabled={!!busy}>キャンセル（何も変更しません）</button>
        </div>
      )}
      {step === "done" && (
        <div class="actions">
          <button onClick={reset} data-testid="import-again">別のファイルを取り込む</button>
        </div>
      )}
    </section>
  );
}

function ReportView({ report }: { report: ImportReportDto }) {
  const s = report.summary;
  return (
    <div class="card" data-testid="import-report">
      <h3>{report.dry_run ? "取り込むと次のように変わります（まだ変更していません）" : "取り込み結果"}</h3>
      <div class="summary-chips" data-testid="import-summary">
        <span class="chip">新規 {s.projects_new} 件</span>
        <span class="chip">既存に一致 {s.projects_matched} 件</span>
        {s.projects_ambiguous > 0 && <span class="chip warn">一致先が複数 {s.projects_ambiguous} 件</span>}
        <span class="chip">変更 {s.changes} 項目</span>
        {s.guesses > 0 && <span class="chip warn">推測 {s.guesses} 件</span>}
        {s.cells_skipped > 0 && <span class="chip warn">読み飛ばし {s.cells_skipped} セル</span>}
        {s.sheets_skipped > 0 && <span class="chip">スキップしたシート {s.sheets_skipped}</span>}
      </div>
      {report.files.map((f) => (
        <div class="import-file">
          <h4>{baseName(f.file)}</h4>
          <table class="grid report">
            <thead>
              <tr><th>シート</th><th>様式</th><th>事業</th><th>項目</th><th>指標</th><th>工程</th><th>事業費セル</th></tr>
            </thead>
            <tbody>
              {f.sheets.map((sh) =>
                sh.skipped ? (
                  <tr class="skipped"><td>{sh.sheet}</td><td colSpan={6}>スキップ：{ja(sh.skipped)}</td></tr>
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
                        <td colSpan={6}>「{pl.title}」 {OUTCOME[pl.outcome] ?? pl.outcome}、変更 {pl.changes} 項目</td>
                      </tr>
                    ))}
                    {sh.guesses.map((g) => (
                      <tr class="sub warn" data-testid="import-guess">
                        <td class="ref">{g.at}</td>
                        <td colSpan={6}>推測：{ja(g.message)}</td>
                      </tr>
                    ))}
                    {sh.skipped_cells.map((c) => (
                      <tr class="sub muted">
                        <td class="ref">{c.at}</td>
                        <td colSpan={6}>読み飛ばし：{ja(c.message)}</td>
                      </tr>
                    ))}
                  </>
                ),
              )}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
