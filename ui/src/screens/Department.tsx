// 課モード: open a department workbook → a local working copy where only that department's
// projects are editable → check what was changed → write the answer (提出用ファイル) with
// 記入者, 連絡先 and a message to the office on its cover.
import { useEffect, useMemo, useState } from "preact/hooks";
import { commands, run, type ConflictDto, type CoverForm, type HistoryEntryView, type MergeReportDto, type PickedFile, type PlanTree } from "../api";
import { notify } from "../lib/notify";
import { formatDateTime } from "../lib/format";
import { addFiles, shownPath } from "../lib/files";
import { MergeReportView } from "./MergeInbox";

/** 部 review: a 部's working copy takes in the answers of its 課 (previewed, then taken in). */
function GatherAnswers(p: { unitName: string; members: string[]; onTaken: (t: PlanTree) => void; onOpenProject?: (id: string) => void }) {
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [preview, setPreview] = useState<MergeReportDto | null>(null);
  const [result, setResult] = useState<MergeReportDto | null>(null);
  const [busy, setBusy] = useState("");
  const [open, setOpen] = useState<ConflictDto[]>([]);
  const refresh = async () => setOpen((await run(commands.conflicts(true))) ?? []);
  useEffect(() => {
    void refresh();
  }, []);
  const resolve = async (c: ConflictDto, take: "ours" | "theirs") => {
    if (c.id === null) return;
    const t = await run(commands.resolveConflict(c.id, take, null), "解決できません");
    if (!t) return;
    notify("success", `「${c.label}」を解決しました`);
    p.onTaken(t);
    await refresh();
  };
  const pick = async () => {
    const picked = await run(commands.pickFiles("submission"), "ファイルを選べません");
    if (!picked?.length) return;
    const all = addFiles(files, picked);
    setFiles(all);
    setResult(null);
    setBusy("変更内容を確認中…");
    setPreview((await run(commands.gatherPreview(all.map((f) => f.handle)), "課の回答を読めません")) ?? null);
    setBusy("");
  };
  const apply = async () => {
    setBusy("取り込み中…");
    const r = await run(commands.gatherApply(files.map((f) => f.handle)), "課の回答を取り込めません");
    setBusy("");
    if (!r) return;
    setResult(r);
    setPreview(null);
    setFiles([]);
    notify("success", `課の回答を取り込みました：反映 ${r.applied} 項目、修正が重なった項目 ${r.conflicts} 件、反映できなかった項目 ${r.refused} 件`);
    const t = await run(commands.planTree());
    if (t) p.onTaken(t);
    await refresh();
  };
  const report = preview ?? result;
  return (
    <div class="card" data-testid="gather">
      <h3>課の回答を取り込む（{p.unitName}の取りまとめ）</h3>
      <p class="small">
        このブックは {p.members.join("・")} の回答を取りまとめる部のブックです。各課から返ってきた提出用ファイルを選ぶと、事務局の統合と同じ決まりでこの作業用コピーに取り込みます（各課は自課の事業だけ）。内容を確かめてから、下で部としての提出用ファイルを 1 つ書き出して事務局へ送ってください。事務局の履歴には 課 → 部 → 事務局 の経路が残ります。
      </p>
      <div class="actions">
        <button class="primary" onClick={pick} disabled={!!busy} data-testid="gather-add">課の回答を選ぶ…</button>
        {preview && <button class="primary" onClick={apply} disabled={!!busy} data-testid="gather-apply">取り込む</button>}
        {preview && <button onClick={() => { setPreview(null); setFiles([]); }} disabled={!!busy} data-testid="gather-cancel">やめる</button>}
      </div>
      {busy && <div class="progress"><div class="progress-bar indeterminate" /><span>{busy}</span></div>}
      {files.length > 0 && <ul class="file-list" data-testid="gather-files">{files.map((f) => <li title={shownPath(f)}>{f.name}</li>)}</ul>}
      {report && <MergeReportView report={report} onOpen={p.onOpenProject ?? (() => undefined)} what="取り込み" />}
      {open.length > 0 && (
        <div data-testid="gather-conflicts">
          <h4>修正が重なった項目（未解決 {open.length} 件）</h4>
          <p class="muted small">部でも変えた項目を課も変えて返してきたものです。部の値のまま取り込んであります。どちらにするか決めてください（値を直すときは事業シートで編集します）。</p>
          <table class="grid conflicts">
            <thead><tr><th>事業・項目</th><th>基準</th><th>部（この作業用コピー）</th><th>課（回答）</th></tr></thead>
            <tbody>
              {open.map((c) => (
                <tr data-testid="conflict" data-field={c.field}>
                  <td>{c.project_code} {c.project_title}<div class="small">{c.label}</div><div class="muted small">{c.department}</div></td>
                  <td class="val base">{c.base}</td>
                  <td class="val ours"><div>{c.ours}</div><button onClick={() => void resolve(c, "ours")} data-testid="take-ours">部の値を採用</button></td>
                  <td class="val theirs"><div>{c.theirs}</div><button onClick={() => void resolve(c, "theirs")} data-testid="take-theirs">課の値を採用</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function DepartmentScreen(p: { tree: PlanTree; active?: boolean; onOpened: (t: PlanTree) => void; onChanged?: (t: PlanTree) => void; onOpenProject?: (id: string) => void }) {
  const mode = p.tree.session.mode;
  const [members, setMembers] = useState<string[]>([]);
  const exportId = mode.kind === "department" ? mode.export_id : "";
  useEffect(() => {
    setMembers([]);
    if (!exportId) return;
    void (async () => setMembers((await run(commands.reviewMembers())) ?? []))();
  }, [exportId]);
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
      setChanges(h.filter((e) => e.kind === "local_edit" || e.kind === "merge" || e.kind === "resolve"));
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
              {members.length > 0 ? "この部と、その下の課が担当する事業を編集できます（ほかの事業は閲覧のみ）。" : "この課が担当する事業だけを編集できます（他課の事業は閲覧のみ）。"}編集は作業用コピーにすぐ保存されます。記入が終わったら、下で変更を確かめてから提出用ファイルを書き出し、事務局（DX推進担当）へ返送してください。
            </p>
          </div>
          {members.length > 0 && <GatherAnswers unitName={mode.unit_name} members={members} onTaken={p.onChanged ?? p.onOpened} onOpenProject={p.onOpenProject} />}
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
