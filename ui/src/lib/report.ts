// The 報告書 screen's page preview: which pages to fetch next, and how a page's SVG becomes an
// image. Pages are SVG documents from the core (glyphs as paths); they are shown as <img>, so
// nothing in them can run or navigate.

/** An SVG page as an image URL (data: is what the CSP allows for images). */
export function svgUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/**
 * The pages to fetch now: those in view first (in page order), then their neighbours, never one
 * already loaded or on its way, at most `slots` of them.
 */
export function pagesToLoad(
  visible: Iterable<number>,
  pages: number,
  loaded: ReadonlySet<number>,
  inflight: ReadonlySet<number>,
  slots: number,
  around = 1,
): number[] {
  if (slots <= 0) return [];
  const seen = [...new Set(visible)].filter((i) => i >= 0 && i < pages).sort((a, b) => a - b);
  const wanted: number[] = [...seen];
  for (let d = 1; d <= around; d++) {
    for (const i of seen) {
      wanted.push(i + d, i - d);
    }
  }
  const out: number[] = [];
  for (const i of wanted) {
    if (i < 0 || i >= pages || loaded.has(i) || inflight.has(i) || out.includes(i)) continue;
    out.push(i);
    if (out.length >= slots) break;
  }
  return out;
}

/** 「0.5 MB」「820 KB」 */
export function sizeLabel(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** 「1.4 秒」「820 ミリ秒」 */
export function durationLabel(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} 秒` : `${Math.round(ms)} ミリ秒`;
}

/**
 * Pages to let go of so that at most `keep` stay loaded: those farthest from the pages in view
 * (a report of 1,000 projects is 1,100 pages of some 400 KB of SVG each).
 */
export function pagesToEvict(visible: Iterable<number>, loaded: Iterable<number>, keep: number): number[] {
  const seen = [...visible];
  const all = [...loaded];
  if (all.length <= keep) return [];
  const distance = (i: number) => (seen.length === 0 ? i : Math.min(...seen.map((v) => Math.abs(v - i))));
  return all
    .filter((i) => !seen.includes(i))
    .sort((a, b) => distance(b) - distance(a) || b - a)
    .slice(0, all.length - keep);
}

/** Pages the app prints itself; a longer report is printed from its PDF. */
export const PRINT_LIMIT = 200;
