import type { SectionProps } from "./section";
import { CommitInput } from "../../components/CommitInput";

const FIELDS: { key: "issue" | "purpose" | "summary" | "goal"; label: string }[] = [
  { key: "issue", label: "課題" },
  { key: "purpose", label: "目的" },
  { key: "summary", label: "概要" },
  { key: "goal", label: "目指す姿／目標" },
];

export function TextsSection(p: SectionProps) {
  const t = p.project.texts;
  const ro = !p.editable;
  return (
    <fieldset class="card" disabled={ro}>
      <legend>課題・目的・概要</legend>
      {FIELDS.map((f) => (
        <label class="block">
          <span>{f.label}</span>
          <CommitInput
            multiline
            rows={3}
            value={t[f.key]}
            testid={`field-${f.key}`}
            field={`texts.${f.key}`}
            label={f.label}
            onCommit={(v) => p.apply(f.label, (d) => { d.texts[f.key] = v; })}
          />
        </label>
      ))}
      <div class="block">
        <span class="label">期待される効果</span>
        <ul class="effects" data-testid="field-effects" data-field="texts.effects">
          {t.effects.map((e, i) => (
            <li key={`${i}:${e}`}>
              <CommitInput
                value={e}
                label={`期待される効果 ${i + 1}`}
                onCommit={(v) => p.apply("期待される効果", (d) => {
                  if (v.trim() === "") d.texts.effects.splice(i, 1);
                  else d.texts.effects[i] = v;
                })}
              />
              {!ro && <button class="link" aria-label="削除" onClick={() => void p.apply("期待される効果", (d) => { d.texts.effects.splice(i, 1); })}>×</button>}
            </li>
          ))}
          {!ro && (
            <li>
              <CommitInput
                value=""
                placeholder="＋ 効果を追加（Enter）"
                label="期待される効果を追加"
                testid="field-effect-add"
                onCommit={(v) => (v.trim() ? p.apply("期待される効果", (d) => { d.texts.effects.push(v.trim()); }) : true)}
              />
            </li>
          )}
        </ul>
      </div>
    </fieldset>
  );
}
