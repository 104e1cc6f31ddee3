import { useCallback, useEffect, useState } from "preact/hooks";
import icon from "../../assets/icons/128x128.png";
import { commands, errorText, isAppError, run, type PickedFile, type PlanTree, type ProjectRow, type RecentPlan, type Role } from "./api";
import { Notices } from "./components/Notices";
import { AskHost } from "./components/Dialog";
import { PlanMenu } from "./components/PlanMenu";
import { PlanTreePane } from "./screens/PlanTree";
import { startupTiming } from "./lib/timing";
import { ProjectEditor } from "./screens/ProjectEditor";
import type { FocusRequest } from "./screens/editor/section";
import { ImportWizard } from "./screens/ImportWizard";
import { ExportScreen } from "./screens/ExportScreen";
import { MergeInbox, type InboxRequest } from "./screens/MergeInbox";
import { HistoryScreen } from "./screens/History";
import { DashboardScreen } from "./screens/Dashboard";
import { DepartmentScreen } from "./screens/Department";
import { RoundsScreen } from "./screens/RoundsScreen";
import { VersionsScreen } from "./screens/VersionsScreen";
import { ReportScreen } from "./screens/ReportScreen";
import { ChecksScreen } from "./screens/Checks";
import { ROLE_LABEL, Welcome } from "./screens/Welcome";
import { installCloseGuard } from "./lib/closing";
import { clearOlderThan, notify } from "./lib/notify";

export type Screen = "plan" | "checks" | "import" | "export" | "merge" | "history" | "dashboard" | "department" | "rounds" | "versions" | "report";

const TABS: { id: Screen; label: string; officeOnly?: boolean }[] = [
  { id: "plan", label: "計画・事業シート" },
  { id: "dashboard", label: "ダッシュボード" },
  { id: "checks", label: "点検" },
  { id: "history", label: "変更履歴" },
  { id: "import", label: "Excel取込", officeOnly: true },
  { id: "export", label: "Excel書出し", officeOnly: true },
  { id: "merge", label: "提出の統合", officeOnly: true },
  { id: "rounds", label: "照会", officeOnly: true },
  { id: "versions", label: "版・新旧対照" },
  { id: "report", label: "報告書", officeOnly: true },
  { id: "department", label: "課モード" },
];

export function App() {
  const [tree, setTree] = useState<PlanTree | null>(null);
  const [started, setStarted] = useState(false);
  const [role, setRole] = useState<Role | null>(null);
  const [recent, setRecent] = useState<RecentPlan[]>([]);
  const [fatal, setFatal] = useState<string | null>(null);
  const [screen, setScreen] = useState<Screen>("plan");
  const [visited, setVisited] = useState<Set<Screen>>(new Set(["plan"]));
  const [selected, setSelected] = useState<string | null>(null);
  const [focus, setFocus] = useState<FocusRequest | null>(null);
  const show = useCallback((sc: Screen) => {
    setScreen(sc);
    setVisited((v) => (v.has(sc) ? v : new Set([...v, sc])));
  }, []);
  const openProject = useCallback((id: string, field?: string) => {
    setSelected(id);
    setScreen("plan");
    if (field) setFocus((f) => ({ field, n: (f?.n ?? 0) + 1 }));
  }, []);
  /** The 照会 screen asks the merge inbox to open a department's answer. */
  const [inboxRequest, setInboxRequest] = useState<InboxRequest | null>(null);
  const openInInbox = useCallback((files: PickedFile[]) => {
    setInboxRequest((r) => ({ files, seq: (r?.seq ?? 0) + 1 }));
    show("merge");
  }, [show]);

  const reload = useCallback(async () => {
    try {
      setTree(await commands.planTree());
    } catch (e) {
      setFatal(errorText(e));
    }
  }, []);

  useEffect(() => {
    installCloseGuard();
    (async () => {
      try {
        const asked = performance.now();
        const s = await commands.startup();
        startupTiming.asked = asked;
        startupTiming.answered = performance.now();
        setRole(s.role);
        setRecent(s.recent);
        if (s.tree) {
          setTree(s.tree);
          setSelected(s.tree.projects[0]?.id ?? null);
        }
        setStarted(true);
      } catch (e) {
        setFatal(isAppError(e) ? `${e.message}` : errorText(e));
      }
    })();
  }, []);

  useEffect(() => {
    if (started && !tree) document.body.dataset.welcome = "1";
    else delete document.body.dataset.welcome;
  }, [started, tree]);

  /** A saved project changed its row: patch it in place (no full reload for 10,000 rows). */
  const patchRow = useCallback((row: ProjectRow, structural: boolean) => {
    if (structural) {
      void reload();
      return;
    }
    setTree((t) => (t ? { ...t, projects: t.projects.map((p) => (p.id === row.id ? row : p)) } : t));
  }, [reload]);

  /** Bumped when the plan changed outside the editor (import, merge, resolve, mode switch). */
  const [planVersion, setPlanVersion] = useState(0);
  const replaceTree = useCallback((t: PlanTree, select?: string) => {
    setTree(t);
    setPlanVersion((v) => v + 1);
    setSelected((id) => {
      if (select && t.projects.some((p) => p.id === select)) return select;
      return id && t.projects.some((p) => p.id === id) ? id : t.projects[0]?.id ?? null;
    });
  }, []);
  /** Another plan (or mode) was opened: every screen starts over. */
  const opened = useCallback((t: PlanTree) => {
    clearOlderThan(1500);
    replaceTree(t);
    setSelected(t.projects[0]?.id ?? null);
    setVisited(new Set(["plan"]));
    setScreen("plan");
  }, [replaceTree]);

  const switchRole = async () => {
    const next: Role = role === "department" ? "office" : "department";
    if (await run(commands.setRole(next), "設定を保存できません") === undefined) return;
    setRole(next);
    notify("info", `利用者を「${ROLE_LABEL[next]}」に切り替えました。`);
  };

  if (fatal) {
    return (
      <div class="fatal" role="alert" data-testid="fatal">
        <h1>計画を開けませんでした</h1>
        <p>{fatal}</p>
      </div>
    );
  }
  if (!started) {
    return <div class="loading" data-testid="loading">計画を読み込んでいます…</div>;
  }
  if (!tree) {
    return (
      <div class="welcome-shell">
        <Welcome role={role} recent={recent} onRole={setRole} onOpened={opened} />
        <Notices />
        <AskHost />
      </div>
    );
  }
  const mode = tree.session.mode;
  const dept = mode.kind === "department";
  const info = tree.session.info;
  return (
    <div class="app" data-testid="app" data-mode={mode.kind}>
      <header class="top">
        <div class="brand">
          <img src={icon} alt="" width={28} height={28} />
          <div>
            <div class="plan-title" data-testid="plan-title">{info.title}</div>
            <div class="plan-sub" title={tree.session.path}>
              {info.city}　{info.version}　{tree.session.fiscal_years[0]?.both}～{tree.session.fiscal_years.at(-1)?.both}
            </div>
          </div>
        </div>
        <div class="top-right">
          <div class={`mode-badge ${dept ? "dept" : "office"}`} data-testid="mode-badge">
            {mode.kind === "department" ? `課の作業用コピー：${mode.unit_name}` : "事務局（DX推進担当）"}
          </div>
          <PlanMenu tree={tree} role={role} onOpened={opened} onSwitchRole={() => void switchRole()} />
        </div>
      </header>
      <nav class="tabs" role="tablist">
        {TABS.filter((t) => !(dept && t.officeOnly)).map((t) => (
          <button
            role="tab"
            aria-selected={screen === t.id}
            class={screen === t.id ? "tab active" : "tab"}
            data-testid={`tab-${t.id}`}
            onClick={() => show(t.id)}
          >
            {t.label}
          </button>
        ))}
      </nav>
      <main class="content">
        {/* Screens stay mounted once visited (a wizard keeps its step when you look elsewhere). Inactive
            ones are visibility:hidden, not display:none: WebKitGTK's snapshot (WebDriver screenshots)
            hangs when the first screen is display:none. */}
        <div class={screen === "plan" ? "screen" : "screen inactive"} aria-hidden={screen !== "plan"}>
          <div class="split">
            <PlanTreePane key={`tree:${tree.session.path}`} tree={tree} selected={selected} onSelect={setSelected} onOutline={replaceTree} />
            <ProjectEditor
              key={`${selected ?? "none"}:${planVersion}`}
              id={selected}
              tree={tree}
              focus={focus}
              onSaved={patchRow}
              onUnitsChanged={reload}
              onOutline={replaceTree}
            />
          </div>
        </div>
        {visited.has("dashboard") && (
          <div class={screen === "dashboard" ? "screen" : "screen inactive"} aria-hidden={screen !== "dashboard"}>
            <DashboardScreen tree={tree} active={screen === "dashboard"} onOpenProject={openProject} />
          </div>
        )}
        {visited.has("checks") && (
          <div class={screen === "checks" ? "screen" : "screen inactive"} aria-hidden={screen !== "checks"}>
            <ChecksScreen tree={tree} active={screen === "checks"} onOpen={openProject} />
          </div>
        )}
        {visited.has("history") && (
          <div class={screen === "history" ? "screen" : "screen inactive"} aria-hidden={screen !== "history"}>
            <HistoryScreen tree={tree} selected={selected} active={screen === "history"} onOpenProject={openProject} />
          </div>
        )}
        {visited.has("import") && (
          <div class={screen === "import" ? "screen" : "screen inactive"} aria-hidden={screen !== "import"}>
            <ImportWizard tree={tree} onImported={replaceTree} />
          </div>
        )}
        {visited.has("export") && (
          <div class={screen === "export" ? "screen" : "screen inactive"} aria-hidden={screen !== "export"}>
            <ExportScreen tree={tree} />
          </div>
        )}
        {visited.has("merge") && (
          <div class={screen === "merge" ? "screen" : "screen inactive"} aria-hidden={screen !== "merge"}>
            <MergeInbox tree={tree} onMerged={replaceTree} onOpenProject={openProject} request={inboxRequest} />
          </div>
        )}
        {visited.has("rounds") && (
          <div class={screen === "rounds" ? "screen" : "screen inactive"} aria-hidden={screen !== "rounds"}>
            <RoundsScreen tree={tree} active={screen === "rounds"} onMerged={replaceTree} onOpenInInbox={openInInbox} />
          </div>
        )}
        {visited.has("versions") && (
          <div class={screen === "versions" ? "screen" : "screen inactive"} aria-hidden={screen !== "versions"}>
            <VersionsScreen tree={tree} active={screen === "versions"} onRecorded={replaceTree} onOpenProject={openProject} />
          </div>
        )}
        {visited.has("report") && (
          <div class={screen === "report" ? "screen" : "screen inactive"} aria-hidden={screen !== "report"}>
            <ReportScreen tree={tree} active={screen === "report"} />
          </div>
        )}
        {visited.has("department") && (
          <div class={screen === "department" ? "screen" : "screen inactive"} aria-hidden={screen !== "department"}>
            <DepartmentScreen tree={tree} active={screen === "department"} onOpened={(t) => { opened(t); }} onChanged={replaceTree} onOpenProject={openProject} />
          </div>
        )}
      </main>
      <Notices />
      <AskHost />
    </div>
  );
}
