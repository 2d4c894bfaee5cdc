import express from 'express';
import type { AddressInfo } from 'node:net';
import { methodOverride } from './methodOverride';

/** A real Express app with the override mounted as createApp mounts it (after the JSON parser). */
async function withApp(run: (url: string) => Promise<void>) {
  const app = express();
  app.use(express.json());
  app.use(methodOverride);
  app.patch('/thing', (req, res) => void res.json({ method: 'PATCH', body: req.body }));
  app.post('/thing', (_req, res) => void res.json({ method: 'POST' }));
  app.delete('/thing', (_req, res) => void res.json({ method: 'DELETE' }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/thing`);
  } finally {
    server.close();
  }
}

const send = (url: string, method: string, headers: Record<string, string> = {}) =>
  fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name: 'x' }) }).then((r) => r.json());

test('a POST marked X-HTTP-Method-Override: PATCH reaches the PATCH route with its body (wx.request has no PATCH)', async () => {
  await withApp(async (url) => {
    expect(await send(url, 'POST', { 'X-HTTP-Method-Override': 'patch' })).toEqual({ method: 'PATCH', body: { name: 'x' } });
    expect(await send(url, 'POST')).toEqual({ method: 'POST' });
  });
});

test('nothing but POST → PATCH: other overrides and other methods are left alone', async () => {
  await withApp(async (url) => {
    expect(await send(url, 'POST', { 'X-HTTP-Method-Override': 'DELETE' })).toEqual({ method: 'POST' });
    expect(await send(url, 'DELETE', { 'X-HTTP-Method-Override': 'PATCH' })).toEqual({ method: 'DELETE' });
  });
});
