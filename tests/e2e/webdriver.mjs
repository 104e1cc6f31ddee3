// A small W3C WebDriver client (Node 20's fetch): just what the e2e tests need, no npm package.
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class WebDriverError extends Error {
  constructor(status, body) {
    super(`WebDriver ${status}: ${body?.value?.error ?? ""} ${body?.value?.message ?? JSON.stringify(body)}`);
    this.error = body?.value?.error;
  }
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async create(base, capabilities, timeoutMs = 60_000) {
    const body = await request(base, "POST", "/session", { capabilities: { alwaysMatch: capabilities } }, timeoutMs);
    return new Session(base, body.value.sessionId);
  }

  cmd(method, path, payload) {
    return request(this.base, method, `/session/${this.id}${path}`, payload).then((b) => b.value);
  }

  async delete() {
    try {
      await request(this.base, "DELETE", `/session/${this.id}`);
    } catch {
      /* the app may already be gone */
    }
  }

  /** Runs a function body in the page; `args` are passed as `arguments`. */
  exec(script, ...args) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  /** Async script: the body must call `arguments[arguments.length - 1](result)`. */
  execAsync(script, ...args) {
    return this.cmd("POST", "/execute/async", { script, args });
  }

  async find(css) {
    const v = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return new Element(this, v[ELEMENT]);
  }

  async findAll(css) {
    const v = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return v.map((e) => new Element(this, e[ELEMENT]));
  }

  /** Waits until `css` matches an element (and `pred(el)` holds, if given). */
  async waitFor(css, { timeout = 15_000, pred } = {}) {
    const end = Date.now() + timeout;
    let last;
    while (Date.now() < end) {
      try {
        const els = await this.findAll(css);
        for (const el of els) {
          if (!pred || (await pred(el))) return el;
        }
      } catch (e) {
        last = e;
      }
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${css}${last ? `: ${last.message}` : ""}`);
  }

  /** Waits until a page expression is truthy; returns its value. */
  async waitUntil(expr, { timeout = 15_000, message } = {}) {
    const end = Date.now() + timeout;
    let v;
    while (Date.now() < end) {
      v = await this.exec(`return (${expr});`);
      if (v) return v;
      await sleep(100);
    }
    throw new Error(`timed out: ${message ?? expr} (last: ${JSON.stringify(v)})`);
  }

  /** PNG of the viewport. WebKitGTK under Xvfb sometimes waits for a frame that never comes on
   * an idle page: nudge a repaint and retry. */
  async screenshot() {
    let last;
    for (let i = 0; i < 4; i++) {
      // a frame must be drawn for the snapshot: keep one coming for a moment (an invisible pixel)
      await this.exec(
        `let px = document.getElementById("__frame"); if (!px) { px = document.createElement("div"); px.id = "__frame";
           px.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;z-index:2147483647"; document.body.appendChild(px); }
         const end = performance.now() + 1500; let on = false;
         const tick = () => { on = !on; px.style.background = on ? "rgba(0,0,0,0.004)" : "rgba(0,0,0,0.003)"; if (performance.now() < end) requestAnimationFrame(tick); else px.remove(); };
         requestAnimationFrame(tick);`,
      ).catch(() => undefined);
      try {
        const b64 = await request(this.base, "GET", `/session/${this.id}/screenshot`, undefined, 8_000).then((b) => b.value);
        return Buffer.from(b64, "base64");
      } catch (e) {
        last = e;
        await this.exec("document.body.style.outline = document.body.style.outline ? '' : '0 solid transparent'; window.scrollBy(0, 0);").catch(() => undefined);
        await sleep(300);
      }
    }
    throw last;
  }

  title() {
    return this.cmd("GET", "/title");
  }
}

export class Element {
  constructor(session, id) {
    this.s = session;
    this.id = id;
  }
  cmd(method, path, payload) {
    return this.s.cmd(method, `/element/${this.id}${path}`, payload);
  }
  click() {
    return this.cmd("POST", "/click", {});
  }
  clear() {
    return this.cmd("POST", "/clear", {});
  }
  /** Types text; "\uE007" is Enter, "\uE004" Tab. */
  type(text) {
    return this.cmd("POST", "/value", { text });
  }
  text() {
    return this.cmd("GET", "/text");
  }
  attr(name) {
    return this.cmd("GET", `/attribute/${encodeURIComponent(name)}`);
  }
  prop(name) {
    return this.cmd("GET", `/property/${encodeURIComponent(name)}`);
  }
  displayed() {
    return this.cmd("GET", "/displayed");
  }
  async find(css) {
    const v = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return new Element(this.s, v[ELEMENT]);
  }
  async findAll(css) {
    const v = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return v.map((e) => new Element(this.s, e[ELEMENT]));
  }
  /** The element as a script argument. */
  get ref() {
    return { [ELEMENT]: this.id };
  }
}

export const Keys = { ENTER: "\uE007", TAB: "\uE004", ESCAPE: "\uE00C", CONTROL: "\uE009", ARROW_RIGHT: "\uE014", ARROW_LEFT: "\uE012" };

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function request(base, method, path, payload, timeoutMs = 30_000) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    const res = await fetch(base + path, {
      method,
      headers: payload ? { "content-type": "application/json; charset=utf-8" } : undefined,
      body: payload ? JSON.stringify(payload) : undefined,
      signal: ctrl.signal,
    });
    const text = await res.text();
    const body = text ? JSON.parse(text) : {};
    if (!res.ok) throw new WebDriverError(res.status, body);
    return body;
  } finally {
    clearTimeout(timer);
  }
}
