// First start (and whenever no plan is open): who is using dxplan on this computer, then which
// plan to work on — a new plan, a plan file, the sample, or a department workbook.
import { useState } from "preact/hooks";
import { commands, run, type PlanTree, type RecentPlan, type Role } from "../api";
import { notify } from "../lib/notify";
import { NewPlanDialog } from "../components/PlanMenu";
import { formatDateTime } from "../lib/format";
import { shownPath } from "../lib/files";

export const ROLE_LABEL: Record<Role, string> = {
  office: "事務局（DX推進担当）",
  department: "課の DX推進員",
};

export function Welcome(p: { role: Role | null; recent: RecentPlan[]; onRole: (r: Role) => void; onOpened: (t: PlanTree) => void }) {
  const [creating, setCreating] = useState(false);
  const [recent, setRecent] = useState(p.recent);
  const role = p.role;

  const choose = async (r: Role) => {
    await run(commands.setRole(r), "設定を保存できません");
    p.onRole(r);
  };
  const openFile = async () => {
    const picked = await run(commands.pickFiles("plan"), "ファイルを選べません");
    if (!picked?.length) return;
    const t = await run(commands.openPlanFile(picked[0].handle), "計画ファイルを開けません");
    if (t) p.onOpened(t);
  };
  const openRecent = async (r: RecentPlan) => {
    const t = await run(commands.openPlanFile(r.file.handle), "計画ファイルを開けません");
    if (t) p.onOpened(t);
    else setRecent((await run(commands.recentPlans())) ?? recent);
  };
  const sample = async () => {
    const t = await run(commands.openSample(), "サンプルを開けません");
    if (t) {
      notify("info", "サンプル（大野城市）を開きました。自分の計画とは別のファイルです。");
      p.onOpened(t);
    }
  };
  const department = async () => {
    const picked = await run(commands.pickFiles("department_workbook"), "ファイルを選べません");
    if (!picked?.length) return;
    const t = await run(commands.openDepartmentWorkbook(picked[0].handle), "課別ブックを開けません");
    if (t) p.onOpened(t);
  };

  const actions = [
    { id: "new", label: "新しい計画", desc: "計画名・市区町村・計画期間を決めて、空の計画ファイルを作ります。", run: () => setCreating(true), office: true },
    { id: "open", label: "計画ファイルを開く", desc: "保存してある計画ファイル（.dxplan）を開きます。共有フォルダのファイルも開けます。", run: openFile, office: true },
    { id: "department", label: "課別ブックを開く", desc: "事務局から届いた課別ブック（.xlsx）を開き、自課の事業を記入して提出用ファイルを作ります。", run: department, office: false },
    { id: "sample", label: "サンプルで試す", desc: "大野城市の計画（30 事業）で操作を試します。自分の計画には影響しません。", run: sample, office: true },
  ];
  // the department's own action first for a DX推進員
  const ordered = role === "department" ? [actions[2], actions[3], actions[1], actions[0]] : actions;

  return (
    <div class="welcome" data-testid="welcome">
      <div class="welcome-inner">
        <h1>dxplan — DX推進計画エディタ</h1>
        <section class="card" data-testid="welcome-role">
          <h3>どなたが使いますか</h3>
          <div class="role-choice" role="radiogroup" aria-label="利用者">
            {(["office", "department"] as Role[]).map((r) => (
              <button role="radio" aria-checked={role === r} class={role === r ? "role active" : "role"} data-testid={`role-${r}`} onClick={() => void choose(r)}>
                <strong>{ROLE_LABEL[r]}</strong>
                <span class="small">{r === "office" ? "市の計画を管理し、各課に照会して回答を統合します。" : "自課の事業シートを記入して、事務局へ提出します。"}</span>
              </button>
            ))}
          </div>
        </section>
        {role && (
          <section class="card">
            <h3>何をしますか</h3>
            <div class="welcome-actions">
              {ordered.map((a, i) => (
                <button class={i === 0 ? "action primary" : "action"} data-testid={`welcome-${a.id}`} onClick={() => void a.run()}>
                  <strong>{a.label}</strong>
                  <span class="small">{a.desc}</span>
                </button>
              ))}
            </div>
          </section>
        )}
        {role && recent.length > 0 && (
          <section class="card" data-testid="welcome-recent">
            <h3>最近使った計画</h3>
            <ul class="recent">
              {recent.map((r) => (
                <li>
                  <button class="link" disabled={!r.exists} onClick={() => void openRecent(r)} title={shownPath(r.file)} data-testid="recent-plan">
                    {r.title}
                  </button>
                  <span class="muted small">{r.city}　{formatDateTime(r.opened_at)}　{r.exists ? shownPath(r.file) : "（ファイルが見つかりません）"}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
      {creating && <NewPlanDialog onClose={() => setCreating(false)} onCreated={(t) => { setCreating(false); p.onOpened(t); }} />}
    </div>
  );
}
