// Schedule bars over fiscal years: the pure part of dragging (which year a pixel is in, how a
// drag changes a task) and typing (「2023」, 「R5」, 「令和5年度」 into a year).

export interface Span {
  start_fy: number;
  end_fy: number;
}

export type DragMode = "move" | "start" | "end";

/** Fiscal year under x (pixels from the left edge of the first year column). */
export function fyAtX(x: number, colWidth: number, firstFy: number, lastFy: number): number {
  const i = Math.floor(x / colWidth);
  return Math.min(lastFy, Math.max(firstFy, firstFy + i));
}

/** Whole years moved by a horizontal drag of dx pixels (rounded to the nearest column). */
export function yearsMoved(dx: number, colWidth: number): number {
  const n = Math.round(dx / colWidth);
  return n === 0 ? 0 : n; // never -0
}

/**
 * The span after dragging: "move" shifts both ends (keeping the length, stopping at the
 * period's edges); "start"/"end" move one end and never cross the other.
 */
export function dragSpan(s: Span, mode: DragMode, delta: number, firstFy: number, lastFy: number): Span {
  if (delta === 0) return { ...s };
  if (mode === "move") {
    const len = s.end_fy - s.start_fy;
    let start = s.start_fy + delta;
    start = Math.max(firstFy, Math.min(start, lastFy - len));
    return { start_fy: start, end_fy: start + len };
  }
  if (mode === "start") {
    return { start_fy: Math.max(firstFy, Math.min(s.start_fy + delta, s.end_fy)), end_fy: s.end_fy };
  }
  return { start_fy: s.start_fy, end_fy: Math.min(lastFy, Math.max(s.end_fy + delta, s.start_fy)) };
}

const ERA_BASE: Record<string, number> = { 令和: 2018, r: 2018, 平成: 1988, h: 1988 };

/** A typed fiscal year: 「2023」, 「2023年度」, 「R5」, 「令和5年度」, 「令和元年度」, full width too. */
export function parseFy(text: string): number | null {
  const s = text.normalize("NFKC").trim().toLowerCase().replace(/\s+/g, "").replace(/^fy/, "").replace(/年度$|年$/, "");
  let m = /^(\d{4})$/.exec(s);
  if (m) return Number(m[1]);
  m = /^(令和|平成|r|h)(元|\d{1,2})$/.exec(s);
  if (m) {
    const n = m[2] === "元" ? 1 : Number(m[2]);
    if (n < 1) return null;
    return (ERA_BASE[m[1]] ?? 0) + n;
  }
  return null;
}
