// IME-safe commits. Japanese input goes through composition (かな → 漢字 conversion): while a
// composition is open, keydown events (Enter confirms a conversion!) and input events carry
// unfinished text. A value is committed only on Enter outside a composition or on blur, never
// on a keydown that belongs to the IME.
//
// The Enter that confirms a conversion reaches the page in two orders:
// - WebKitGTK (Linux) and Safari: compositionend first, then keydown(Enter) — with keyCode 229,
//   or with keyCode 13 on some versions. That keydown must be swallowed, or the field commits
//   (and moves on) while the person only confirmed a conversion.
// - WebView2 (Windows, Chromium): keydown(Enter, isComposing, keyCode 229) first, then
//   compositionend. The next Enter is the person's own and must commit.
// So an Enter is swallowed only when it comes at once after a compositionend (the same key
// press: well under 100 ms); the person's next Enter, in either order, commits.

export interface CommitGuardOptions {
  /** Called with the final text; never during a composition. */
  commit: (text: string) => void;
  /** Enter commits (single-line inputs); in textareas Enter is a newline. */
  enterCommits: boolean;
}

export type KeyResult = "ime" | "commit" | "pass";

/** The confirming Enter of a WebKit composition follows its compositionend within this. */
export const TRAILING_ENTER_MS = 100;

function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}

export class CommitGuard {
  private composing = false;
  /** When the last composition ended, if its confirming Enter may still come. */
  private endedAt: number | null = null;
  private lastCommitted: string | null = null;

  constructor(private readonly opts: CommitGuardOptions, initial: string) {
    this.lastCommitted = initial;
  }

  get isComposing(): boolean {
    return this.composing;
  }

  /** The text last committed (or set from outside): what the field holds when saved. */
  get committed(): string | null {
    return this.lastCommitted;
  }

  /** The value shown changed from outside (another save, a refused edit): the next commit compares to it. */
  reset(value: string): void {
    this.lastCommitted = value;
  }

  compositionStart(): void {
    this.composing = true;
    this.endedAt = null;
  }

  compositionEnd(at: number = now()): void {
    this.composing = false;
    this.endedAt = at;
  }

  /**
   * What a keydown means: "ime" (it belongs to the IME: leave it alone, do not prevent it),
   * "commit" (the value was committed: prevent the default), or "pass" (an ordinary key).
   * `isComposing` and keyCode 229 are what browsers report for keys that go to the IME.
   */
  keyDown(key: string, isComposing: boolean, keyCode: number, value: string, modifiers = false, at: number = now()): KeyResult {
    if (this.composing || isComposing) return "ime";
    const trailing = this.endedAt !== null && at - this.endedAt < TRAILING_ENTER_MS;
    if (keyCode === 229) {
      // WebKit's confirming Enter, reported after compositionend
      if (trailing && key === "Enter") this.endedAt = null;
      return "ime";
    }
    if (trailing && key === "Enter") {
      this.endedAt = null;
      return "ime";
    }
    this.endedAt = null;
    if (key === "Enter" && (this.opts.enterCommits || modifiers)) {
      this.commitNow(value);
      return "commit";
    }
    return "pass";
  }

  /** Blur always commits what is there (a blur also ends any composition). */
  blur(value: string): void {
    this.composing = false;
    this.endedAt = null;
    this.commitNow(value);
  }

  commitNow(value: string): void {
    if (this.composing) return;
    if (value === this.lastCommitted) return;
    this.lastCommitted = value;
    this.opts.commit(value);
  }
}
