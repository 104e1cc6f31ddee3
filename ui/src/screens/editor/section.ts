// What the project sheet's sections share with the editor that holds them (and with the version
// viewer, which shows the same sections read-only): kept apart so neither imports the other.
import type { PlanTree, Project, RollupDto } from "../../api";
import type { Refused } from "../../components/CommitInput";

/** Applies a change to a draft of the project and saves it; resolves `true`, or the reason it was refused. */
export type Apply = (label: string, change: (draft: Project) => void | Promise<void>) => Promise<true | Refused>;

export interface SectionProps {
  project: Project;
  tree: PlanTree;
  editable: boolean;
  apply: Apply;
  /** Roll-up indicators of the project (sums of others): shown computed, read-only. */
  rollups?: RollupDto[];
}

/** Where the editor should go once a project is open: a field path (`budget/2024/planned`). */
export interface FocusRequest {
  field: string;
  n: number;
}
