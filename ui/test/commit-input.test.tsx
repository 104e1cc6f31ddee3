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

describe("CommitInput like a spreadsheet cell", () => {
  async function flush() {
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  }

  it("a refused value is marked with the reason; after blur the cell shows what is stored", async () => {
    const root = document.createElement("div");
    document.body.appendChild(root);
    render(<CommitInput value="4,000" testid="c" onCommit={() => ({ refused: "「約5千」は千円単位の金額として読めません" })} />, root);
    const el = root.querySelector('[data-testid="c"]') as HTMLInputElement;
    el.focus();
    el.value = "約5千";
    key(el, "Enter", { keyCode: 13 });
    await flush();
    expect(el.getAttribute("data-refused")).toMatch(/千円単位/);
    expect(el.getAttribute("aria-invalid")).toBe("true");
    expect(el.value).toBe("約5千"); // still focused: kept to be corrected
    el.blur();
    el.dispatchEvent(new FocusEvent("blur"));
    await flush();
    await new Promise((r) => setTimeout(r, 50));
    expect(el.value).toBe("4,000");
    expect(el.getAttribute("data-refused")).toMatch(/千円単位/);
  });

  it("the same refused text typed again is committed again (not taken for unchanged)", async () => {
    const root = document.createElement("div");
    document.body.appendChild(root);
    const commits: string[] = [];
    render(<CommitInput value="2022" testid="y" onCommit={(t) => { commits.push(t); return false; }} />, root);
    const el = root.querySelector('[data-testid="y"]') as HTMLInputElement;
    for (let i = 0; i < 2; i++) {
      el.focus();
      el.value = "R6";
      key(el, "Enter", { keyCode: 13 });
      await flush();
    }
    expect(commits).toEqual(["R6", "R6"]);
  });

  it("a tab-separated row is handed over as cells, not typed into the field", () => {
    const root = document.createElement("div");
    document.body.appendChild(root);
    const pasted: string[][][] = [];
    render(<CommitInput value="5%" testid="p" onCommit={() => true} onPasteCells={(c) => { pasted.push(c); return true; }} />, root);
    const el = root.querySelector('[data-testid="p"]') as HTMLInputElement;
    const e = new Event("paste", { bubbles: true, cancelable: true }) as Event & { clipboardData: unknown };
    Object.defineProperty(e, "clipboardData", { value: { getData: () => "10%\t25%\t40%\r\n" } });
    el.dispatchEvent(e);
    expect(e.defaultPrevented).toBe(true);
    expect(pasted).toEqual([[["10%", "25%", "40%"]]]);
    expect(el.value).toBe("5%");
  });
});
