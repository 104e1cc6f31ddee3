// Japanese labels for the change log's field paths (model/fields.rs) and operation kinds.
import { seireki, wareki } from "./format";

const SIMPLE: Record<string, string> = {
  title: "事業名",
  status: "状態",
  measures: "施策",
  position: "並び順",
  owners: "担当課",
  owners_note: "担当課の注記",
  "texts.issue": "課題",
  "texts.purpose": "目的",
  "texts.summary": "概要",
  "texts.goal": "目指す姿／目標",
  "texts.effects": "期待される効果",
  footnotes: "脚注",
  priority: "重点・緊急度・重要度",
  tags: "タグ",
  plan: "計画の基本情報",
  "(created)": "事業を作成",
  "(deleted)": "事業を削除",
};

const KIND: Record<string, string> = {
  create: "作成",
  sample: "サンプル作成",
  generate: "生成",
  local_edit: "編集",
  import: "取込",
  merge: "統合",
  resolve: "修正が重なった項目の解決",
  undo: "取消",
  version: "版の記録",
  rollover: "期間の延長・次期計画",
  settings: "設定",
  reorg: "組織改正",
  roster: "DX推進員名簿",
  rollup: "集計指標",
  round: "照会",
};

export function kindLabel(kind: string): string {
  return KIND[kind] ?? kind;
}

function fy(s: string): string {
  const n = Number(s);
  return Number.isFinite(n) ? `${seireki(n)}（${wareki(n)}）` : s;
}

/** 「指標「オンライン手続数」 2023年度（令和5年度） 実績」. `names` maps indicator and task ids to names. */
export function fieldLabel(field: string, names: ReadonlyMap<string, string> = new Map()): string {
  if (SIMPLE[field]) return SIMPLE[field];
  const parts = field.split("/");
  const named = (id: string, what: string) => (names.has(id) ? `${what}「${names.get(id)}」` : what);
  switch (parts[0]) {
    case "indicator": {
      const base = named(parts[1], "指標");
      if (parts.length === 2) return `${base}の定義`;
      const which = parts[3] === "target" ? "目標" : parts[3] === "actual" ? "実績" : parts[3];
      return `${base} ${fy(parts[2])} ${which}`;
    }
    case "task":
      return named(parts[1], "工程");
    case "budget":
      return `${parts[2] === "general_revenue" ? "うち一般財源" : "事業費"} ${fy(parts[1])}`;
    case "progress":
      return `進捗 ${fy(parts[1])}`;
    case "org_unit":
      return "組織";
    case "policy":
      return "基本方針";
    case "measure":
      return "施策";
    default:
      return field;
  }
}

/** A logged JSON value as people read it: strings bare, values by their text, null as 「（なし）」. */
export function valueText(json: string | null | undefined): string {
  if (json === null || json === undefined) return "（なし）";
  try {
    const v = JSON.parse(json);
    if (v === null) return "（なし）";
    if (typeof v === "string") return v;
    if (typeof v === "number") return String(v);
    if (typeof v === "object" && !Array.isArray(v) && typeof v.text === "string") return v.text;
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.join("、");
    return json.length > 120 ? `${json.slice(0, 120)}…` : json;
  } catch {
    return json;
  }
}
