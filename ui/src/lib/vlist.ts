// Windowing for long lists (10,000 projects): only the rows in view (plus overscan) exist in
// the DOM. Fixed row height keeps it O(1) per scroll event.

export interface Window {
  /** First and one-past-last row index to render. */
  start: number;
  end: number;
  /** Pixel offset of the first rendered row. */
  offset: number;
  /** Height of the whole list in pixels. */
  total: number;
}

export function computeWindow(count: number, rowHeight: number, scrollTop: number, viewport: number, overscan = 8): Window {
  const total = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, total: 0 };
  const maxScroll = Math.max(0, total - viewport);
  const top = Math.min(Math.max(0, scrollTop), maxScroll);
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil(viewport / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end, offset: start * rowHeight, total };
}

/** The scrollTop that brings row `index` into view (unchanged if it is already visible). */
export function scrollToRow(index: number, rowHeight: number, scrollTop: number, viewport: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return scrollTop;
}
