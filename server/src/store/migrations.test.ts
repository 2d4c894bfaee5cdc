import { migrations, pendingMigrations, type Migration } from './migrations';

const m = (version: number): Migration => ({ version, name: `v${version}`, sqlite: '', postgres: '' });

describe('pendingMigrations', () => {
  it('returns every migration for a new database and none once all are applied', () => {
    expect(pendingMigrations([])).toEqual(migrations);
    expect(pendingMigrations(migrations.map((x) => x.version))).toEqual([]);
  });

  it('keeps order and skips only what is applied, ignoring versions it does not know', () => {
    expect(pendingMigrations([1, 3, 99], [m(1), m(2), m(3), m(4)]).map((x) => x.version)).toEqual([2, 4]);
  });

  it('rejects a list whose versions do not strictly increase', () => {
    expect(() => pendingMigrations([], [m(1), m(1)])).toThrow(/strictly increasing/);
    expect(() => pendingMigrations([], [m(2), m(1)])).toThrow(/strictly increasing/);
    expect(() => pendingMigrations([], [m(0)])).toThrow(/strictly increasing/);
  });

  it('ships both dialects for every migration', () => {
    for (const x of migrations) {
      expect(x.sqlite.trim()).not.toBe('');
      expect(x.postgres.trim()).not.toBe('');
    }
  });
});
