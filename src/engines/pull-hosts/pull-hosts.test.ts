// The table-pull allow-list matcher (数据汇聚白名单): entry parsing and normalization, and the decision.
import { describe, expect, it } from 'vitest';
import { checkPullTarget, parseAddress, parsePullHostEntry, validatePullHosts } from './index.ts';

const norm = (s: string) => {
  const r = parsePullHostEntry(s);
  return r.ok ? r.normalized : null;
};

describe('parsePullHostEntry', () => {
  it('accepts host names, addresses and ranges, with or without a port, and normalizes them', () => {
    expect(norm('  DB.Example.CN ')).toBe('db.example.cn');
    expect(norm('db.example.cn.:5432')).toBe('db.example.cn:5432');
    expect(norm('localhost')).toBe('localhost');
    expect(norm('127.0.0.1')).toBe('127.0.0.1');
    expect(norm('10.0.0.5:3306')).toBe('10.0.0.5:3306');
    expect(norm('10.20.0.0/16')).toBe('10.20.0.0/16');
    expect(norm('10.20.7.9/16')).toBe('10.20.0.0/16'); // host bits dropped
    expect(norm('10.20.0.0/16:5432')).toBe('10.20.0.0/16:5432');
    expect(norm('10.0.0.1/32')).toBe('10.0.0.1');
    expect(norm('::1')).toBe('::1');
    expect(norm('FD00:0:0::0001')).toBe('fd00::1');
    expect(norm('fd00::/8')).toBe('fd00::/8');
    expect(norm('[fd00::1]:5432')).toBe('[fd00::1]:5432');
    expect(norm('[fd00::/8]:5432')).toBe('[fd00::/8]:5432');
    expect(norm('[::1]')).toBe('::1');
    expect(norm('::ffff:10.1.2.3')).toBe('10.1.2.3'); // IPv4-mapped counts as IPv4
    expect(norm('0.0.0.0/0')).toBe('0.0.0.0/0');
  });

  it('refuses what is not an entry', () => {
    for (const bad of [
      '',
      '   ',
      'db.example.cn:0',
      'db.example.cn:65536',
      'db.example.cn:abc',
      'host with space',
      'postgres://db.example.cn',
      'db..example',
      '-db.example',
      '10.0.0.256',
      '10.0.0',
      '010.0.0.1',
      '10.0.0.0/33',
      'fd00::/129',
      '[fd00::1',
      '[fd00::1]5432',
      '[db.example.cn]:5432',
      'db.example.cn/24',
      '1:2:3:4:5:6:7:8:9',
      'fd00:::1',
      'fe80::1%eth0',
      `${'a'.repeat(64)}.cn`,
    ]) {
      expect(parsePullHostEntry(bad).ok, bad).toBe(false);
    }
  });
});

describe('validatePullHosts', () => {
  it('normalizes, removes duplicates and lists each bad entry with its index', () => {
    const v = validatePullHosts(['LocalHost', 'localhost', '10.0.0.0/8', 'nope:99999', '127.0.0.1']);
    expect(v.entries).toEqual(['localhost', '10.0.0.0/8', '127.0.0.1']);
    expect(v.errors).toHaveLength(1);
    expect(v.errors[0]).toMatchObject({ index: 3, entry: 'nope:99999' });
    expect(v.errors[0]?.reason.en).toMatch(/port/);
  });
});

describe('checkPullTarget', () => {
  it('an empty list refuses everything (secure by default)', () => {
    expect(checkPullTarget([], { host: '127.0.0.1', port: 5432, addresses: ['127.0.0.1'] }).allowed).toBe(false);
  });

  it('allows by exact host name, case-insensitively, whatever it resolves to', () => {
    const d = checkPullTarget(['DB.example.cn'], { host: 'db.EXAMPLE.cn', port: 5432, addresses: ['203.0.113.9'] });
    expect(d).toEqual({ allowed: true, by: 'db.example.cn' });
    expect(checkPullTarget(['db.example.cn'], { host: 'other.example.cn', port: 5432, addresses: ['203.0.113.9'] }).allowed).toBe(false);
    // A suffix is not a match.
    expect(checkPullTarget(['example.cn'], { host: 'db.example.cn', port: 5432, addresses: ['203.0.113.9'] }).allowed).toBe(false);
  });

  it('a host-name entry does not allow an address literal that happens to look like it', () => {
    expect(checkPullTarget(['localhost'], { host: '127.0.0.1', port: 5432, addresses: ['127.0.0.1'] }).allowed).toBe(false);
  });

  it('allows by address and by CIDR, IPv4 and IPv6', () => {
    expect(checkPullTarget(['127.0.0.1'], { host: '127.0.0.1', port: 5432, addresses: ['127.0.0.1'] }).allowed).toBe(true);
    expect(checkPullTarget(['10.20.0.0/16'], { host: 'db', port: 3306, addresses: ['10.20.3.4'] }).allowed).toBe(true);
    expect(checkPullTarget(['10.20.0.0/16'], { host: 'db', port: 3306, addresses: ['10.21.0.1'] })).toEqual({ allowed: false, outside: ['10.21.0.1'] });
    expect(checkPullTarget(['fd00::/8'], { host: 'db', port: 5432, addresses: ['fd12:3456::1'] }).allowed).toBe(true);
    expect(checkPullTarget(['fd00::/8'], { host: 'db', port: 5432, addresses: ['fe80::1'] }).allowed).toBe(false);
    expect(checkPullTarget(['::1'], { host: '::1', port: 5432, addresses: ['::1'] }).allowed).toBe(true);
    // An IPv4-mapped IPv6 address is checked as the IPv4 address.
    expect(checkPullTarget(['10.0.0.0/8'], { host: 'db', port: 5432, addresses: ['::ffff:10.1.2.3'] }).allowed).toBe(true);
    expect(checkPullTarget(['::1'], { host: 'db', port: 5432, addresses: ['127.0.0.1'] }).allowed).toBe(false);
  });

  it('every resolved address must be inside the list', () => {
    const d = checkPullTarget(['10.0.0.0/8'], { host: 'db', port: 5432, addresses: ['10.0.0.5', '192.168.1.5'] });
    expect(d).toEqual({ allowed: false, outside: ['192.168.1.5'] });
    expect(checkPullTarget(['10.0.0.0/8', '192.168.1.5'], { host: 'db', port: 5432, addresses: ['10.0.0.5', '192.168.1.5'] }).allowed).toBe(true);
  });

  it('a host name that resolves outside the list is refused (localhost → 127.0.0.1, only another range allowed)', () => {
    expect(checkPullTarget(['10.0.0.0/8'], { host: 'localhost', port: 5432, addresses: ['127.0.0.1'] })).toEqual({ allowed: false, outside: ['127.0.0.1'] });
  });

  it('an entry with a port allows only that port', () => {
    expect(checkPullTarget(['db.example.cn:5432'], { host: 'db.example.cn', port: 5432, addresses: ['203.0.113.9'] }).allowed).toBe(true);
    expect(checkPullTarget(['db.example.cn:5432'], { host: 'db.example.cn', port: 22, addresses: ['203.0.113.9'] }).allowed).toBe(false);
    expect(checkPullTarget(['10.0.0.0/8:3306'], { host: '10.1.1.1', port: 3306, addresses: ['10.1.1.1'] }).allowed).toBe(true);
    expect(checkPullTarget(['10.0.0.0/8:3306'], { host: '10.1.1.1', port: 6379, addresses: ['10.1.1.1'] }).allowed).toBe(false);
    expect(checkPullTarget(['[::1]:5432'], { host: '::1', port: 5433, addresses: ['::1'] }).allowed).toBe(false);
  });

  it('a host that resolved to nothing is refused', () => {
    expect(checkPullTarget(['0.0.0.0/0'], { host: 'nowhere.invalid', port: 5432, addresses: [] }).allowed).toBe(false);
  });

  it('ignores stored entries that no longer parse', () => {
    expect(checkPullTarget(['not valid!', '127.0.0.1'], { host: '127.0.0.1', port: 5432, addresses: ['127.0.0.1'] }).allowed).toBe(true);
  });
});

describe('parseAddress', () => {
  it('reads IPv4, IPv6 and IPv4-mapped IPv6', () => {
    expect(parseAddress('127.0.0.1')).toEqual({ family: 4, value: 0x7f000001n });
    expect(parseAddress('::1')).toEqual({ family: 6, value: 1n });
    expect(parseAddress('::ffff:127.0.0.1')).toEqual({ family: 4, value: 0x7f000001n });
    expect(parseAddress('localhost')).toBeNull();
  });
});
