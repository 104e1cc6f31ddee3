// The typed commands (generated from Rust in bindings.ts) plus error handling for the screens.
import { Channel } from "@tauri-apps/api/core";
import { commands as sent } from "./bindings";
import type { AppError, ProgressEvent } from "./bindings";
import { notify } from "./lib/notify";
import { unpackTrees, type Unpacked } from "./lib/tree";

export * from "./bindings";
export type { PlanTree } from "./lib/tree";

type Sent = typeof sent;
type Commands = { [K in keyof Sent]: Sent[K] extends (...a: infer A) => Promise<infer R> ? (...a: A) => Promise<Unpacked<R>> : Sent[K] };

/** The shell's commands; a plan tree in an answer comes unpacked (`lib/tree.ts`). */
export const commands = Object.fromEntries(
  Object.entries(sent).map(([name, f]) => [name, (...a: unknown[]) => (f as (...a: unknown[]) => Promise<unknown>)(...a).then(unpackTrees)]),
) as unknown as Commands;

export function isAppError(e: unknown): e is AppError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

/** The Japanese message of anything a command threw. */
export function errorText(e: unknown): string {
  if (isAppError(e)) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Runs a command; on failure shows its Japanese message and returns undefined. */
export async function run<T>(p: Promise<T>, context?: string): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    const msg = errorText(e);
    notify("error", context ? `${context}: ${msg}` : msg, isAppError(e) ? e.detail : undefined);
    return undefined;
  }
}

/** A progress channel for long commands. */
export function progressChannel(onEvent: (e: ProgressEvent) => void): Channel<ProgressEvent> {
  const ch = new Channel<ProgressEvent>();
  ch.onmessage = onEvent;
  return ch;
}
