// Copy text for a paste into mail or chat. The async Clipboard API where the webview offers it;
// otherwise a selected hidden textarea and the copy command (WebKitGTK without a secure
// context). Resolves true when the text reached the clipboard.
export async function copyText(text: string): Promise<boolean> {
  // What was copied last, for the e2e tests (the clipboard itself is not readable there).
  document.body.dataset.copied = text;
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back below */
  }
  const ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.style.position = "fixed";
  ta.style.left = "-9999px";
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}
