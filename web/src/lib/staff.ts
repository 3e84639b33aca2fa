// Staff sign-in: an operator or auditor pastes the token `grindstone token --role ...` printed.
// It stays in this tab's sessionStorage (gone when the tab closes, never in a URL, never a
// cookie: the student pages' session cookie is left alone) and goes out as a Bearer token.

import { api, ApiError } from "./api";

export type StaffRole = "operator" | "auditor";

const KEY = "grindstone_staff_token";

function tabStorage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

export function storedToken(storage: Storage | null = tabStorage()): string | null {
  return storage?.getItem(KEY) || null;
}

export function keepToken(token: string, storage: Storage | null = tabStorage()): void {
  storage?.setItem(KEY, token.trim());
}

export function forgetToken(storage: Storage | null = tabStorage()): void {
  storage?.removeItem(KEY);
}

/** The role a token names (its first part), or null when it is not shaped like one. The
 * server alone decides what a token may do; this only words the page's sentences. */
export function roleOf(token: string): string | null {
  const parts = token.trim().split(".");
  return parts.length === 4 && parts[0] ? parts[0] : null;
}

/** The sentence for a staff request the server refused, or null for other failures. */
export function refusal(problem: unknown, role: StaffRole, token: string): string | null {
  if (!(problem instanceof ApiError)) return null;
  const command = `grindstone token --role ${role}`;
  if (problem.status === 401) {
    return `This token is not valid or has expired. Ask for a new one (\`${command}\`) and sign in again.`;
  }
  if (problem.status === 403) {
    const held = roleOf(token) ?? "another";
    return `This page is for ${role}s only: the token you signed in with is a ${held}'s. Sign in with an ${role}'s token (\`${command}\`).`;
  }
  return null;
}

type Method = "GET" | "POST";

/** An API call with the staff token of this tab. */
export function staffApi<T>(token: string, path: string, method: Method = "GET", body?: unknown) {
  return api<T>(path, method, body, { Authorization: `Bearer ${token}` });
}
