// The UI's one way to the server: JSON over fetch with the bearer token from POST /auth/token, kept in
// sessionStorage (gone with the tab; no cookie, so no CSRF surface). A 401 drops the token and returns to login.

const tokenKey = 'sparkify.token';

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export const token = {
  get: (): string | null => sessionStorage.getItem(tokenKey),
  set: (value: string) => sessionStorage.setItem(tokenKey, value),
  clear: () => sessionStorage.removeItem(tokenKey),
};

/** Called on a 401: the app shows the login page. */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(fn: () => void): void {
  onUnauthorized = fn;
}

export async function request<T>(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<T> {
  const headers: Record<string, string> = { accept };
  const t = token.get();
  if (t) headers.authorization = `Bearer ${t}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), credentials: 'omit' });
  if (response.status === 401 && !path.startsWith('/auth/')) {
    token.clear();
    onUnauthorized();
  }
  if (!response.ok) throw new ApiError(response.status, await problemText(response));
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

/** The server's JSON problem (`detail`, `message` or `title`), else the status line. */
async function problemText(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const p = JSON.parse(text) as Record<string, unknown>;
    const detail = p.detail ?? p.message ?? p.title;
    if (typeof detail === 'string') return `${response.status}: ${detail}`;
    if (detail !== undefined) return `${response.status}: ${JSON.stringify(detail)}`;
  } catch {
    // not JSON: the status line says enough
  }
  return `${response.status} ${response.statusText}`;
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body: unknown) => request<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);

/** A path segment, encoded (run ids hold ':' and '+'). */
export const seg = (s: string) => encodeURIComponent(s);

export async function login(username: string, password: string): Promise<void> {
  const r = await request<{ access_token: string }>('POST', '/auth/token', { username, password });
  token.set(r.access_token);
}
