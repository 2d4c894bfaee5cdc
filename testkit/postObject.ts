import { request } from 'node:http';
import { postObjectFormFields, type OssUploadConfig } from '../typings';

/** The form a phone posts to OSS with a signature from the API; `file` goes last, as OSS requires. */
export function uploadForm(config: OssUploadConfig, key: string, bytes: Buffer, contentType: string, overrides: Record<string, string> = {}): FormData {
  const form = new FormData();
  const fields = { ...postObjectFormFields(config, key, contentType), ...overrides };
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: contentType }), key.split('/').pop());
  return form;
}

export async function postObject(config: OssUploadConfig, key: string, bytes: Buffer, contentType = 'image/jpeg', overrides?: Record<string, string>) {
  const response = await fetch(config.host, { method: 'POST', body: uploadForm(config, key, bytes, contentType, overrides) });
  return { status: response.status, text: await response.text() };
}

/** The same form sent with a chosen Host header (virtual-hosted bucket addressing), which fetch cannot set. */
export async function postObjectWithHost(url: string, host: string, form: FormData): Promise<{ status: number; text: string }> {
  const encoded = new Response(form);
  const body = Buffer.from(await encoded.arrayBuffer());
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { host, 'content-type': encoded.headers.get('content-type') ?? '', 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
