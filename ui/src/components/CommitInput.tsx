// An IME-safe text field: the value is committed on blur or Enter (Ctrl+Enter in a textarea),
// never on keystrokes while a Japanese conversion is open. The DOM keeps what the person typed
// while they type; the field follows the saved value while it is not focused.
//
// Like a spreadsheet cell: a refused value is marked in the cell with the reason (and the
// cell shows what is stored once it loses focus); in a grid, Enter and ↓ go down, ↑ up, → and
// ← at the end of the text go to the next cell; a row copied from Excel (tab-separated) is
// handed to `onPasteCells` instead of landing in one cell.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { CommitGuard } from "../lib/ime";
import { setDirty } from "../lib/edits";
import { moveInGrid, parseClipboardTable, type GridMove } from "../lib/grid";

/** What `onCommit` returns for a value that was not saved: the reason, in Japanese. */
export interface Refused {
  refused: string;
}

export function isRefused(v: unknown): v is Refused {
  return typeof v === "object" && v !== null && typeof (v as Refused).refused === "string";
}

export interface CommitInputProps {
  value: string;
  /** Return false, or a `Refused` (or a promise of either), when the value was not saved. */
  onCommit: (text: string) => unknown;
  multiline?: boolean;
  rows?: number;
  disabled?: boolean;
  placeholder?: string;
  class?: string;
  testid?: string;
  label?: string;
  /** The field path it edits (`budget/2024/planned`): the 点検 screen's links find it by this. */
  field?: string;
  /** Its place in a grid (row, column), for Enter and arrow keys. */
  grid?: { row: number; col: number };
  /** A pasted block of cells (rows of columns); when absent, a paste lands in the field. */
  onPasteCells?: (cells: string[][]) => unknown;
  /** Shown as the input's inputmode (e.g. "numeric" for 千円 cells). */
  inputMode?: "text" | "numeric" | "decimal";
  size?: number;
  list?: string;
}

export function refusalText(r: unknown): string | null {
  if (r === false) return "反映できませんでした。";
  if (isRefused(r)) return r.refused;
  return null;
}

export function CommitInput(p: CommitInputProps) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const commitRef = useRef(p.onCommit);
  commitRef.current = p.onCommit;
  const valueRef = useRef(p.value);
  valueRef.current = p.value;
  const token = useRef({});
  const [refused, setRefused] = useState<{ text: string; reason: string } | null>(null);
  const [bubble, setBubble] = useState<{ left: number; top: number } | null>(null);
  const guard = useRef<CommitGuard | null>(null);
  /** The commit started by the last key: Enter moves on once it was saved. */
  const inflight = useRef<Promise<boolean> | null>(null);

  const markDirty = () => {
    const el = ref.current;
    if (el && guard.current) setDirty(token.current, el.value !== (guard.current.committed ?? ""));
  };

  if (!guard.current) {
    guard.current = new CommitGuard(
      {
        enterCommits: !p.multiline,
        commit: (text) => {
          setRefused(null);
          inflight.current = Promise.resolve(commitRef.current(text)).then(
            (r) => {
              const reason = refusalText(r);
              const el = ref.current;
              if (reason !== null) {
                setRefused({ text, reason });
                // the same text may be committed again (after the reason is fixed elsewhere)
                guard.current?.reset(valueRef.current);
                if (el && document.activeElement !== el) el.value = valueRef.current;
              }
              markDirty();
              return reason === null;
            },
            () => {
              markDirty();
              return false;
            },
          );
          markDirty();
        },
      },
      p.value,
    );
  }

  /** A paste saved through this cell: it shows the saved value even while focused. */
  const followSaved = useRef(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const follow = document.activeElement !== el || followSaved.current;
    followSaved.current = false;
    if (follow && el.value !== p.value) {
      el.value = p.value;
    }
    if (follow) {
      guard.current?.reset(p.value);
      markDirty();
    }
  }, [p.value]);

  useEffect(() => () => setDirty(token.current, false), []);
  useEffect(() => {
    if (refused && document.activeElement === ref.current) showBubble();
    if (!refused) setBubble(null);
  }, [refused]);

  const showBubble = () => {
    const el = ref.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    setBubble({ left: Math.max(4, Math.min(r.left, window.innerWidth - 330)), top: r.bottom + 4 });
  };

  const move = (m: GridMove) => {
    const el = ref.current;
    if (!el || !p.grid) return false;
    return moveInGrid(el, p.grid, m);
  };

  const common = {
    ref,
    defaultValue: p.value,
    disabled: p.disabled,
    placeholder: p.placeholder,
    class: [p.class, refused ? "refused" : ""].filter(Boolean).join(" ") || undefined,
    "data-testid": p.testid,
    "data-field": p.field,
    "data-gr": p.grid?.row,
    "data-gc": p.grid?.col,
    "data-refused": refused?.reason,
    "aria-invalid": refused ? true : undefined,
    "aria-label": p.label,
    title: refused ? `${p.label ?? ""}：${refused.reason}` : p.label,
    onCompositionStart: () => guard.current?.compositionStart(),
    onCompositionEnd: (e: CompositionEvent) => guard.current?.compositionEnd(e.timeStamp || undefined),
    onInput: () => markDirty(),
    onFocus: () => { if (refused) showBubble(); },
    onMouseEnter: () => { if (refused) showBubble(); },
    onMouseLeave: () => { if (document.activeElement !== ref.current) setBubble(null); },
    onPaste: (e: ClipboardEvent) => {
      if (!p.onPasteCells) return;
      const text = e.clipboardData?.getData("text/plain") ?? "";
      const cells = parseClipboardTable(text);
      if (cells.length === 1 && cells[0].length === 1) return; // one value: an ordinary paste
      e.preventDefault();
      const el = ref.current;
      if (el) el.value = valueRef.current;
      guard.current?.reset(valueRef.current);
      setRefused(null);
      followSaved.current = true;
      void Promise.resolve(p.onPasteCells(cells)).then((r) => {
        const reason = refusalText(r);
        if (reason !== null) setRefused({ text: cells.map((row) => row.join("\t")).join("\n"), reason });
      });
    },
    onKeyDown: (e: KeyboardEvent) => {
      const el = ref.current;
      if (!el || !guard.current) return;
      if (e.key === "Escape" && !guard.current.isComposing && !e.isComposing) {
        el.value = valueRef.current;
        guard.current.reset(valueRef.current);
        setRefused(null);
        markDirty();
        el.blur();
        return;
      }
      inflight.current = null;
      const r = guard.current.keyDown(e.key, e.isComposing, e.keyCode, el.value, e.ctrlKey || e.metaKey, e.timeStamp || undefined);
      if (r === "commit") {
        e.preventDefault();
        if (p.multiline || !p.grid) return;
        // a refused value stays in its cell, marked, until it is fixed or left
        const saving = inflight.current as Promise<boolean> | null;
        if (!saving) move("down");
        else void saving.then((ok) => { if (ok && document.activeElement === el) move("down"); });
        return;
      }
      if (r !== "pass" || !p.grid || p.multiline || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
      const atStart = el.selectionStart === 0 && el.selectionEnd === 0;
      const atEnd = el.selectionStart === el.value.length && el.selectionEnd === el.value.length;
      const m: GridMove | null =
        e.key === "ArrowDown" ? "down" : e.key === "ArrowUp" ? "up" : e.key === "ArrowRight" && atEnd ? "right" : e.key === "ArrowLeft" && atStart ? "left" : null;
      if (m && move(m)) e.preventDefault();
    },
    onBlur: () => {
      const el = ref.current;
      setBubble(null);
      if (el && guard.current) guard.current.blur(el.value);
      // a refused value gives way to what is stored
      if (el && refused && el.value !== valueRef.current) {
        requestAnimationFrame(() => {
          if (ref.current && document.activeElement !== ref.current) ref.current.value = valueRef.current;
        });
      }
    },
  };
  const field = p.multiline ? (
    <textarea {...common} rows={p.rows ?? 3} />
  ) : (
    <input {...common} type="text" inputMode={p.inputMode} size={p.size} list={p.list} autocomplete="off" spellcheck={false} />
  );
  // always a fragment, so the field is never remounted (it would lose focus)
  return (
    <>
      {field}
      {refused && bubble && (
        <span class="cell-refusal" role="alert" data-testid="cell-refusal" style={{ left: `${bubble.left}px`, top: `${bubble.top}px` }}>
          {refused.reason.includes(`「${refused.text}」`) ? "" : `「${refused.text}」は`}反映できませんでした：{refused.reason}
          <br />
          <span class="muted">保存されている値：{p.value === "" ? "（なし）" : p.value}</span>
        </span>
      )}
    </>
  );
}
