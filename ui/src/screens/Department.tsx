// Department mode: open a department workbook → a local working copy where only that
// department's projects are editable → 「提出用ファイルを書き出す」.
import { commands, run, type PlanTree } from "../api";
import { notify } from "../lib/notify";

export function DepartmentScreen(p: { tree: PlanTree; onOpened: (t: PlanTree) => void }) {
  const mode = p.tree.session.mode;
  const openWorkbook = async () => {
    const picked = await run(commands.pickFiles("department_workbook"), "ファイルを選べません");
    if (!picked?.length) return;
    const t = await run(commands.openDepartmentWorkbook(picked[0]), "課別ブックを開けません");
    if (t) {
      notify("success", "課別ブックを作業用コピーとして開きました。自課の事業だけ編集できます。");
      p.onOpened(t);
    }
  };
  const leave = async () => {
    const t = await run(commands.leaveDepartmentMode(), "本庁の計画を開けません");
    if (t) p.onOpened(t);
  };
  const submit = async () => {
    if (mode.kind !== "department") return;
    const base = mode.workbook.split(/[\\/]/).pop()?.replace(/\.xlsx$/i, "") ?? "提出";
    const path = await run(commands.pickSavePath("save_workbook", `${base}_提出.xlsx`));
    if (!path) return;
    const r = await run(commands.writeSubmission(path), "提出用ファイルを書き出せません");
    if (r) notify("success", `提出用ファイルを書き出しました：${r.path}`);
  };
  return (
    <section class="page" data-testid="department">
      <h2>課モード（各課の DX推進員）</h2>
      {mode.kind === "department" ? (
        <div class="card">
          <h3>{mode.unit_name} の作業用コピー</h3>
          <p class="small">元のファイル：{mode.workbook}</p>
          <p class="small">この課が担当する事業だけを編集できます（他課の事業は閲覧のみ）。編集は作業用コピーにすぐ保存されます。記入が終わったら提出用ファイルを書き出し、DX推進担当へ返送してください。書き出したファイルには、受け取ったときの書き出し ID と基準値がそのまま入ります。</p>
          <div class="actions">
            <button class="primary" onClick={submit} data-testid="write-submission">提出用ファイルを書き出す</button>
            <button onClick={openWorkbook} data-testid="open-department-workbook">別の課別ブックを開く…</button>
            <button onClick={leave} data-testid="leave-department">本庁の計画に戻る</button>
          </div>
        </div>
      ) : (
        <div class="card">
          <p>DX推進担当から届いた課別ブック（.xlsx）を開くと、このパソコンに作業用コピーを作ります。ネットワークにつながっていなくても編集でき、自課の事業だけが編集対象になります。</p>
          <div class="actions">
            <button class="primary" onClick={openWorkbook} data-testid="open-department-workbook">課別ブックを開く…</button>
          </div>
        </div>
      )}
    </section>
  );
}
