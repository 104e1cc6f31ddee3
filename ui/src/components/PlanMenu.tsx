// The 計画 menu: new plan, open, recent plans, 名前を付けて保存, 別の場所にコピー, restore a backup,
// the sample, a department workbook, and who is using the app.
import { useEffect, useRef, useState } from "preact/hooks";
import { commands, run, type BackupDto, type PickedFile, type PlanTree, type RecentPlan, type Role } from "../api";
import { notify } from "../lib/notify";
import { formatDateTime } from "../lib/format";
import { shownPath } from "../lib/files";
import { ask, Dialog } from "./Dialog";

/** A file name from a plan title (characters Windows refuses replaced). */
export function planFileName(title: string): string {
  const t = title.trim().replace(/[\\/:*?"<>|]/g, "_") || "計画";
  return `${t}.dxplan`;
}

export function NewPlanDialog(p: { onClose: () => void; onCreated: (t: PlanTree) => void }) {
  const [form, setForm] = useState({ title: "", city: "", period: "", version: "第1.0版" });
  // Where it goes: chosen in the save dialog only (the path stays on the Rust side).
  const [file, setFile] = useState<PickedFile | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });
  const pickPath = async () => {
    const picked = await run(commands.pickSavePath("save_plan", planFileName(form.title)));
    if (picked) setFile(picked);
  };
  const create = async () => {
    if (!file) return;
    setBusy(true);
    const t = await run(commands.newPlan({ ...form, file: file.handle }), "計画を作れません");
    setBusy(false);
    if (t) {
      notify("success", `新しい計画「${t.session.info.title}」を作りました。まず基本方針と施策を追加してください。`);
      p.onCreated(t);
    }
  };
  const ready = form.title.trim() && form.period.trim() && file;
  return (
    <Dialog title="新しい計画" testid="new-plan" onClose={p.onClose}>
      <div class="form-grid">
        <label><span>計画名</span><input type="text" value={form.title} onInput={set("title")} placeholder="例：○○市DX推進計画" data-testid="new-plan-title" autofocus /></label>
        <label><span>市区町村</span><input type="text" value={form.city} onInput={set("city")} placeholder="例：○○市" data-testid="new-plan-city" /></label>
        <label><span>計画期間</span><input type="text" value={form.period} onInput={set("period")} placeholder="例：2024-2027、R6～R9、令和6年度～令和9年度" data-testid="new-plan-period" /></label>
        <label><span>版</span><input type="text" value={form.version} onInput={set("version")} placeholder="例：第1.0版" data-testid="new-plan-version" /></label>
        <label class="wide">
          <span>保存先</span>
          <span class="path-row">
            <input type="text" readOnly value={file ? shownPath(file) : ""} title={file ? shownPath(file) : undefined} placeholder="計画ファイル（.dxplan）の保存先" data-testid="new-plan-path" />
            <button onClick={pickPath} data-testid="new-plan-pick">保存先を選ぶ…</button>
          </span>
        </label>
      </div>
      <p class="muted small">計画は 1 つのファイル（.dxplan）です。共有フォルダに置いても使えます（その場合は同時に 1 人ずつ編集します）。</p>
      <div class="actions end">
        <button onClick={p.onClose}>キャンセル</button>
        <button class="primary" disabled={!ready || busy} onClick={create} data-testid="new-plan-create">作成する</button>
      </div>
    </Dialog>
  );
}

export function BackupsDialog(p: { onClose: () => void; onRestored: (t: PlanTree) => void }) {
  const [list, setList] = useState<BackupDto[] | null>(null);
  useEffect(() => {
    void (async () => setList((await run(commands.backups(), "バックアップの一覧を読めません")) ?? []))();
  }, []);
  const restore = async (b: BackupDto) => {
    const ok = await ask(
      "バックアップから戻す",
      `計画を ${formatDateTime(b.taken_at)}（${b.reason}の前）の状態に戻します。今の状態もバックアップしてから戻すので、あとで元に戻せます。`,
      "この状態に戻す",
      true,
    );
    if (!ok) return;
    const t = await run(commands.restoreBackup(b.file), "戻せません");
    if (t) {
      notify("success", `${formatDateTime(b.taken_at)}（${b.reason}の前）の状態に戻しました。`);
      p.onRestored(t);
    }
  };
  return (
    <Dialog title="バックアップから戻す" testid="backups" onClose={p.onClose} wide>
      <p class="small">取り込みと統合の前に、計画ファイルのコピーを自動で保存しています（計画ごとに新しい 20 件）。</p>
      {list === null ? (
        <p>読み込み中…</p>
      ) : list.length === 0 ? (
        <p class="muted">バックアップはまだありません。</p>
      ) : (
        <table class="grid">
          <thead><tr><th>日時</th><th>何の前</th><th>大きさ</th><th></th></tr></thead>
          <tbody>
            {list.map((b) => (
              <tr data-testid="backup">
                <td>{formatDateTime(b.taken_at)}</td>
                <td>{b.reason}の前</td>
                <td class="num">{Math.max(1, Math.round(b.bytes / 1024)).toLocaleString("ja-JP")} KB</td>
                <td><button onClick={() => void restore(b)} data-testid="backup-restore">この状態に戻す</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="actions end"><button onClick={p.onClose}>閉じる</button></div>
    </Dialog>
  );
}

export function PlanMenu(p: {
  tree: PlanTree;
  role: Role | null;
  onOpened: (t: PlanTree) => void;
  onSwitchRole: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [recent, setRecent] = useState<RecentPlan[]>([]);
  const [dialog, setDialog] = useState<"new" | "backups" | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const dept = p.tree.session.mode.kind === "department";

  useEffect(() => {
    if (!open) return;
    void (async () => setRecent((await run(commands.recentPlans())) ?? []))();
    const close = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => { if (e.key === "Escape") setOpen(false); };
    window.addEventListener("mousedown", close);
    window.addEventListener("keydown", esc);
    return () => {
      window.removeEventListener("mousedown", close);
      window.removeEventListener("keydown", esc);
    };
  }, [open]);

  const item = (id: string, label: string, action: () => unknown, disabled = false, hint?: string) => (
    <button role="menuitem" class="menu-item" data-testid={`menu-${id}`} disabled={disabled} title={hint} onClick={() => { setOpen(false); void action(); }}>
      {label}
    </button>
  );

  const openFile = async () => {
    const picked = await run(commands.pickFiles("plan"), "ファイルを選べません");
    if (!picked?.length) return;
    const t = await run(commands.openPlanFile(picked[0].handle), "計画ファイルを開けません");
    if (t) p.onOpened(t);
  };
  const saveAs = async () => {
    const to = await run(commands.pickSavePath("save_plan", planFileName(p.tree.session.info.title)));
    if (!to) return;
    const t = await run(commands.savePlanAs(to.handle), "保存できません");
    if (t) {
      notify("success", `「${to.name}」に保存しました。これからはこのファイルで作業します。`);
      p.onOpened(t);
    }
  };
  const copy = async () => {
    const to = await run(commands.pickSavePath("save_plan", planFileName(`${p.tree.session.info.title}_コピー`)));
    if (!to) return;
    const r = await run(commands.copyPlanTo(to.handle), "コピーできません");
    if (r) notify("success", `計画のコピーを「${r}」に保存しました。作業は今のファイルで続けます。`);
  };
  const sample = async () => {
    const t = await run(commands.openSample(), "サンプルを開けません");
    if (t) p.onOpened(t);
  };
  const department = async () => {
    const picked = await run(commands.pickFiles("department_workbook"), "ファイルを選べません");
    if (!picked?.length) return;
    const t = await run(commands.openDepartmentWorkbook(picked[0].handle), "課別ブックを開けません");
    if (t) p.onOpened(t);
  };
  const openRecent = async (r: RecentPlan) => {
    const t = await run(commands.openPlanFile(r.file.handle), "計画ファイルを開けません");
    if (t) p.onOpened(t);
  };
  const others = recent.filter((r) => !r.current);

  return (
    <div class="plan-menu" ref={ref}>
      <button class="menu-button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="plan-menu">
        計画 ▾
      </button>
      {open && (
        <div class="menu" role="menu" data-testid="plan-menu-list">
          {item("new", "新しい計画…", () => setDialog("new"))}
          {item("open", "計画ファイルを開く…", openFile)}
          {item("save-as", "名前を付けて保存…", saveAs, dept, dept ? "課の作業用コピーでは使えません" : undefined)}
          {item("copy", "別の場所にコピー…", copy)}
          {item("backups", "バックアップから戻す…", () => setDialog("backups"), dept)}
          <div class="menu-sep" />
          <div class="menu-label">最近使った計画</div>
          {others.length === 0 && <div class="menu-label muted">（ありません）</div>}
          {others.map((r) => (
            <button role="menuitem" class="menu-item recent" disabled={!r.exists} title={shownPath(r.file)} data-testid="menu-recent" onClick={() => { setOpen(false); void openRecent(r); }}>
              {r.title}<span class="muted small"> {r.file.name}{r.exists ? "" : "（見つかりません）"}</span>
            </button>
          ))}
          <div class="menu-sep" />
          {item("sample", "サンプルで試す（大野城市）", sample)}
          {item("department", "課別ブックを開く…", department)}
          {item("role", `利用者の切り替え（現在：${p.role === "department" ? "課の DX推進員" : "事務局（DX推進担当）"}）`, p.onSwitchRole)}
        </div>
      )}
      {dialog === "new" && <NewPlanDialog onClose={() => setDialog(null)} onCreated={(t) => { setDialog(null); p.onOpened(t); }} />}
      {dialog === "backups" && <BackupsDialog onClose={() => setDialog(null)} onRestored={(t) => { setDialog(null); p.onOpened(t); }} />}
    </div>
  );
}
