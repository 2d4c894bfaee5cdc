import { parseAcs3Authorization } from './parseAcs3Authorization';

const sig = 'a'.repeat(64);

describe('parseAcs3Authorization', () => {
  test('reads the SDK form', () => {
    expect(parseAcs3Authorization(`ACS3-HMAC-SHA256 Credential=AK1,SignedHeaders=host;x-acs-date,Signature=${sig}`)).toEqual({
      ok: true,
      value: { accessKeyId: 'AK1', signedHeaders: ['host', 'x-acs-date'], signature: sig },
    });
  });

  test('allows spaces after the commas', () => {
    const parsed = parseAcs3Authorization(`ACS3-HMAC-SHA256 Credential=AK1, SignedHeaders=host, Signature=${sig}`);
    expect(parsed.ok && parsed.value.signedHeaders).toEqual(['host']);
  });

  test.each([
    [undefined, /missing/],
    ['HMAC-SHA1 Credential=AK1', /not supported/],
    [`ACS3-HMAC-SHA256 SignedHeaders=host,Signature=${sig}`, /Credential/],
    [`ACS3-HMAC-SHA256 Credential=AK1,Signature=${sig}`, /SignedHeaders/],
    ['ACS3-HMAC-SHA256 Credential=AK1,SignedHeaders=host,Signature=ABC', /64 lower-case hex/],
    [`ACS3-HMAC-SHA256 Credential=AK1,SignedHeaders=Host,Signature=${sig}`, /lower-case header names/],
    [`ACS3-HMAC-SHA256 Credential=AK1,Credential=AK2,SignedHeaders=host,Signature=${sig}`, /repeated/],
    [`ACS3-HMAC-SHA256 Credential=AK1,junk,SignedHeaders=host,Signature=${sig}`, /no value/],
  ])('rejects %s', (header, problem) => {
    const parsed = parseAcs3Authorization(header);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatch(problem);
  });
});
