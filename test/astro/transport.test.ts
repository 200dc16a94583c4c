import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAstroClient } from '../../src/astro/client.ts';
import type { AstroClient } from '../../src/astro/client.ts';
import { VERSION } from '../../src/version.ts';
import { failure } from './emulator-fixtures.ts';

// Lowest-level transport behaviour (hangs, resets, odd bodies) against a tiny local server.
// API behaviour (pagination, 429s, fallbacks) is tested against the emulator in client.test.ts.

const TOKEN = 'tok_SECRET_6f1d2c9a8b7e';
const ORG = 'clx42kkcm01fo01o06agtmshg';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

let server: Server | undefined;
let client: AstroClient | undefined;

afterEach(async () => {
  await client?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
  client = undefined;
});

async function serve(handler: Handler): Promise<string> {
  let n = 0;
  server = createServer((req, res) => handler(req, res, ++n));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

function connect(baseUrl: string, extra: Partial<Parameters<typeof createAstroClient>[0]> = {}): AstroClient {
  client = createAstroClient({
    baseUrl,
    token: TOKEN,
    organizationId: ORG,
    rateLimits: false,
    backoff: { baseMs: 1, maxMs: 5 },
    ...extra,
  });
  return client;
}

const token = { id: 'ctok', name: 'n', description: '', shortToken: 's', scope: 'WORKSPACE', kind: 'STANDARD',
  startAt: '2026-01-01T00:00:00Z', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' };

describe('transport', () => {
  it('sends the bearer token, a User-Agent naming astro-access and its version, the API version, under the base path', async () => {
    const seen: IncomingMessage[] = [];
    const url = await serve((req, res) => {
      seen.push(req);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(token));
    });
    const { token: got } = await connect(`${url}/`).getToken('ctok');
    expect(got.roles).toEqual([]); // roles absent on the wire → []
    expect(seen[0]?.url).toBe(`/v1/organizations/${ORG}/tokens/ctok`);
    expect(seen[0]?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]?.headers['user-agent']).toBe(`astro-access/${VERSION}`);
    expect(seen[0]?.headers['x-api-version']).toBe('1.0');
  });

  it('times out a hung server with a clear error that counts the attempts', async () => {
    const url = await serve(() => {
      /* never answers */
    });
    const c = connect(url, { maxAttempts: 2, timeouts: { connectMs: 1000, headersMs: 150, bodyMs: 150 } });
    const err = await failure(c.listWorkspaces());
    expect(err.message).toBe(
      `Astro API GET /organizations/${ORG}/workspaces failed: no response within 150 ms (headers timeout) (2 attempts)`,
    );
    expect(err.attempts).toBe(2);
    expect(err.status).toBeUndefined();
    expect(c.stats().requests.GET).toBe(2);
  });

  it('retries a connection reset before the response and a body cut off midway', async () => {
    const url = await serve((req, res, n) => {
      if (n === 1) return req.socket.destroy();
      if (n === 2) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
        res.write('{"workspaces": [');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ workspaces: [], totalCount: 0, offset: 0, limit: 1000 }));
    });
    const c = connect(url);
    await expect(c.listWorkspaces()).resolves.toEqual([]);
    expect(c.stats()).toMatchObject({ requests: { GET: 3 }, retries: 2 });
  });

  it('gives a readable error for a non-JSON error body, without retrying a 4xx', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html', 'x-request-id': 'req-html-1' });
      res.end('<html><body><h1>Not Found</h1></body></html>');
    });
    const c = connect(url);
    const err = await failure(c.getToken('nope'));
    expect(err.message).toBe(
      `Astro API GET /organizations/${ORG}/tokens/nope failed: 404 Not Found: non-JSON response: Not Found (request ID req-html-1; 1 attempt)`,
    );
    expect(c.stats().requests.GET).toBe(1);
  });

  it('retries a success answer whose body is not JSON', async () => {
    const url = await serve((_req, res, n) => {
      res.setHeader('content-type', 'application/json');
      res.end(n === 1 ? '{"id": "ctok", "na' : JSON.stringify(token));
    });
    const c = connect(url);
    expect((await c.getToken('ctok')).token.id).toBe('ctok');
    expect(c.stats().retries).toBe(1);
  });

  it('masks the token when the API echoes it, and redacts Authorization in debug lines', async () => {
    const url = await serve((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `token ${req.headers['authorization']} is invalid`, requestId: 'r401', statusCode: 401,
        fieldErrors: [{ field: 'authorization', code: 'invalid', message: `bad ${TOKEN}` }] }));
    });
    const lines: string[] = [];
    const c = connect(url, { debug: (line) => lines.push(line) });
    const err = await failure(c.listTokens());
    expect(err.message).toContain('401 Unauthorized: token Bearer *** is invalid; authorization: bad ***');
    expect(err.message).toContain('request ID r401; 1 attempt');
    expect(err.fieldErrors).toEqual([{ field: 'authorization', code: 'invalid', message: 'bad ***' }]);
    expect(lines.some((l) => l.includes('authorization: Bearer [REDACTED]'))).toBe(true);
    for (const text of [err.message, err.stack ?? '', JSON.stringify(err), ...lines]) expect(text).not.toContain(TOKEN);
  });

  it('refuses plain http to a host that is not loopback before any request', () => {
    expect(() => createAstroClient({ baseUrl: 'http://api.example.com/v1', token: TOKEN, organizationId: ORG })).toThrow(
      /plain http/,
    );
  });
});
