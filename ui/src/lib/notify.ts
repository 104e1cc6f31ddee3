// Messages for the status bar and the alert area. A tiny pub/sub, no framework state.
export type NoticeKind = "info" | "success" | "error";
export interface Notice {
  id: number;
  kind: NoticeKind;
  text: string;
  detail?: string;
  /** Date.now() when shown. */
  at?: number;
}

type Listener = (notices: Notice[]) => void;
let notices: Notice[] = [];
let next = 1;
const listeners = new Set<Listener>();

function emit() {
  for (const l of listeners) l(notices);
}

export function notify(kind: NoticeKind, text: string, detail?: string, ttlMs = kind === "error" ? 0 : 4000): number {
  const n: Notice = { id: next++, kind, text, detail, at: Date.now() };
  notices = [...notices.slice(-4), n];
  emit();
  if (ttlMs > 0) setTimeout(() => dismiss(n.id), ttlMs);
  return n.id;
}

export function dismiss(id: number) {
  notices = notices.filter((n) => n.id !== id);
  emit();
}

export function subscribe(l: Listener): () => void {
  listeners.add(l);
  l(notices);
  return () => listeners.delete(l);
}

/** Another plan was opened: what was said about the one before goes (what was just said stays). */
export function clearOlderThan(ms: number) {
  const now = Date.now();
  notices = notices.filter((n) => now - (n.at ?? 0) < ms);
  emit();
}
