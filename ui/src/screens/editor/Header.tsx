import type { SectionProps } from "./section";
import { CommitInput } from "../../components/CommitInput";

/** National 自治体DX推進計画 focus areas, offered as tags. */
export const NATIONAL_TAGS = [
  "重点取組事項① 自治体フロントヤード改革",
  "重点取組事項② 自治体の情報システムの標準化・共通化",
  "重点取組事項③ 公金収納におけるeLTAXの活用",
  "重点取組事項④ マイナンバーカードの普及促進・利用の推進",
  "重点取組事項⑤ セキュリティ対策の徹底",
  "重点取組事項⑥ 自治体のAI・RPAの利用推進",
  "あわせて取り組むべき事項① テレワークの推進",
  "あわせて取り組むべき事項② デジタル田園都市国家構想の実現に向けたデジタル基盤の整備",
  "あわせて取り組むべき事項③ デジタルデバイド対策",
];

function intOrNull(text: string): number | null | "bad" {
  const t = text.normalize("NFKC").trim();
  if (t === "" || t === "-" || t === "－") return null;
  if (!/^\d{1,3}$/.test(t)) return "bad";
  const n = Number(t);
  return n <= 100 ? n : "bad";
}

export function HeaderSection(p: SectionProps & { code: string }) {
  const pr = p.project;
  const ro = !p.editable;
  const measures = p.tree.measures;
  const mLabel = (id: string) => {
    const m = measures.find((x) => x.id === id);
    return m ? `${m.code} ${m.title}` : "（不明な施策）";
  };
  return (
    <fieldset class="card" disabled={ro}>
      <legend>基本情報（事務局が管理する項目）</legend>
      <div class="grid2">
        <label class="wide">
          <span>取組名</span>
          <CommitInput value={pr.title} testid="field-title" field="title" label="取組名" onCommit={(v) => p.apply("取組名", (d) => {
            if (!v.trim()) throw new Error("取組名は空にできません。");
            d.title = v.trim();
          })} />
        </label>
        <label>
          <span>状態</span>
          <select data-testid="field-status" data-field="status" value={pr.status} onChange={(e) => { const v = e.currentTarget.value as ProjectStatus; void p.apply("状態", (d) => { d.status = v; }); }}>
            <option value="active">実施中</option>
            <option value="proposed">提案（課からの新規）</option>
            <option value="ended">終了</option>
          </select>
        </label>
        <label>
          <span>重点</span>
          <select data-testid="field-flag" data-field="priority" value={pr.priority.flag} onChange={(e) => { const v = e.currentTarget.value as Flag; void p.apply("重点", (d) => { d.priority.flag = v; }); }}>
            <option value="none">なし</option>
            <option value="重点">重点</option>
            <option value="最重点">最重点</option>
          </select>
        </label>
        <label>
          <span>緊急度（0–100）</span>
          <CommitInput
            value={pr.priority.urgency === null ? "" : String(pr.priority.urgency)}
            inputMode="numeric"
            testid="field-urgency"
            label="緊急度"
            onCommit={(v) => {
              const n = intOrNull(v);
              if (n === "bad") return p.apply("緊急度", () => { throw new Error("緊急度は 0～100 の整数で入力してください。"); });
              return p.apply("緊急度", (d) => { d.priority.urgency = n; });
            }}
          />
        </label>
        <label>
          <span>重要度（0–100）</span>
          <CommitInput
            value={pr.priority.importance === null ? "" : String(pr.priority.importance)}
            inputMode="numeric"
            testid="field-importance"
            label="重要度"
            onCommit={(v) => {
              const n = intOrNull(v);
              if (n === "bad") return p.apply("重要度", () => { throw new Error("重要度は 0～100 の整数で入力してください。"); });
              return p.apply("重要度", (d) => { d.priority.importance = n; });
            }}
          />
        </label>
        <label>
          <span>並び順（施策内、番号の元）</span>
          <CommitInput
            value={String(pr.position)}
            inputMode="numeric"
            testid="field-position"
            field="position"
            label="並び順"
            onCommit={(v) => {
              const n = Number(v.normalize("NFKC").trim());
              return p.apply("並び順", (d) => {
                if (!Number.isInteger(n) || n < 1 || n > 9999) throw new Error("並び順は 1 以上の整数で入力してください。");
                d.position = n;
              });
            }}
          />
        </label>
        <label class="wide">
          <span>施策（主）</span>
          <select
            data-testid="field-measure"
            data-field="measures"
            value={pr.measure_ids[0]}
            onChange={(e) => {
              const v = e.currentTarget.value;
              void p.apply("施策", (d) => { d.measure_ids = [v, ...d.measure_ids.slice(1).filter((x) => x !== v)]; });
            }}
          >
            {measures.map((m) => <option value={m.id}>{m.code} {m.title}</option>)}
          </select>
        </label>
        <div class="wide">
          <span class="label">施策（再掲）</span>
          <div class="chips">
            {pr.measure_ids.slice(1).map((id) => (
              <span class="chip">
                {mLabel(id)}
                {!ro && <button class="link" aria-label="外す" onClick={() => void p.apply("施策（再掲）", (d) => { d.measure_ids = d.measure_ids.filter((x, i) => i === 0 || x !== id); })}>×</button>}
              </span>
            ))}
            {!ro && (
              <select
                aria-label="再掲する施策を追加"
                value=""
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  if (v) void p.apply("施策（再掲）", (d) => { if (!d.measure_ids.includes(v)) d.measure_ids.push(v); });
                }}
              >
                <option value="">＋ 施策を追加</option>
                {measures.filter((m) => !pr.measure_ids.includes(m.id)).map((m) => <option value={m.id}>{m.code} {m.title}</option>)}
              </select>
            )}
          </div>
        </div>
        <div class="wide">
          <span class="label">タグ（国の重点取組事項など）</span>
          <div class="chips" data-testid="field-tags" data-field="tags">
            {pr.tags.map((t) => (
              <span class="chip">
                {t}
                {!ro && <button class="link" aria-label={`タグ「${t}」を外す`} onClick={() => void p.apply("タグ", (d) => { d.tags = d.tags.filter((x) => x !== t); })}>×</button>}
              </span>
            ))}
            {!ro && (
              <CommitInput
                value=""
                placeholder="＋ タグを追加（Enter）"
                list="national-tags"
                label="タグを追加"
                testid="field-tag-add"
                onCommit={(v) => {
                  const t = v.trim();
                  if (!t) return true;
                  return p.apply("タグ", (d) => { if (!d.tags.includes(t)) d.tags.push(t); });
                }}
              />
            )}
            <datalist id="national-tags">{NATIONAL_TAGS.map((t) => <option value={t} />)}</datalist>
          </div>
        </div>
      </div>
    </fieldset>
  );
}

type ProjectStatus = SectionProps["project"]["status"];
type Flag = SectionProps["project"]["priority"]["flag"];
