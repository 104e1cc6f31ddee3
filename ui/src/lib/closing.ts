// The window is about to close (the shell holds the close, src-tauri/src/closing.rs): save what
// is being typed, then let it close.
import { commands } from "../api";
import { flushEdits } from "./edits";

declare global {
  interface Window {
    __dxplanBeforeClose?: () => Promise<void>;
  }
}

export function installCloseGuard(): void {
  window.__dxplanBeforeClose = async () => {
    try {
      await flushEdits();
    } finally {
      await commands.closeReady().catch(() => undefined);
    }
  };
}
