// In-app dialogs (never window.confirm: it blocks the webview and cannot be styled). `ask` and
// `askText` return a promise answered by the buttons; Escape cancels, Enter in a text answers.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";

export function Dialog(p: { title: string; testid?: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>("[autofocus], input, select, textarea, button.primary, button");
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !e.isComposing) {
        e.preventDefault();
        p.onClose();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
      prev?.focus?.();
    };
  }, []);
  return (
    <div class="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) p.onClose(); }}>
      <div class={`modal${p.wide ? " wide" : ""}`} role="dialog" aria-modal="true" aria-label={p.title} data-testid={p.testid ?? "dialog"} ref={ref}>
        <h3>{p.title}</h3>
        {p.children}
      </div>
    </div>
  );
}

interface Asked {
  title: string;
  message: string;
  ok: string;
  danger?: boolean;
  input?: { label: string; value: string; placeholder?: string };
  /** A choice from a list instead of a typed text. */
  choices?: { value: string; label: string }[];
  resolve: (v: string | null) => void;
}

let setAsked: ((a: Asked | null) => void) | null = null;

/** A yes/no question; true when the person chose `ok`. */
export function ask(title: string, message: string, ok: string, danger = false): Promise<boolean> {
  return new Promise((resolve) => {
    if (!setAsked) return resolve(false);
    setAsked({ title, message, ok, danger, resolve: (v) => resolve(v !== null) });
  });
}

/** A short text (a name); null when cancelled. */
export function askText(title: string, label: string, value = "", ok = "OK", placeholder?: string): Promise<string | null> {
  return new Promise((resolve) => {
    if (!setAsked) return resolve(null);
    setAsked({ title, message: "", ok, input: { label, value, placeholder }, resolve });
  });
}

/** One of `choices` (its value); null when cancelled. */
export function askChoice(title: string, label: string, choices: { value: string; label: string }[], ok = "OK", message = ""): Promise<string | null> {
  return new Promise((resolve) => {
    if (!setAsked || choices.length === 0) return resolve(null);
    setAsked({ title, message, ok, input: { label, value: choices[0].value }, choices, resolve });
  });
}

/** Mounted once by the app: shows what `ask` and `askText` ask. */
export function AskHost() {
  const [a, set] = useState<Asked | null>(null);
  const [text, setText] = useState("");
  const composing = useRef(false);
  useEffect(() => {
    setAsked = (x) => {
      setText(x?.input?.value ?? "");
      set(x);
    };
    return () => {
      setAsked = null;
    };
  }, []);
  if (!a) return null;
  const answer = (v: string | null) => {
    set(null);
    a.resolve(v);
  };
  return (
    <Dialog title={a.title} testid="ask" onClose={() => answer(null)}>
      {a.message && <p class="ask-message">{a.message}</p>}
      {a.input && a.choices && (
        <label class="block">
          <span>{a.input.label}</span>
          <select value={text} data-testid="ask-choice" onChange={(e) => setText(e.currentTarget.value)}>
            {a.choices.map((c) => <option value={c.value}>{c.label}</option>)}
          </select>
        </label>
      )}
      {a.input && !a.choices && (
        <label class="block">
          <span>{a.input.label}</span>
          <input
            type="text"
            value={text}
            placeholder={a.input.placeholder}
            data-testid="ask-input"
            onInput={(e) => setText(e.currentTarget.value)}
            onCompositionStart={() => (composing.current = true)}
            onCompositionEnd={() => (composing.current = false)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !composing.current && !e.isComposing && e.keyCode !== 229 && text.trim()) answer(text);
            }}
          />
        </label>
      )}
      <div class="actions end">
        <button onClick={() => answer(null)} data-testid="ask-cancel">キャンセル</button>
        <button class={a.danger ? "primary danger" : "primary"} data-testid="ask-ok" disabled={!!a.input && !text.trim()} onClick={() => answer(a.input ? text : "")}>
          {a.ok}
        </button>
      </div>
    </Dialog>
  );
}
