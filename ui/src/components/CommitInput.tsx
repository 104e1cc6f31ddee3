// An IME-safe text field: the value is committed on blur or Enter (Ctrl+Enter in a textarea),
// never on keystrokes while a Japanese conversion is open. The DOM keeps what the person typed
// while they type; the field follows the saved value only while it is not focused.
import { useLayoutEffect, useRef } from "preact/hooks";
import { CommitGuard } from "../lib/ime";

export interface CommitInputProps {
  value: string;
  /** Return false (or a promise of false) when the value was refused: the field reverts. */
  onCommit: (text: string) => unknown;
  multiline?: boolean;
  rows?: number;
  disabled?: boolean;
  placeholder?: string;
  class?: string;
  testid?: string;
  label?: string;
  /** Shown as the input's inputmode (e.g. "numeric" for 千円 cells). */
  inputMode?: "text" | "numeric" | "decimal";
  size?: number;
  list?: string;
}

export function CommitInput(p: CommitInputProps) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const commitRef = useRef(p.onCommit);
  commitRef.current = p.onCommit;
  const valueRef = useRef(p.value);
  valueRef.current = p.value;
  const guard = useRef<CommitGuard | null>(null);
  if (!guard.current) {
    guard.current = new CommitGuard(
      {
        enterCommits: !p.multiline,
        commit: (text) => {
          Promise.resolve(commitRef.current(text)).then((ok) => {
            const el = ref.current;
            if (ok === false && el && document.activeElement !== el) {
              el.value = valueRef.current;
              guard.current?.reset(valueRef.current);
            }
          });
        },
      },
      p.value,
    );
  }

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (document.activeElement !== el && el.value !== p.value) {
      el.value = p.value;
    }
    if (document.activeElement !== el) guard.current?.reset(p.value);
  }, [p.value]);

  const common = {
    ref,
    defaultValue: p.value,
    disabled: p.disabled,
    placeholder: p.placeholder,
    class: p.class,
    "data-testid": p.testid,
    "aria-label": p.label,
    title: p.label,
    onCompositionStart: () => guard.current?.compositionStart(),
    onCompositionEnd: () => guard.current?.compositionEnd(),
    onKeyDown: (e: KeyboardEvent) => {
      const el = ref.current;
      if (!el || !guard.current) return;
      if (e.key === "Escape" && !guard.current.isComposing && !e.isComposing) {
        el.value = valueRef.current;
        guard.current.reset(valueRef.current);
        el.blur();
        return;
      }
      const r = guard.current.keyDown(e.key, e.isComposing, e.keyCode, el.value, e.ctrlKey || e.metaKey);
      if (r === "commit") e.preventDefault();
    },
    onBlur: () => {
      const el = ref.current;
      if (el && guard.current) guard.current.blur(el.value);
    },
  };
  if (p.multiline) {
    return <textarea {...common} rows={p.rows ?? 3} />;
  }
  return <input {...common} type="text" inputMode={p.inputMode} size={p.size} list={p.list} autocomplete="off" spellcheck={false} />;
}
