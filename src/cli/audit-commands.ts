// `shuan audit …` (AUD-2, AUD-4): verify the chain, export a bundle for a regulator, verify a bundle with no
// database, print the signing key's fingerprint, sign a checkpoint now, archive under the retention rule.
// Exit codes: 0 verified / done, 1 the log or bundle does not verify (first broken position printed),
// 2 bad usage or unreadable input.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { type BundleOutcome, verifyBundleStream } from '../engines/audit-chain/index.ts';
import type { IntegrityReport } from '../modules/audit/audit-integrity.service.ts';
import { withDatabase } from './context.ts';
import { CliError, type Format, formatOption, printJson } from './output.ts';
import { cliServices } from './runtime.ts';
import { systemActor } from './system-actor.ts';

/** ISO date-time, or a calendar date taken as midnight Beijing time. */
export function parseCliTime(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00+08:00`) : new Date(value);
  if (Number.isNaN(d.getTime())) throw new CliError(`${flag} 应为日期或 ISO 时间，如 2026-06-01 / ${flag} must be a date or ISO time, got "${value}"`, 2);
  return d;
}

function printOutcome(out: IntegrityReport | BundleOutcome, format: Format, what: string): void {
  if (format === 'json') {
    printJson(out);
  } else if (out.ok) {
    console.log(
      `${what}校验通过 / verified: ${out.checkedEvents} 条事件 events, ${out.checkpointsVerified} 个签名检查点 signed checkpoints` +
        (out.head ? `，链头 head ${out.head.position} ${out.head.hash.slice(0, 16)}…` : ''),
    );
  } else {
    const p = out.problem;
    console.log(
      `${what}校验失败 / NOT verified: ${p?.position !== null && p?.position !== undefined ? `位置 position ${p.position}: ` : ''}${p?.zh} / ${p?.en}`,
    );
  }
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('审计日志：校验、导出、归档 / the tamper-evident audit log');

  audit
    .command('verify')
    .description('校验哈希链、校验码与签名检查点 / verify the chain, MACs and signed checkpoints')
    .option('--from <time>', '起始（封存时间）/ from (sealing time)')
    .option('--to <time>', '截止 / to')
    .addOption(formatOption())
    .action(async (o: { from?: string; to?: string; format: Format }) => {
      const from = parseCliTime(o.from, '--from');
      const to = parseCliTime(o.to, '--to');
      const out = await withDatabase(async (d) => {
        const s = cliServices(loadConfig(), d.db);
        await s.auditLog.flush();
        return s.auditIntegrity.verifyLog({ from, to });
      });
      printOutcome(out, o.format, '审计日志');
      if (!out.ok) process.exitCode = 1;
    });

  audit
    .command('export')
    .description('导出可离线校验的审计日志包 / export a bundle a regulator verifies offline')
    .option('--from <time>', '起始（封存时间）/ from (sealing time)')
    .option('--to <time>', '截止 / to')
    .option('--out <file>', '输出文件（缺省 shuan-audit-<起>-<止>.jsonl）/ output file')
    .addOption(formatOption())
    .action(async (o: { from?: string; to?: string; out?: string; format: Format }) => {
      const from = parseCliTime(o.from, '--from');
      const to = parseCliTime(o.to, '--to');
      const result = await withDatabase(async (d) => {
        const s = cliServices(loadConfig(), d.db);
        const bundle = await s.auditIntegrity.exportBundle({ from, to });
        const file = o.out ?? `shuan-audit-${bundle.first ?? 0}-${bundle.last ?? 0}.jsonl`;
        await pipeline(Readable.from(bundle.lines), createWriteStream(file));
        return { file, events: bundle.events, first: bundle.first, last: bundle.last, bytes: (await stat(file)).size };
      });
      if (o.format === 'json') printJson(result);
      else console.log(`已导出 / exported: ${result.file}（${result.events} 条事件 events, 位置 positions ${result.first ?? '-'}–${result.last ?? '-'}）`);
    });

  audit
    .command('verify-bundle <file>')
    .description('离线校验导出包（无需数据库）/ verify an exported bundle offline (no database)')
    .option('--fingerprint <hex>', '主管部门公布的签名公钥指纹 / the signing key fingerprint the authority published')
    .addOption(formatOption())
    .action(async (file: string, o: { fingerprint?: string; format: Format }) => {
      if (!existsSync(file)) throw new CliError(`文件不存在 / no such file: ${file}`, 2);
      if (o.fingerprint !== undefined && !/^[0-9a-fA-F]{64}$/.test(o.fingerprint))
        throw new CliError('--fingerprint 应为 64 位十六进制 / --fingerprint must be 64 hex digits', 2);
      let out: BundleOutcome;
      try {
        out = await verifyBundleStream(createReadStream(file, { highWaterMark: 1024 * 1024 }), { expectFingerprint: o.fingerprint });
      } catch (err) {
        throw new CliError(`无法读取 ${file} / cannot read ${file}: ${(err as Error).message}`, 2);
      }
      printOutcome(out, o.format, '导出包');
      if (o.format !== 'json' && out.keys.length)
        console.log(`签名公钥指纹 / key fingerprint: ${out.keys.map((k) => `v${k.version} ${k.fingerprint}`).join(', ')}`);
      if (!out.ok) process.exitCode = 1;
    });

  audit
    .command('public-key')
    .description('审计签名公钥及其指纹（供监管部门核对）/ the audit signing key and its fingerprint')
    .addOption(formatOption())
    .action(async (o: { format: Format }) => {
      const keys = await withDatabase(async (d) => {
        const s = cliServices(loadConfig(), d.db);
        return s.auditIntegrity.publicKey(systemActor(null));
      });
      if (o.format === 'json') printJson(keys);
      else
        for (const k of keys.keys)
          console.log(`v${k.version}${k.version === keys.active ? '（当前 active）' : ''} SM2 fingerprint ${k.fingerprint}\n${k.publicKeyPem}`);
    });

  audit
    .command('checkpoint')
    .description('立即签署检查点 / sign a checkpoint at the chain head now')
    .addOption(formatOption())
    .action(async (o: { format: Format }) => {
      const cp = await withDatabase((d) => cliServices(loadConfig(), d.db).auditLog.checkpoint());
      const out = cp ? { position: cp.position, headHash: cp.headHash.toString('hex'), signedAt: cp.signedAt } : null;
      if (o.format === 'json') printJson(out);
      else console.log(out ? `已签署检查点 / checkpoint signed at ${out.position}` : '链头已有检查点 / the head already has a checkpoint');
    });

  audit
    .command('archive')
    .description('归档并移除超过法定保存期限的事件（先写签名归档包）/ archive events older than the legal minimum, then remove them')
    .requiredOption('--before <time>', '归档此时间之前发生的事件 / archive events that occurred before this time')
    .requiredOption('--out-dir <dir>', '归档包目录 / directory for the archive bundle')
    .addOption(formatOption())
    .action(async (o: { before: string; outDir: string; format: Format }) => {
      const before = parseCliTime(o.before, '--before') as Date;
      await mkdir(o.outDir, { recursive: true });
      const result = await withDatabase(async (d) => {
        const s = cliServices(loadConfig(), d.db);
        const actor = systemActor(null);
        return s.auditIntegrity.archive(
          before,
          async (lines) => {
            const fileName = `shuan-audit-archive-${before.toISOString().slice(0, 10)}-${Date.now()}.jsonl`;
            const path = join(o.outDir, fileName);
            // The bundle's SM3 is computed on the bytes as they are written (archives can be large).
            const digest = createHash('sm3');
            async function* hashed() {
              for await (const line of lines) {
                digest.update(line, 'utf8');
                yield line;
              }
            }
            await pipeline(Readable.from(hashed()), createWriteStream(path, { flags: 'wx' }));
            return { sm3: digest.digest(), fileName };
          },
          { userId: null, username: actor.username, institutionId: null },
        );
      });
      if (o.format === 'json') printJson(result);
      else
        console.log(
          result
            ? `已归档并移除 / archived and removed: ${result.events} 条事件 events（位置 ${result.first}–${result.last}）`
            : '没有可归档的事件 / nothing to archive',
        );
    });
}
