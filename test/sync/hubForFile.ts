/** One hub for a test file and the laptops its tests open, each closed after its test. */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { makeHub, type Laptop, type TestHub } from './helpers';

export function hubForFile(): { readonly hub: TestHub; readonly laptops: Laptop[] } {
  let hub: TestHub | null = null;
  const laptops: Laptop[] = [];
  beforeAll(async () => {
    hub = await makeHub();
  });
  afterAll(async () => {
    await hub?.close();
  });
  afterEach(() => {
    for (const l of laptops.splice(0)) l.store.close();
  });
  return {
    get hub(): TestHub {
      if (!hub) throw new Error('the hub starts in beforeAll');
      return hub;
    },
    laptops,
  };
}
