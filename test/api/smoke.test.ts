import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h.close());

describe('smoke', () => {
  it('health and login', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const c = await h.login('city.admin');
    const me = await c.request('GET', '/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('city.admin');
    const tree = await c.request('GET', '/api/institutions/tree');
    expect(tree.json().length).toBeGreaterThan(5);
  });
});
