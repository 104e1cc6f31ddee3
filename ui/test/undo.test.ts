import { describe, expect, it } from "vitest";
import { UndoStack } from "../src/lib/undo";

describe("UndoStack", () => {
  const e = (n: number) => ({ label: `edit ${n}`, key: "p1", before: n - 1, after: n });

  it("undoes and redoes in order", () => {
    const s = new UndoStack<number>();
    s.push(e(1));
    s.push(e(2));
    expect(s.undo()?.after).toBe(2);
    expect(s.undo()?.after).toBe(1);
    expect(s.undo()).toBeUndefined();
    expect(s.redo()?.after).toBe(1);
    expect(s.size).toEqual({ undo: 1, redo: 1 });
  });

  it("a new edit clears redo", () => {
    const s = new UndoStack<number>();
    s.push(e(1));
    s.undo();
    expect(s.canRedo()).toBe(true);
    s.push(e(5));
    expect(s.canRedo()).toBe(false);
  });

  it("a failed undo or redo is put back", () => {
    const s = new UndoStack<number>();
    s.push(e(1));
    s.undo();
    s.revertUndo();
    expect(s.size).toEqual({ undo: 1, redo: 0 });
    s.undo();
    s.redo();
    s.revertRedo();
    expect(s.size).toEqual({ undo: 0, redo: 1 });
  });

  it("keeps at most `limit` entries", () => {
    const s = new UndoStack<number>(3);
    for (let i = 1; i <= 5; i++) s.push(e(i));
    expect(s.size.undo).toBe(3);
    expect(s.peekUndo()?.after).toBe(5);
  });

  it("rebase rewrites entries of one key", () => {
    const s = new UndoStack<{ v: number; rev: number }>();
    s.push({ label: "a", key: "p1", before: { v: 0, rev: 1 }, after: { v: 1, rev: 2 } });
    s.push({ label: "b", key: "p2", before: { v: 0, rev: 1 }, after: { v: 1, rev: 2 } });
    s.rebase("p1", (x) => ({ ...x, rev: 9 }));
    expect(s.undo()?.before.rev).toBe(1);
    expect(s.undo()?.before.rev).toBe(9);
  });
});
