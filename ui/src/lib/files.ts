// Files the person picked, as the UI holds them: a handle (the path stays in Rust, issue 12)
// and the names to show.
import type { PickedFile } from "../bindings";

/** The picked file's folder and name as one path to show, in the folder's own separators. */
export function shownPath(f: Pick<PickedFile, "name" | "folder">): string {
  if (!f.folder) return f.name;
  const sep = f.folder.includes("\\") && !f.folder.includes("/") ? "\\" : "/";
  return f.folder.endsWith(sep) ? `${f.folder}${f.name}` : `${f.folder}${sep}${f.name}`;
}

/** `a` with those of `more` it does not hold yet (the same file keeps its handle). */
export function addFiles(a: PickedFile[], more: PickedFile[]): PickedFile[] {
  const have = new Set(a.map((f) => f.handle));
  return [...a, ...more.filter((f) => !have.has(f.handle))];
}
