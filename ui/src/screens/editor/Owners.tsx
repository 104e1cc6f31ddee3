import { useState } from "preact/hooks";
import { commands, run } from "../../api";
import type { SectionProps } from "./section";
import { CommitInput } from "../../components/CommitInput";

export function OwnersSection(p: SectionProps & { onUnitsChanged: () => void }) {
  const pr = p.project;
  const ro = !p.editable;
  const units = [...p.tree.units].sort((a, b) => a.name.localeCompare(b.name, "ja"));
  const name = (id: string) => p.tree.units.find((u) => u.id === id)?.name ?? "（不明な課）";
  const lead = pr.owners.find((o) => o.role === "lead");
  const co = pr.owners.filter((o) => o.role === "co");
  const [newUnit, setNewUnit] = useState("");

  return (
    <fieldset class="card" disabled={ro}>
      <legend>担当課</legend>
      <div class="grid2">
        <label>
          <span>主担当</span>
          <select
            data-testid="field-lead"
            data-field="owners"
            value={lead?.unit_id ?? ""}
            onChange={(e) => {
              const v = e.currentTarget.value;
              void p.apply("主担当", (d) => {
                const rest = d.owners.filter((o) => o.unit_id !== v && o.role === "co");
                d.owners = v ? [{ unit_id: v, role: "lead" }, ...rest] : rest;
              });
            }}
          >
            <option value="">（なし）</option>
            {units.map((u) => <option value={u.id}>{u.name}</option>)}
          </select>
        </label>
        <label>
          <span>担当課の注記（「ほか」など）</span>
          <CommitInput value={pr.owners_note} testid="field-owners-note" label="担当課の注記" onCommit={(v) => p.apply("担当課の注記", (d) => { d.owners_note = v.trim(); })} />
        </label>
        <div class="wide">
          <span class="label">共同担当</span>
          <div class="chips" data-testid="field-co-owners">
            {co.map((o) => (
              <span class="chip">
                {name(o.unit_id)}
                {!ro && <button class="link" aria-label={`${name(o.unit_id)}を外す`} onClick={() => void p.apply("共同担当", (d) => { d.owners = d.owners.filter((x) => !(x.role === "co" && x.unit_id === o.unit_id)); })}>×</button>}
              </span>
            ))}
            {!ro && (
              <select
                aria-label="共同担当を追加"
                value=""
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  if (v) void p.apply("共同担当", (d) => { if (!d.owners.some((o) => o.unit_id === v)) d.owners.push({ unit_id: v, role: "co" }); });
                }}
              >
                <option value="">＋ 共同担当を追加</option>
                {units.filter((u) => !pr.owners.some((o) => o.unit_id === u.id)).map((u) => <option value={u.id}>{u.name}</option>)}
              </select>
            )}
            {!ro && (
              <span class="inline-add">
                <input
                  type="text"
                  placeholder="一覧にない課を追加"
                  aria-label="新しい課の名前"
                  value={newUnit}
                  onInput={(e) => setNewUnit(e.currentTarget.value)}
                />
                <button
                  disabled={!newUnit.trim()}
                  onClick={async () => {
                    const u = await run(commands.addOrgUnit(newUnit), "課を追加できません");
                    if (!u) return;
                    setNewUnit("");
                    p.onUnitsChanged();
                    await p.apply("共同担当", (d) => {
                      if (!d.owners.some((o) => o.unit_id === u.id)) d.owners.push({ unit_id: u.id, role: d.owners.some((o) => o.role === "lead") ? "co" : "lead" });
                    });
                  }}
                >
                  追加
                </button>
              </span>
            )}
          </div>
        </div>
      </div>
    </fieldset>
  );
}
