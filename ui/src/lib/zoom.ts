// Zoom like a browser: Ctrl + +/− (and Ctrl + wheel) in steps, Ctrl + 0 back to 100%. Kept per
// computer (localStorage). WebKit's CSS zoom scales the whole page, layout included.

export const STEPS = [0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2];

export function nextZoom(current: number, dir: 1 | -1 | 0): number {
  if (dir === 0) return 1;
  const i = STEPS.findIndex((s) => s >= current - 1e-6);
  const at = i < 0 ? STEPS.length - 1 : i;
  const exact = Math.abs(STEPS[at] - current) < 1e-6;
  const j = dir > 0 ? (exact ? at + 1 : at) : at - 1;
  return STEPS[Math.max(0, Math.min(STEPS.length - 1, j))];
}

function apply(z: number) {
  (document.documentElement.style as CSSStyleDeclaration & { zoom: string }).zoom = String(z);
  document.body.dataset.zoom = String(Math.round(z * 100));
}

export function installZoom(): void {
  let z = Number(localStorage.getItem("dxplan.zoom") ?? "1") || 1;
  apply(z);
  const set = (dir: 1 | -1 | 0) => {
    z = nextZoom(z, dir);
    localStorage.setItem("dxplan.zoom", String(z));
    apply(z);
  };
  window.addEventListener("keydown", (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.isComposing) return;
    if (e.key === "+" || e.key === "=" || e.key === ";") {
      e.preventDefault();
      set(1);
    } else if (e.key === "-" || e.key === "_") {
      e.preventDefault();
      set(-1);
    } else if (e.key === "0") {
      e.preventDefault();
      set(0);
    }
  });
  window.addEventListener(
    "wheel",
    (e) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      set(e.deltaY < 0 ? 1 : -1);
    },
    { passive: false },
  );
}
