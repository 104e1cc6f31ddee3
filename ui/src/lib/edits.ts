// Edits in flight, so that nothing typed is lost: saves still running (`track`), and fields
// whose text differs from what is saved (`setDirty`), shown as 「入力中（未保存）」. Before the
// window closes, `flushEdits` commits the field being edited and waits for every save.

const pending = new Set<Promise<unknown>>();
const dirty = new Set<object>();
type Listener = (n: number) => void;
const listeners = new Set<Listener>();

export function track<T>(p: Promise<T>): Promise<T> {
  pending.add(p);
  const done = () => pending.delete(p);
  p.then(done, done);
  return p;
}

/** Resolves once no save is running (saves started meanwhile included). */
export async function settle(): Promise<void> {
  while (pending.size) await Promise.allSettled([...pending]);
}

export function setDirty(field: object, isDirty: boolean): void {
  const had = dirty.has(field);
  if (isDirty === had) return;
  if (isDirty) dirty.add(field);
  else dirty.delete(field);
  for (const l of listeners) l(dirty.size);
}

export function dirtyCount(): number {
  return dirty.size;
}

export function onDirty(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Commits the focused field (a blur commits, IME composition included) and waits for saves. */
export async function flushEdits(): Promise<void> {
  const el = document.activeElement as HTMLElement | null;
  if (el && el !== document.body && typeof el.blur === "function") el.blur();
  // the blur's commit starts its save in a microtask
  await new Promise((r) => setTimeout(r, 0));
  await settle();
}
