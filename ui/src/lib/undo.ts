// Undo / redo of saved edits. Each entry is one saved transaction: the project as it was
// before and after. Undo saves `before` again (a new transaction, so history keeps both).

export interface Edit<T> {
  /** What the edit was, for the menu: 「実績 2023年度」. */
  label: string;
  key: string;
  before: T;
  after: T;
}

export class UndoStack<T> {
  private done: Edit<T>[] = [];
  private undone: Edit<T>[] = [];
  constructor(private readonly limit = 200) {}

  /** A new edit clears the redo side, as in every editor. */
  push(e: Edit<T>): void {
    this.done.push(e);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
  }

  canUndo(): boolean {
    return this.done.length > 0;
  }

  canRedo(): boolean {
    return this.undone.length > 0;
  }

  peekUndo(): Edit<T> | undefined {
    return this.done[this.done.length - 1];
  }

  peekRedo(): Edit<T> | undefined {
    return this.undone[this.undone.length - 1];
  }

  /** Takes the edit to undo; call `confirmUndo` once the old state is saved, `cancel` if not. */
  undo(): Edit<T> | undefined {
    const e = this.done.pop();
    if (e) this.undone.push(e);
    return e;
  }

  redo(): Edit<T> | undefined {
    const e = this.undone.pop();
    if (e) this.done.push(e);
    return e;
  }

  /** Puts an undo back when saving the old state failed. */
  revertUndo(): void {
    const e = this.undone.pop();
    if (e) this.done.push(e);
  }

  revertRedo(): void {
    const e = this.done.pop();
    if (e) this.undone.push(e);
  }

  /** After undo/redo saved a state, later entries for the same key must see the new base. */
  rebase(key: string, map: (t: T) => T): void {
    for (const e of [...this.done, ...this.undone]) {
      if (e.key === key) {
        e.before = map(e.before);
        e.after = map(e.after);
      }
    }
  }

  clear(): void {
    this.done = [];
    this.undone = [];
  }

  get size(): { undo: number; redo: number } {
    return { undo: this.done.length, redo: this.undone.length };
  }
}
