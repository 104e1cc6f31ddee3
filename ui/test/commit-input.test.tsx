// @vitest-environment happy-dom
// The IME-safe field in a DOM: composition events as WebKit fires them for Japanese input.
import { render } from "preact";
import { describe, expect, it } from "vitest";
import { CommitInput } from "../src/components/CommitInput";

function setup(multiline = false, value = "") {
  const root = document.createElement("div");
  document.body.appendChild(root);
  const commits: string[] = [];
  render(<CommitInput value={value} multiline={multiline} onCommit={(t) => commits.push(t)} testid="f" />, root);
  const el = root.querySelector('[data-testid="f"]') as HTMLInputElement;
  return { el, commits };
}

function key(el: HTMLElement, k: string, opts: { isComposing?: boolean; keyCode?: number; ctrlKey?: boolean } = {}) {
  const e = new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, isComposing: opts.isComposing ?? false, ctrlKey: opts.ctrlKey ?? false });
  if (opts.keyCode !== undefined) Object.defineProperty(e, "keyCode", { value: opts.keyCode });
  el.dispatchEvent(e);
  return e;
}

describe("CommitInput (DOM)", () => {
  it("does not commit while a conversion is open, and commits the converted text once", () => {
    const { el, commits } = setup();
    el.focus();
    el.dispatchEvent(new CompositionEvent("compositionstart", { bubbles: true }));
    el.value = "じっせき";
    const confirm = key(el, "Enter", { isComposing: true, keyCode: 229 });
    expect(confirm.defaultPrevented).toBe(false); // the IME gets its Enter
    el.value = "実績";
    el.dispatchEvent(new CompositionEvent("compositionend", { bubbles: true, data: "実績" }));
    key(el, "Enter", { keyCode: 13 }); // WebKit's trailing Enter after compositionend
    expect(commits).toEqual([]);
    const enter = key(el, "Enter", { keyCode: 13 });
    expect(enter.defaultPrevented).toBe(true);
    expect(commits).toEqual(["実績"]);
    el.dispatchEvent(new FocusEvent("blur"));
    expect(commits).toEqual(["実績"]); // unchanged since: no second save
  });

  it("commits on blur", () => {
    const { el, commits } = setup(false, "40 手続");
    el.focus();
    el.value = "45 手続";
    el.dispatchEvent(new FocusEvent("blur"));
    expect(commits).toEqual(["45 手続"]);
  });

  it("Escape puts back the saved value without committing", () => {
    const { el, commits } = setup(false, "元の値");
    el.focus();
    el.value = "途中";
    key(el, "Escape", { keyCode: 27 });
    expect(el.value).toBe("元の値");
    expect(commits).toEqual([]);
  });

  it("in a textarea Enter is a newline and Ctrl+Enter commits", () => {
    const { el, commits } = setup(true);
    el.focus();
    el.value = "一行目";
    const e = key(el, "Enter", { keyCode: 13 });
    expect(e.defaultPrevented).toBe(false);
    el.value = "一行目\n二行目";
    key(el, "Enter", { keyCode: 13, ctrlKey: true });
    expect(commits).toEqual(["一行目\n二行目"]);
  });
});
