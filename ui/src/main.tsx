import { render } from "preact";
import { App } from "./app";
import { notify } from "./lib/notify";
import { installZoom } from "./lib/zoom";
import "./styles.css";

// A script error must never leave a blank window: show it, and keep it for the e2e tests.
function report(message: string) {
  document.body.dataset.scriptError = message;
  notify("error", `画面の処理でエラーが発生しました: ${message}`);
}
window.addEventListener("error", (e) => report(String(e.message)));
window.addEventListener("unhandledrejection", (e) => report(String((e.reason && (e.reason.message ?? e.reason)) ?? "unknown")));

installZoom();

const root = document.getElementById("app");
if (root) render(<App />, root);
