// 工程: tasks as bars over the fiscal years. Drag the bar to move it, drag an end to change
// its start or end year, or type the years (2023, R5, 令和5年度). Arrow keys on a focused
// bar move it (Shift: change the end). Each finished drag is one saved edit.
import { useRef, useState } from "preact/hooks";
import type { Task } from "../../api";
import type { SectionProps } from "./section";
import { CommitInput } from "../../components/CommitInput";
import { currentFiscalYear, seireki, wareki, warekiShort } from "../../lib/format";
import { dragSpan, parseFy, yearsMoved, type DragMode, type Span } from "../../lib/schedule";

export function ScheduleSection(p: SectionProps) {
  const ro = !p.editable;
  const { first_fy, last_fy } = p.tree.session.info;
  const years: number[] = [];
  for (let y = first_fy; y <= last_fy; y++) years.push(y);
  return (
    <fieldset class="card" disabled={ro}>
      <legend>スケジュール（工程）</legend>
      <div class="table-wrap">
        <table class="grid schedule" data-testid="schedule">
          <thead>
            <tr>
              <th class="task-name">取組・工程</th>
              <th class="bars-head">
                <div class="bar-cols" style={{ gridTemplateColumns: `repeat(${years.length}, 1fr)` }}>
                  {years.map((fy) => (
                    <div class="fy">
                      <div>{seireki(fy)}</div>
                      <div class="wareki">（{wareki(fy)}）</div>
                    </div>
                  ))}
                </div>
              </th>
              <th>開始</th>
              <th>終了</th>
              <th title="年度が推定（旧様式の矢印・塗りつぶしから読み取り）でないこと">確定</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {p.project.schedule.map((t, idx) => (
              <TaskRow task={t} idx={idx} years={years} first={first_fy} last={last_fy} {...p} ro={ro} />
            ))}
          </tbody>
        </table>
      </div>
      {!ro && (
        <div class="actions">
          <button
            data-testid="task-add"
            onClick={() =>
              void p.apply("工程の追加", (d) => {
                const fy = Math.min(last_fy, Math.max(first_fy, currentFiscalYear()));
                d.schedule.push({ id: crypto.randomUUID(), name: "新しい工程", start_fy: fy, end_fy: fy, phases: {}, confirmed: true });
              })
            }
          >
            ＋ 工程を追加
          </button>
        </div>
      )}
    </fieldset>
  );
}

function TaskRow(p: SectionProps & { task: Task; idx: number; years: number[]; first: number; last: number; ro: boolean }) {
  const t = p.task;
  const area = useRef<HTMLDivElement>(null);
  const [preview, setPreview] = useState<Span | null>(null);
  const drag = useRef<{ mode: DragMode; x0: number; span: Span; pointer: number } | null>(null);
  const span = preview ?? { start_fy: t.start_fy, end_fy: t.end_fy };
  const n = p.years.length;
  const left = ((span.start_fy - p.first) / n) * 100;
  const width = ((span.end_fy - span.start_fy + 1) / n) * 100;
  const label = `工程「${t.name}」`;

  const save = (s: Span) => {
    if (s.start_fy === t.start_fy && s.end_fy === t.end_fy) return;
    void p.apply(`${label}の年度`, (d) => {
      const x = d.schedule[p.idx];
      x.start_fy = s.start_fy;
      x.end_fy = s.end_fy;
      // phase labels outside the new span would be orphans: keep only those inside
      x.phases = Object.fromEntries(Object.entries(x.phases ?? {}).filter(([fy]) => Number(fy) >= s.start_fy && Number(fy) <= s.end_fy));
    });
  };

  const down = (mode: DragMode) => (e: PointerEvent) => {
    if (p.ro || e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    drag.current = { mode, x0: e.clientX, span: { start_fy: t.start_fy, end_fy: t.end_fy }, pointer: e.pointerId };
  };
  const move = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || !area.current) return;
    const colW = area.current.clientWidth / n;
    setPreview(dragSpan(d.span, d.mode, yearsMoved(e.clientX - d.x0, colW), p.first, p.last));
  };
  const up = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || !area.current) return;
    drag.current = null;
    const colW = area.current.clientWidth / n;
    const s = dragSpan(d.span, d.mode, yearsMoved(e.clientX - d.x0, colW), p.first, p.last);
    setPreview(null);
    save(s);
  };
  const key = (e: KeyboardEvent) => {
    if (p.ro) return;
    const delta = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!delta) return;
    e.preventDefault();
    save(dragSpan({ start_fy: t.start_fy, end_fy: t.end_fy }, e.shiftKey ? "end" : e.altKey ? "start" : "move", delta, p.first, p.last));
  };
  const typed = (which: "start_fy" | "end_fy") => (text: string) => {
    const fy = parseFy(text);
    return p.apply(`${label}の${which === "start_fy" ? "開始" : "終了"}年度`, (d) => {
      if (fy === null) throw new Error(`「${text}」は年度として読めません（例: 2023、R5、令和5年度）。`);
      const x = d.schedule[p.idx];
      x[which] = fy;
      if (x.start_fy > x.end_fy) throw new Error("開始年度が終了年度より後になります。");
    });
  };

  return (
    <>
      <tr class="task" data-testid={`task-${p.idx}`}>
        <td class="task-name">
          <CommitInput value={t.name} label="工程名" field={`task/${t.id}`} onCommit={(v) => p.apply("工程名", (d) => { d.schedule[p.idx].name = v.trim(); })} />
        </td>
        <td class="bars">
          <div class="bar-area" ref={area} style={{ gridTemplateColumns: `repeat(${n}, 1fr)` }}>
            {p.years.map(() => <div class="bar-col" />)}
            <div
              class={`bar${t.confirmed ? "" : " guessed"}${preview ? " dragging" : ""}`}
              style={{ left: `${left}%`, width: `${width}%` }}
              tabIndex={p.ro ? -1 : 0}
              role="slider"
              aria-label={`${label}：${warekiShort(span.start_fy)}～${warekiShort(span.end_fy)}`}
              aria-valuemin={p.first}
              aria-valuemax={p.last}
              aria-valuenow={span.start_fy}
              data-testid={`task-bar-${p.idx}`}
              data-start={span.start_fy}
              data-end={span.end_fy}
              onPointerDown={down("move")}
              onPointerMove={move}
              onPointerUp={up}
              onPointerCancel={() => { drag.current = null; setPreview(null); }}
              onKeyDown={key}
              title={t.confirmed ? "ドラッグで移動、端をドラッグで期間変更" : "年度は推定です（旧様式の読み取り）。確認したら「確定」に印を付けてください。"}
            >
              <span class="handle start" onPointerDown={down("start")} onPointerMove={move} onPointerUp={up} />
              <span class="bar-label">
                {Array.from({ length: span.end_fy - span.start_fy + 1 }, (_, i) => t.phases?.[String(span.start_fy + i) as unknown as number] ?? "").filter(Boolean).join(" → ") ||
                  `${warekiShort(span.start_fy)}～${warekiShort(span.end_fy)}`}
              </span>
              <span class="handle end" onPointerDown={down("end")} onPointerMove={move} onPointerUp={up} />
            </div>
          </div>
        </td>
        <td class="fy-input">
          <CommitInput value={String(t.start_fy)} size={6} label={`${label}の開始年度`} testid={`task-start-${p.idx}`} onCommit={typed("start_fy")} />
        </td>
        <td class="fy-input">
          <CommitInput value={String(t.end_fy)} size={6} label={`${label}の終了年度`} testid={`task-end-${p.idx}`} onCommit={typed("end_fy")} />
        </td>
        <td class="center">
          <input type="checkbox" checked={t.confirmed} aria-label="年度を確定" onChange={(e) => { const v = e.currentTarget.checked; void p.apply(`${label}の確定`, (d) => { d.schedule[p.idx].confirmed = v; }); }} />
        </td>
        <td>
          {!p.ro && <button class="link danger" title="削除は「元に戻す」で取り消せます" onClick={() => void p.apply(`${label}の削除`, (d) => { d.schedule.splice(p.idx, 1); })}>削除</button>}
        </td>
      </tr>
      <tr class="phases">
        <td class="muted small">段階（年度ごと）</td>
        <td class="bars">
          <div class="phase-cols" style={{ gridTemplateColumns: `repeat(${n}, 1fr)` }}>
            {p.years.map((fy) => {
              const inside = fy >= t.start_fy && fy <= t.end_fy;
              const v = (t.phases as Record<string, string>)[String(fy)] ?? "";
              return (
                <CommitInput
                  value={v}
                  disabled={!inside || p.ro}
                  placeholder={inside ? "（段階）" : ""}
                  label={`${label} ${seireki(fy)} の段階`}
                  onCommit={(text) =>
                    p.apply(`${label}の段階`, (d) => {
                      const ph = d.schedule[p.idx].phases as Record<string, string>;
                      if (text.trim()) ph[String(fy)] = text.trim();
                      else delete ph[String(fy)];
                    })
                  }
                />
              );
            })}
          </div>
        </td>
        <td colSpan={4}></td>
      </tr>
    </>
  );
}
