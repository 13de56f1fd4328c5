import { describe, expect, it } from 'vitest';
import { cliConfigFromEnv, ConfigError, loadConfig, storeConfig, storeConfigFromEnv } from './config.ts';

describe('configuration', () => {
  it('the time-of-record skew defaults to 2 min ahead, 10 behind, and is read in seconds', () => {
    expect(loadConfig({}).recordTime).toEqual({ aheadMs: 120_000, behindMs: 600_000 });
    expect(loadConfig({ GUISHU_CLOCK_AHEAD_S: '30', GUISHU_CLOCK_BEHIND_S: '300' }).recordTime).toEqual({ aheadMs: 30_000, behindMs: 300_000 });
    expect(() => loadConfig({ GUISHU_CLOCK_BEHIND_S: '-1' })).toThrow(ConfigError);
  });

  it('GUISHU_TRUST_PROXY: hops, true, or addresses; anything else names the variable', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(loadConfig({ GUISHU_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ GUISHU_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ GUISHU_TRUST_PROXY: '127.0.0.1,10.0.0.0/8' }).trustProxy).toBe('127.0.0.1,10.0.0.0/8');
    expect(() => loadConfig({ GUISHU_TRUST_PROXY: 'everyone' })).toThrow(/GUISHU_TRUST_PROXY/);
  });

  it('GUISHU_WARM_PROJECTS bounds the projects held in memory (0, the default: no limit); GUISHU_JUDGE_RATE and GUISHU_ADMIN_PASSWORD are in the schema too', () => {
    expect(loadConfig({}).warmProjects).toBe(0);
    expect(loadConfig({ GUISHU_WARM_PROJECTS: '8' }).warmProjects).toBe(8);
    expect(() => loadConfig({ GUISHU_WARM_PROJECTS: 'few' })).toThrow(/GUISHU_WARM_PROJECTS/);
    expect(() => loadConfig({ GUISHU_WARM_PROJECTS: '-1' })).toThrow(/GUISHU_WARM_PROJECTS/);
    expect(loadConfig({ GUISHU_JUDGE_RATE: '120', GUISHU_ADMIN_PASSWORD: 'pw' })).toMatchObject({ judgeRate: 120, adminPassword: 'pw' });
    expect(() => loadConfig({ GUISHU_JUDGE_RATE: '0' })).toThrow(/GUISHU_JUDGE_RATE/);
  });

  it('the store: PostgreSQL only when DATABASE_URL is set, else SQLite in GUISHU_DATA; the store commands read only those two', () => {
    expect(storeConfigFromEnv({})).toEqual({ kind: 'sqlite', dataDir: './data' });
    expect(storeConfigFromEnv({ GUISHU_DATA: '/srv/guishu' })).toEqual({ kind: 'sqlite', dataDir: '/srv/guishu' });
    expect(storeConfigFromEnv({ DATABASE_URL: 'postgres://x@h/db', GUISHU_DATA: '/srv' })).toEqual({ kind: 'postgres', url: 'postgres://x@h/db' });
    expect(storeConfigFromEnv({ DATABASE_URL: ' ', PORT: 'not a port' })).toEqual({ kind: 'sqlite', dataDir: './data' });
    expect(() => storeConfigFromEnv({ DATABASE_URL: 'mysql://x@h/db' })).toThrow(/DATABASE_URL/);
    expect(storeConfig(loadConfig({ DATABASE_URL: 'postgresql://x@h/db' }))).toEqual({ kind: 'postgres', url: 'postgresql://x@h/db' });
  });

  it('GUISHU_ADDRESS_RATE: absent unless set (guishu start then applies its default)', () => {
    expect(loadConfig({}).addressRate).toBeUndefined();
    expect(loadConfig({ GUISHU_ADDRESS_RATE: '0' }).addressRate).toBe(0);
    expect(loadConfig({}).loginRate).toBe(20);
    expect(() => loadConfig({ GUISHU_ADDRESS_RATE: 'lots' })).toThrow(/GUISHU_ADDRESS_RATE/);
  });

  it('the client commands\' variables: GUISHU_TOKEN, GUISHU_USER, GUISHU_PASSWORD (blank: unset)', () => {
    expect(cliConfigFromEnv({})).toEqual({ token: undefined, user: undefined, password: undefined });
    expect(cliConfigFromEnv({ GUISHU_TOKEN: 't0k', GUISHU_USER: 'admin', GUISHU_PASSWORD: ' pw ', PORT: 'x' })).toEqual({ token: 't0k', user: 'admin', password: ' pw ' });
    expect(cliConfigFromEnv({ GUISHU_TOKEN: '  ' }).token).toBeUndefined();
  });
});
