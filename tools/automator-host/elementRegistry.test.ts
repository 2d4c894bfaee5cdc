import { createElementRegistry } from './elementRegistry';

describe('createElementRegistry', () => {
  test('one node keeps one id; ids are found only on their page', () => {
    const registry = createElementRegistry<object>();
    const a = {};
    const b = {};
    const idA = registry.idOf(1, a);
    expect(registry.idOf(1, a)).toBe(idA);
    expect(registry.idOf(1, b)).not.toBe(idA);
    expect(registry.find(1, idA)).toBe(a);
    expect(registry.find(2, idA)).toBeUndefined();
    expect(registry.find(1, 'nope')).toBeUndefined();
  });

  test('dropping a page forgets its elements', () => {
    const registry = createElementRegistry<object>();
    const a = {};
    const idA = registry.idOf(1, a);
    const other = registry.idOf(2, {});
    registry.dropPage(1);
    expect(registry.find(1, idA)).toBeUndefined();
    expect(registry.find(2, other)).toBeDefined();
    expect(registry.idOf(1, a)).not.toBe(idA);
  });
});
