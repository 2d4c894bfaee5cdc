/**
 * withPgTransaction against a real PostgreSQL: two transactions that lock two rows in opposite
 * orders deadlock; PostgreSQL aborts one (40P01), and the store reruns it from BEGIN so both land.
 */
import { randomBytes } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { deferred } from '../../testkit/deferred';
import { withPgTransaction } from '../../server/src/store/withPgTransaction';

const pgUrl = process.env.TEST_DATABASE_URL;

(pgUrl ? describe : describe.skip)('withPgTransaction on PostgreSQL', () => {
  const schema = `retry_test_${randomBytes(6).toString('hex')}`;
  let pool: Pool;

  beforeAll(async () => {
    const admin = new Pool({ connectionString: pgUrl, max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    pool = new Pool({ connectionString: pgUrl, max: 4, options: `-c search_path=${schema}` });
  });
  beforeEach(async () => {
    await pool.query('DROP TABLE IF EXISTS counters');
    await pool.query('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)');
    await pool.query('INSERT INTO counters VALUES (1, 0), (2, 0)');
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    await pool.end();
  });

  /** Two transactions bumping both rows in opposite orders, each waiting (first time only) until the other holds its first row. */
  function crossedPair(attempts: number) {
    const holds = [deferred<void>(), deferred<void>()];
    const runs = [0, 0];
    const bump = (c: PoolClient, id: number) => c.query('UPDATE counters SET n = n + 1 WHERE id = $1', [id]);
    const transaction = (me: 0 | 1) =>
      withPgTransaction(
        pool,
        async (c) => {
          runs[me] += 1;
          const [first, second] = me === 0 ? [1, 2] : [2, 1];
          await bump(c, first);
          if (runs[me] === 1) {
            holds[me].resolve();
            await holds[1 - me].promise;
          }
          await bump(c, second);
        },
        { attempts, sleep: async () => {} },
      );
    return { settled: Promise.allSettled([transaction(0), transaction(1)]), runs };
  }

  test('a deadlock victim is rerun once and both transactions land, each exactly once', async () => {
    const { settled, runs } = crossedPair(5);
    expect((await settled).map((s) => s.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(runs[0] + runs[1]).toBe(3);
    expect((await pool.query('SELECT n FROM counters ORDER BY id')).rows).toEqual([{ n: 2 }, { n: 2 }]);
  });

  test('without a retry left, the deadlock reaches the caller (the case the retry exists for)', async () => {
    const { settled } = crossedPair(1);
    const outcomes = await settled;
    expect(outcomes.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason.code)).toEqual(['40P01']);
    expect((await pool.query('SELECT n FROM counters ORDER BY id')).rows).toEqual([{ n: 1 }, { n: 1 }]);
  });
});
