// 「印刷」 of the project sheet and of the 報告書: the webview's print dialog on the page's print
// style (A4, the sheet alone, or the report's pages). WebView2 (Windows) and WebKitGTK (Linux)
// print the page with window.print(), as the shell's own print would; macOS's WKWebView ignores it, so there the shell prints.
import { commands, run } from "../api";

export async function printSheet(): Promise<void> {
  if (/Mac/i.test(navigator.platform)) {
    await run(commands.printPage(), "印刷できません");
    return;
  }
  window.print();
}
