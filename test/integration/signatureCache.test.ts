import { loginAs } from '../../testkit/apiClient';
import { Stack, startStack } from '../../testkit/startStack';

describe('upload signatures share cached STS credentials', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('sqlite');
  });
  afterAll(() => stack.close());

  test('100 concurrent signature requests on a cold cache make one AssumeRole call', async () => {
    const { client } = await loginAs(stack.api.url, 'grandma');
    const { family, album } = (await client.post('/families', { name: '外婆家' })).body;
    expect(stack.cloud.sts.stats().assumeRoleCalls).toBe(0);

    const answers = await Promise.all(Array.from({ length: 100 }, () => client.get(`/families/oss/signature?family_id=${family.id}&album_id=${album.id}`)));
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
    expect(stack.cloud.sts.stats().assumeRoleCalls).toBe(1);
    expect(new Set(answers.map((a) => a.body.credential.split('/')[0])).size).toBe(1);
    expect(answers[0].headers.get('cache-control')).toBe('no-store');
  });
});
