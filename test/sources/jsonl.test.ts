// JSON Lines reading for scans (issue 4: AST-11) and uploads (issue 5: LIF-13).
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource } from '../../src/sources/index.ts';
import { quoteLongNumbers } from '../../src/sources/jsonl.ts';
import { allRows, sourceError, tempDir } from './helpers.ts';

const tmp = tempDir('jsonl');
afterAll(() => tmp.remove());

describe('JSON Lines files as a source', () => {
  it('reads one object per line: blank lines skipped but counted, nested values as JSON, missing keys null', async () => {
    const text = [
      '{"姓名":"张三","年龄":30,"党员":true,"地址":{"省":"北京","区":"朝阳"}}',
      '',
      '  ',
      '{"姓名":"李四","年龄":null,"标签":["a","b"],"备注":"新字段"}\r',
      '{"姓名":"王五"}',
    ].join('\n');
    const src = await openSource(tmp.file('people.jsonl', text));
    expect(src.kind).toBe('jsonl');
    expect(await src.columns()).toEqual(['姓名', '年龄', '党员', '地址', '标签', '备注']);
    expect(await allRows(src)).toEqual([
      { line: 1, physicalLine: 1, values: { 姓名: '张三', 年龄: 30, 党员: true, 地址: '{"省":"北京","区":"朝阳"}', 标签: null, 备注: null } },
      { line: 2, physicalLine: 4, values: { 姓名: '李四', 年龄: null, 党员: null, 地址: null, 标签: '["a","b"]', 备注: '新字段' } },
      { line: 3, physicalLine: 5, values: { 姓名: '王五', 年龄: null, 党员: null, 地址: null, 标签: null, 备注: null } },
    ]);
  });

  it('keeps an 18-digit ID number written as a JSON number exactly (as its digits), and leaves strings alone', async () => {
    expect(quoteLongNumbers('{"id":110101199003074578,"s":"12345678901234567890","n":-1.5e3,"x":12345678901234.5678}')).toBe(
      '{"id":"110101199003074578","s":"12345678901234567890","n":-1.5e3,"x":"12345678901234.5678"}',
    );
    const src = await openSource(tmp.file('ids.jsonl', '{"sfzh":110101199003074578,"n":42,"f":0.5,"q":"say \\"110101199003074578\\""}\n'));
    expect((await allRows(src))[0]?.values).toEqual({ sfzh: '110101199003074578', n: 42, f: 0.5, q: 'say "110101199003074578"' });
  });

  it('refuses a line that is not JSON, or not an object, with its physical line (also far past the first lines)', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ i }));
    lines[2499] = '{"i": 2499,';
    const err = await sourceError(async () => allRows(await openSource(tmp.file('bad.jsonl', lines.join('\n')))));
    expect(err).toMatchObject({ code: 'MALFORMED', line: 2500 });
    expect(err.messageZh).toBe('第 2500 行不是有效的 JSON');
    const arr = await sourceError(() => openSource(tmp.file('arr.jsonl', '{"a":1}\n\n[1,2]\n')));
    expect(arr).toMatchObject({ code: 'MALFORMED', line: 3 });
  });

  it('detects GBK like CSV does and takes .ndjson or content starting with { as JSON Lines', async () => {
    const src = await openSource({ buffer: iconv.encode('{"姓名":"赵六"}\n', 'gbk'), name: 'upload.data' });
    expect(src.kind).toBe('jsonl');
    expect(src.describe).toBe('upload.data (jsonl, gb18030)');
    expect((await allRows(src))[0]?.values).toEqual({ 姓名: '赵六' });
    expect((await openSource(tmp.file('x.ndjson', '{"a":1}'))).kind).toBe('jsonl');
  });
});
