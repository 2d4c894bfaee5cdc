/**
 * No request can take the local cloud or the API down (issue 11): a corpus of malformed request
 * lines and URLs, sent over raw sockets to all four servers of a running stack, is answered by
 * each in its own error format, and afterwards every server still serves normal requests.
 */
import { sendRawHttp } from '../../testkit/sendRawHttp';
import { signedOssFetch } from '../../testkit/signedOssFetch';
import { Stack, startStack } from '../../testkit/startStack';

const tail = 'Host: 127.0.0.1\r\nConnection: close\r\n\r\n';
const CORPUS: Array<[string, string]> = [
  ['a double slash', `GET // ${'HTTP/1.1'}\r\n${tail}`],
  ['a protocol-relative path', `GET //evil.example/x HTTP/1.1\r\n${tail}`],
  ['an unclosed IPv6 authority', `GET http://[ HTTP/1.1\r\n${tail}`],
  ['absolute-form', `GET http://example.com/no/such/path?x=1 HTTP/1.1\r\n${tail}`],
  ['absolute-form with a bad port', `GET http://example.com:99999/ HTTP/1.1\r\n${tail}`],
  ['bad percent-encoding in the path', `GET /%zz%E0%A4%A HTTP/1.1\r\n${tail}`],
  ['bad percent-encoding in the query', `GET /no/such/path?a=%zz&%E0=1 HTTP/1.1\r\n${tail}`],
  ['a 20 kB URL', `GET /${'a'.repeat(20_000)} HTTP/1.1\r\n${tail}`],
  ['a 20 kB header', `GET / HTTP/1.1\r\nX-Big: ${'b'.repeat(20_000)}\r\n${tail}`],
  ['an asterisk target', `GET * HTTP/1.1\r\n${tail}`],
  ['a space in the target', `GET /a b HTTP/1.1\r\n${tail}`],
  ['a control character in the target', `GET /\u0001 HTTP/1.1\r\n${tail}`],
  ['a target that is not a path', `GET [ HTTP/1.1\r\n${tail}`],
  ['an unknown HTTP version', `GET / HTTP/9.9\r\n${tail}`],
  ['garbage', `GARBAGE\r\n\r\n`],
  ['a broken Content-Length', `POST / HTTP/1.1\r\nContent-Length: abc\r\n${tail}`],
  ['a broken chunk', `POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n${tail}zz\r\nnot a chunk\r\n`],
];

type Format = (answer: { headers: Record<string, string>; body: string }) => void;

/** Each server's own error shape. */
const FORMATS: Record<string, Format> = {
  api: ({ headers, body }) => {
    expect(headers['content-type']).toMatch(/^application\/json/);
    const parsed = JSON.parse(body);
    expect(typeof parsed.error.code).toBe('string');
    expect(typeof parsed.error.message).toBe('string');
  },
  oss: ({ headers, body }) => {
    expect(headers['content-type']).toBe('application/xml');
    expect(body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>[A-Za-z]+<\/Code><Message>[^<]*<\/Message><RequestId>[0-9A-F]{24}<\/RequestId><HostId>/);
  },
  sts: ({ headers, body }) => {
    expect(headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(body)).toEqual(expect.objectContaining({ RequestId: expect.any(String), Code: expect.any(String), Message: expect.any(String) }));
  },
  wechat: ({ body }) => {
    const parsed = JSON.parse(body);
    expect(typeof parsed.errcode).toBe('number');
    expect(parsed.errcode).not.toBe(0);
    expect(typeof parsed.errmsg).toBe('string');
  },
};

let stack: Stack;
let ports: Record<string, number>;
beforeAll(async () => {
  stack = await startStack('sqlite');
  const port = (url: string) => Number(new URL(url).port);
  ports = { api: stack.api.port, oss: port(stack.cloud.urls.oss), sts: port(stack.cloud.urls.sts), wechat: port(stack.cloud.urls.wechat) };
});
afterAll(() => stack.close());

describe.each(['api', 'oss', 'sts', 'wechat'])('the %s server', (server) => {
  test.each(CORPUS)('answers %s with an error in its own format', async (_, request) => {
    const answer = await sendRawHttp(ports[server], request);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(600);
    FORMATS[server](answer);
  });
});

test('after the corpus every server still serves normal requests', async () => {
  for (const server of ['api', 'oss', 'sts', 'wechat']) {
    await Promise.all(CORPUS.map(([, request]) => sendRawHttp(ports[server], request)));
  }
  expect((await fetch(`${stack.api.url}/healthz`)).status).toBe(200);
  const login = await fetch(`${stack.api.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'test:alice' }) });
  expect(login.status).toBe(200);
  const head = await signedOssFetch(stack.cloud.urls.oss, {
    method: 'HEAD',
    key: 'families/1/none.jpg',
    bucket: stack.config.oss.bucket,
    credentials: { accessKeyId: stack.config.accessKey!.id, accessKeySecret: stack.config.accessKey!.secret },
    region: stack.config.oss.region,
  });
  expect(head.status).toBe(404);
  expect(head.headers.get('x-oss-ec')).toBe('0026-00000001');
});
