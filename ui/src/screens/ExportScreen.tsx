// Export: the department workbook (照会用、課を選ぶ) and the master workbook (全体版), each to a
// path chosen in the native "save as" dialog.
import { useEffect, useState } from "preact/hooks";
import { commands, run, type DepartmentChoice, type ExportResult, type PlanTree } from "../api";
import { CommitInput } from "../components/CommitInput";
import { notify } from "../lib/notify";

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, "0")}${String(d.getDate()).padStart(2, "0")}`;
}

export function ExportScreen(p: { tree: PlanTree }) {
  const [depts, setDepts] = useState<DepartmentChoice[]>([]);
  const [unit, setUnit] = useState("");
  const [deadline, setDeadline] = useState("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ExportResult[]>([]);

  useEffect(() => {
    (async () => {
      const d = (await run(commands.departments(), "課の一覧を読めません")) ?? [];
      setDepts(d);
      setUnit((u) => u || d[0]?.unit_id || "");
    })();
  }, [p.tree]);

  const title = p.tree.session.info.title;
  const exportDept = async () => {
    const d = depts.find((x) => x.unit_id === unit);
    if (!d) return;
    const path = await run(commands.pickSavePath("save_workbook", `${title}_${d.name}_照会_${today()}.xlsx`));
    if (!path) return;
    setBusy(true);
    const r = await run(commands.exportDepartment(unit, path.handle, deadline || null), "書き出せません");
    setBusy(false);
    if (r) {
      setDone((x) => [r, ...x]);
      notify("success", `${d.name}の課別ブックを書き出しました（事業 ${r.projects} 件）`);
    }
  };
  const exportMaster = async () => {
    const path = await run(commands.pickSavePath("save_workbook", `${title}_全体_${today()}.xlsx`));
    if (!path) return;
    setBusy(true);
    const r = await run(commands.exportMaster(path.handle), "書き出せません");
    setBusy(false);
    if (r) {
      setDone((x) => [r, ...x]);
      notify("success", `全体ブックを書き出しました（事業 ${r.projects} 件、シート ${r.sheets.length} 枚）`);
    }
  };

  return (
    <section class="page" data-testid="export">
      <h2>Excel の書き出し</h2>
      <div class="card">
        <h3>課別ブック（照会・回答用）</h3>
        <p class="small">選んだ課が担当（主・共同）する事業のシートと表紙を書き出します。各課は Excel で記入するか、dxplan の「課モード」で開いて編集し、返送します。非表示シートに統合用の情報（書き出し ID・基準値）が入ります。</p>
        <div class="grid2">
          <label>
            <span>課</span>
            <select value={unit} onChange={(e) => setUnit(e.currentTarget.value)} data-testid="export-department">
              {depts.map((d) => <option value={d.unit_id}>{d.name}（{d.projects} 事業）</option>)}
            </select>
          </label>
          <label>
            <span>提出期限（表紙に記載、任意）</span>
            <CommitInput value={deadline} placeholder="例：2025年7月31日（木）" label="提出期限" onCommit={(v) => setDeadline(v.trim())} />
          </label>
        </div>
        <div class="actions">
          <button class="primary" onClick={exportDept} disabled={!unit || busy} data-testid="export-department-go">課別ブックを書き出す…</button>
        </div>
      </div>
      <div class="card">
        <h3>全体ブック（事務局・推進委員会用）</h3>
        <p class="small">一覧、全事業のシート、基本方針×年度の事業費集計（合計は数式と計算値）、ロードマップ、KPI シート、グラフを書き出します。</p>
        <div class="actions">
          <button class="primary" onClick={exportMaster} disabled={busy} data-testid="export-master-go">全体ブックを書き出す…</button>
        </div>
      </div>
      {busy && <div class="progress"><div class="progress-bar indeterminate" /><span>書き出し中…</span></div>}
      {done.length > 0 && (
        <div class="card" data-testid="export-done">
          <h3>書き出したファイル</h3>
          <ul class="file-list">
            {done.map((r) => (
              <li data-testid="export-result">
                {r.path} <span class="muted small">（事業 {r.projects} 件、シート {r.sheets.length} 枚、書き出し ID {r.export_id.slice(0, 8)}…）</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
