/** A tiny JSON client for the API over real HTTP. */
export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export function apiClient(baseUrl: string, token?: string) {
  async function call<T = any>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the assertion message
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }
  return {
    get: <T = any>(path: string) => call<T>('GET', path),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('POST', path, body, headers),
    call,
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

/** Logs in with the WeChat emulator's `test:<name>` code and returns a client with the token. */
export async function loginAs(baseUrl: string, name: string) {
  const answer = await apiClient(baseUrl).post('/auth/login', { code: `test:${name}` });
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { client: apiClient(baseUrl, answer.body.token), token: answer.body.token as string, user: answer.body.user as { id: number; openid: string } };
}
