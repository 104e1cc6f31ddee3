// The change log's operation kinds as people read them; the labels are the core's
// (`OpKind::label`, generated into bindings.ts). Field labels and values of the log come
// already worded from the core (`history_view`).
import { OP_KIND_LABELS, type OpKind } from "../bindings";

export function kindLabel(kind: OpKind): string {
  return OP_KIND_LABELS[kind];
}
