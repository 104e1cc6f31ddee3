// 課モード: open a department workbook → a local working copy where only that department's
// projects are editable → check what was changed → write the answer (提出用ファイル) with
// 記入者, 連絡先 and a message to the office on its cover.
import { useEffect, useMemo, useState } from "preact/hooks";
import { commands, run, type CoverForm, type HistoryEntryView, type PlanTree } from "../api";
import { notify } from "../lib/notify";
import { formatDateTime } from "../lib/format";

export function DepartmentScreen(p: { tree: PlanTree; active?: boolean; onOpened: (t: PlanTree) => void }) {
  const mode = p.tree.session.mode;
  const [cover, setCover] = useState<CoverForm>({ respondent: "", contact: "", remarks: "" });
  const [changes, setChanges] = useState<HistoryEntryView[] | null>(null);
  const [written, setWritten] = useState<string | null>(null);

  useEffect(() => {
    if (mode.kind !== "department") return;
    void (async () => {
      const c = await run(commands.lastCover());
      if (c) setCover((old) => ({ ...c, remarks: old.remarks }));
    })();
  }, [mode.kind]);
  useEffect(() => {
    if (mode.kind !== "department" || p.active === false) return;
    void (async () => {
      const h = (await run(commands.historyView(null, 2000), "変更の一覧を読めません")) ?? [];
      setChanges(h.filter((e) => e.kind === "local_edit"));
    })();
  }, [mode.kind, p.active, p.tree]);

  const byProject = useMemo(() => {
    const m = new Map<string, { code: string; title: string; rows: HistoryEntryView[] }>();
    for (const e of changes ?? []) {
      const key = e.project_id ?? "";
      const g = m.get(key) ?? { code: e.project_code ?? "", title: e.project_title ?? "計画", rows: [] };
      g.rows.push(e);
      m.set(key, g);
    }
    return [...m.values()];
  }, [changes]);

  const openWorkbook = async () => {
    const picked = await run(commands.pickFiles("department_workbook"), "ファイルを選べません");
    if (!picked?.length) return;
    const t = await run(commands.openDepartmentWorkbook(picked[0].handle), "課別ブックを開けません");
    if (t) {
      notify("success", "課別ブックを作業用コピーとして開きました。自課の事業だけ編集できます。");
      p.onOpened(t);
    }
  };
  const leave = async () => {
    const t = await run(commands.leaveDepartmentMode(), "事務局の計画を開けません");
    if (t) p.onOpened(t);
  };
  const submit = async () => {
    if (mode.kind !== "department") return;
    const base = mode.workbook.split(/[\\/]/).pop()?.replace(/\.xlsx$/i, "") ?? "提出";
    const path = await run(commands.pickSavePath("save_workbook", `${base}_提出.xlsx`));
    if (!path) return;
    const r = await run(commands.writeAnswer(path.handle, cover), "提出用ファイルを書き出せません");
    if (r) {
      setWritten(r.path);
      notify("success", `提出用ファイルを書き出しました：${r.path}`);
    }
  };
  const set = (k: keyof CoverForm) => (e: Event) => setCover({ ...cover, [k]: (e.currentTarget as HTMLInputElement).value });

  return (
    <section class="page" data-testid="department">
      <h2>課モード（各課の DX推進員）</h2>
      {mode.kind === "department" ? (
        <>
          <div class="card">
            <h3>{mode.unit_name} の作業用コピー</h3>
            <p class="small">元のファイル：{mode.workbook}</p>
            <p class="small">
              この課が担当する事業だけを編集できます（他課の事業は閲覧のみ）。編集は作業用コピーにすぐ保存されます。記入が終わったら、下で変更を確かめてから提出用ファイルを書き出し、事務局（DX推進担当）へ返送してください。
            </p>
          </div>
          <div class="card" data-testid="department-changes">
            <h3>提出前の確認：この作業用コピーで変えたこと（{changes?.length ?? 0} 項目）</h3>
            {changes === null ? (
              <p>読み込み中…</p>
            ) : changes.length === 0 ? (
              <p class="muted small">まだ何も変えていません。受け取ったままの内容で提出することもできます。</p>
            ) : (
              <table class="grid">
                <thead><tr><th>事業</th><th>項目</th><th>変更前</th><th>変更後</th><th>日時</th></tr></thead>
                <tbody>
                  {byProject.flatMap((g) =>
                    g.rows.map((e, i) => (
                      <tr data-testid="department-change">
                        <td>{i === 0 ? `${g.code} ${g.title}` : ""}</td>
                        <td>{e.label}</td>
                        <td class="old-value">{e.old}</td>
                        <td class="new-value">{e.new}</td>
                        <td class="nowrap small">{formatDateTime(e.at)}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            )}
          </div>
          <div class="card" data-testid="department-cover">
            <h3>表紙（事務局への連絡）</h3>
            <div class="form-grid">
              <label><span>記入者（所属・氏名）</span><input type="text" value={cover.respondent} maxLength={100} onInput={set("respondent")} placeholder="例：市民課 山田 太郎" data-testid="cover-respondent" /></label>
              <label><span>連絡先（内線・メール）</span><input type="text" value={cover.contact} maxLength={200} onInput={set("contact")} placeholder="例：内線1234 yamada@city.example.jp" data-testid="cover-contact" /></label>
              <label class="wide"><span>事務局への連絡事項</span><textarea rows={3} maxLength={2000} value={cover.remarks} onInput={set("remarks")} placeholder="例：KPI の実績は 3 月末時点の見込みです。" data-testid="cover-remarks" /></label>
            </div>
            <div class="actions">
              <button class="primary" onClick={submit} disabled={!cover.respondent.trim()} data-testid="write-submission" title={cover.respondent.trim() ? "" : "記入者を入力してください"}>
                提出用ファイルを書き出す…
              </button>
              <button onClick={openWorkbook} data-testid="open-department-workbook">別の課別ブックを開く…</button>
              <button onClick={leave} data-testid="leave-department">事務局の計画に戻る</button>
            </div>
            {written && <p class="small" data-testid="submission-written">書き出しました：{written}（受け取ったときの書き出し ID と基準値がそのまま入っています）</p>}
          </div>
        </>
      ) : (
        <div class="card">
          <p>事務局（DX推進担当）から届いた課別ブック（.xlsx）を開くと、このパソコンに作業用コピーを作ります。ネットワークにつながっていなくても編集でき、自課の事業だけが編集対象になります。</p>
          <div class="actions">
            <button class="primary" onClick={openWorkbook} data-testid="open-department-workbook">課別ブックを開く…</button>
          </div>
        </div>
      )}
    </section>
  );
}
