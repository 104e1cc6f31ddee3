// A windowed list: only the rows in view exist in the DOM (10,000 projects stay smooth).
import type { ComponentChild } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { computeWindow, scrollToRow } from "../lib/vlist";

export interface VirtualListProps<T> {
  items: T[];
  rowHeight: number;
  render: (item: T, index: number) => ComponentChild;
  testid?: string;
  /** Index to keep in view (e.g. the selected row). */
  focusIndex?: number;
  class?: string;
  label?: string;
}

export function VirtualList<T>(p: VirtualListProps<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const frame = useRef(0);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setViewport(el.clientHeight || 600);
    const ro = new ResizeObserver(() => setViewport(el.clientHeight || 600));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el || p.focusIndex === undefined || p.focusIndex < 0) return;
    const next = scrollToRow(p.focusIndex, p.rowHeight, el.scrollTop, el.clientHeight);
    if (next !== el.scrollTop) el.scrollTop = next;
  }, [p.focusIndex]);

  const onScroll = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      if (ref.current) setScrollTop(ref.current.scrollTop);
    });
  };

  const w = computeWindow(p.items.length, p.rowHeight, scrollTop, viewport);
  const rows: ComponentChild[] = [];
  for (let i = w.start; i < w.end; i++) rows.push(p.render(p.items[i], i));
  return (
    <div ref={ref} class={`vlist ${p.class ?? ""}`} onScroll={onScroll} data-testid={p.testid} role="tree" aria-label={p.label}>
      <div style={{ height: `${w.total}px`, position: "relative" }}>
        <div style={{ transform: `translateY(${w.offset}px)` }}>{rows}</div>
      </div>
    </div>
  );
}
