import { useEffect, useState } from "preact/hooks";
import { dismiss, subscribe, type Notice } from "../lib/notify";

export function Notices() {
  const [list, setList] = useState<Notice[]>([]);
  useEffect(() => subscribe(setList), []);
  return (
    <div class="notices" aria-live="polite">
      {list.map((n) => (
        <div class={`notice ${n.kind}`} role={n.kind === "error" ? "alert" : "status"} data-testid={`notice-${n.kind}`} title={n.detail}>
          <span>{n.text}</span>
          <button class="link" aria-label="閉じる" onClick={() => dismiss(n.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
