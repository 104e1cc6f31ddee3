// The typed commands (generated from Rust in bindings.ts) plus error handling for the screens.
import { Channel } from "@tauri-apps/api/core";
import { commands } from "./bindings";
import type { AppError, ProgressEvent } from "./bindings";
import { notify } from "./lib/notify";

export * from "./bindings";
export { commands };

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
