// IME-safe commits. Japanese input goes through composition (かな → 漢字 conversion): while a
// composition is open, keydown events (Enter confirms a conversion!) and input events carry
// unfinished text. A value is committed only on compositionend-then-Enter, on blur, or on
// Enter outside a composition, never on a keydown during composition.

export interface CommitGuardOptions {
  /** Called with the final text; never during a composition. */
  commit: (text: string) => void;
  /** Enter commits (single-line inputs); in textareas Enter is a newline. */
  enterCommits: boolean;
}

export type KeyResult = "ime" | "commit" | "pass";

export class CommitGuard {
  private composing = false;
  /** WebKitGTK fires keydown(Enter, keyCode 229) right after compositionend: swallow it. */
  private justEnded = false;
  private lastCommitted: string | null = null;

  constructor(private readonly opts: CommitGuardOptions, initial: string) {
    this.lastCommitted = initial;
  }

  get isComposing(): boolean {
    return this.composing;
  }

  /** The value shown changed from outside (another save): the next commit compares to it. */
  reset(value: string): void {
    this.lastCommitted = value;
  }

  compositionStart(): void {
    this.composing = true;
    this.justEnded = false;
  }

  compositionEnd(): void {
    this.composing = false;
    this.justEnded = true;
  }

  /**
   * What a keydown means: "ime" (it belongs to the IME: leave it alone, do not prevent it),
   * "commit" (the value was committed: prevent the default), or "pass" (an ordinary key).
   * `isComposing` and keyCode 229 are what browsers report for keys that go to the IME.
   */
  keyDown(key: string, isComposing: boolean, keyCode: number, value: string, modifiers = false): KeyResult {
    if (this.composing || isComposing || keyCode === 229) {
      return "ime";
    }
    if (this.justEnded && key === "Enter") {
      // the Enter that confirmed the conversion
      this.justEnded = false;
      return "ime";
    }
    this.justEnded = false;
    if (key === "Enter" && (this.opts.enterCommits || modifiers)) {
      this.commitNow(value);
      return "commit";
    }
    return "pass";
  }

  /** Blur always commits what is there (a blur also ends any composition). */
  blur(value: string): void {
    this.composing = false;
    this.justEnded = false;
    this.commitNow(value);
  }

  commitNow(value: string): void {
    if (this.composing) return;
    if (value === this.lastCommitted) return;
    this.lastCommitted = value;
    this.opts.commit(value);
  }
}
