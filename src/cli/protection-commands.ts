// `shuan keys …` and `shuan dataset …` (issue 5): the KEK file, a resource's data keys, and loading a
// resource's dataset from a file or a table. The operator acts with platform-wide reach through the same
// services (and audit events) as the web.
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Command, Option } from 'commander';
import { AppError } from '../app/errors.ts';
import { loadConfig } from '../config.ts';
import { openLoadSource } from '../modules/protection/dataset-sources.ts';
import { LOAD_MODES, type LoadMode } from '../modules/protection/datasets.schemas.ts';
import { defaultKekPath, writeKekFile } from '../modules/protection/kek.ts';
import { isDbUrl } from '../sources/db-url.ts';
import { findResource, rootInstitution, withDatabase } from './context.ts';
import { CliError, type Format, formatOption, printJson, printTable } from './output.ts';
import { cliServices } from './runtime.ts';
import { systemActor } from './system-actor.ts';

function parseMapping(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  try {
    const m = JSON.parse(text);
    if (m && typeof m === 'object' && !Array.isArray(m) && Object.values(m).every((v) => typeof v === 'string')) return m;
  } catch {
    // reported below
  }
  throw new CliError('--mapping 应为 JSON 对象，如 {"身份证号":"sfzh"} / --mapping must be a JSON object of column → field', 2);
}

export function registerProtectionCommands(program: Command): void {
  const keys = program.command('keys').description('密钥管理 / key management');
  keys
    .command('init')
    .description('生成密钥加密密钥（KEK）文件，权限 0600，不会覆盖已有文件 / create the key-encryption key file (0600, never overwritten)')
    .option('--out <file>', '密钥文件路径（缺省为数据目录下的 kek.key）/ key file path (default: <data dir>/kek.key)')
    .addOption(formatOption())
    .action((o: { out?: string; format: Format }) => {
      const path = o.out ?? defaultKekPath(loadConfig().dataDir);
      const kek = writeKekFile(path);
      const result = { file: path, kekId: kek.id };
      if (o.format === 'json') printJson(result);
      else {
        console.log(`已生成 KEK / KEK created: ${path}（${kek.id}）`);
        console.log('请立即另行备份此文件：丢失 KEK 即丢失全部加密数据 / back this file up separately now: losing the KEK loses every encrypted dataset');
        if (o.out) console.log(`启动时设置 SHUAN_KEK_FILE=${path} / start with SHUAN_KEK_FILE=${path}`);
      }
    });

  const onResource = <T>(ref: string, fn: (services: ReturnType<typeof cliServices>, actor: ReturnType<typeof systemActor>, id: string) => Promise<T>) =>
    withDatabase(async (d) => {
      const resource = await findResource(d.db, ref);
      return fn(cliServices(loadConfig(), d.db), systemActor(await rootInstitution(d.db)), resource.id);
    });

  keys
    .command('status')
    .description('数据资源的密钥版本与状态 / a resource’s data key versions')
    .requiredOption('--resource <id|name>', '数据资源')
    .addOption(formatOption())
    .action(async (o: { resource: string; format: Format }) => {
      const r = await onResource(o.resource, (s, actor, id) => s.keys.list(actor, id));
      if (o.format === 'json') printJson(r);
      else
        printTable(
          r.keys.map((k) => ({ version: k.version, status: k.status, id: k.id, kek: k.kekId ?? '', created: k.createdAt, destroyed: k.destroyedAt ?? '' })),
        );
    });

  keys
    .command('rotate')
    .description('轮换数据密钥（旧版本仍可解密）/ rotate a resource’s data key (old versions still decrypt)')
    .requiredOption('--resource <id|name>', '数据资源')
    .option('--reencrypt', '轮换后立即把旧密钥加密的数据改用新密钥 / then re-encrypt everything under the new key')
    .addOption(formatOption())
    .action(async (o: { resource: string; reencrypt?: boolean; format: Format }) => {
      const r = await onResource(o.resource, async (s, actor, id) => {
        const keys = await s.keys.rotate(actor, id);
        let moved = 0;
        if (o.reencrypt) {
          for (;;) {
            const step = await s.datasets.reencrypt(actor, id, { maxRows: 200_000 });
            moved += step.moved;
            if (step.remaining === 0 || step.moved === 0) break;
          }
        }
        return { ...keys, reencrypted: moved };
      });
      if (o.format === 'json') printJson(r);
      else
        console.log(
          `已轮换 / rotated: ${r.resourceName} → v${r.keys[0]?.version}${o.reencrypt ? `；已重新加密 ${r.reencrypted} 行 / re-encrypted ${r.reencrypted} rows` : ''}`,
        );
    });

  const dataset = program.command('dataset').description('数据集（汇聚数据）/ datasets (aggregated data, LIF-13)');
  dataset
    .command('load')
    .description('载入数据集：文件（CSV/TSV/XLSX/JSONL）或 postgres://…/db?table=t、mysql://…/db?table=t / load a dataset from a file or a table')
    .argument('<source>', '文件路径或数据库地址 / file path or database URL')
    .requiredOption('--resource <id|name>', '数据资源')
    .addOption(new Option('--mode <mode>', `${LOAD_MODES.join('|')}`).choices([...LOAD_MODES]).makeOptionMandatory())
    .option('--key-field <field>', '主键数据项（upsert 必填）/ key field')
    .option('--mapping <json>', '列名 → 数据项名 / column → field, JSON')
    .option('--dry-run', '只校验，不写入 / validate only')
    .addOption(formatOption())
    .action(async (spec: string, o: { resource: string; mode: LoadMode; keyField?: string; mapping?: string; dryRun?: boolean; format: Format }) => {
      const mapping = parseMapping(o.mapping);
      let result: Awaited<ReturnType<ReturnType<typeof cliServices>['datasets']['load']>>;
      try {
        result = await onResource(o.resource, async (s, actor, id) => {
          const source = await openLoadSource(spec, isDbUrl(spec) ? null : basename(spec));
          try {
            return await s.datasets.load(actor, id, source, {
              mode: o.mode,
              keyField: o.keyField ?? null,
              dryRun: !!o.dryRun,
              ...(mapping ? { mapping } : {}),
            });
          } finally {
            await source.close();
          }
        });
      } catch (err) {
        if (o.format === 'json' && err instanceof AppError && err.code === 'DATASET_INVALID')
          printJson({ code: err.code, message: err.messageZh, ...err.details });
        throw err;
      }
      if (o.format === 'json') printJson(result);
      else
        console.log(
          `${result.dryRun ? '校验通过，未写入 / checked, nothing written' : `已载入 v${result.version} / loaded`}：读取 ${result.rowsRead} 行，新增 ${result.rowsAdded}，更新 ${result.rowsUpdated}，移除 ${result.rowsRemoved}，共 ${result.rowCount} 行；加密字段 ${result.sealedFields.join('、') || '无'}；SM3 ${result.contentHash}`,
        );
    });

  dataset
    .command('info')
    .description('数据集状态、字段加密情况与版本 / dataset state, sealed fields and versions')
    .requiredOption('--resource <id|name>', '数据资源')
    .addOption(formatOption())
    .action(async (o: { resource: string; format: Format }) => {
      const r = await onResource(o.resource, (s, actor, id) => s.datasets.info(actor, id));
      if (o.format === 'json') printJson(r);
      else
        printTable(
          r.versions.map((v) => ({
            version: v.version,
            mode: v.mode,
            source: v.sourceName ?? v.sourceKind,
            added: v.rowsAdded,
            updated: v.rowsUpdated,
            rows: v.rowCount,
            hash: v.contentHash.slice(0, 16),
          })),
        );
    });

  program
    .command('mask')
    .description('生成脱敏、加水印的测试数据副本（测试系统不接触真实数据，DG-15）/ a masked, watermarked test copy of a resource')
    .requiredOption('--resource <id|name>', '数据资源')
    .addOption(new Option('--scenario <scenario>', '场景 / scenario').choices(['test']).default('test'))
    .requiredOption('--out <file>', '输出文件（.csv / .xlsx / .jsonl）')
    .option('--recipient <name>', '接收方（测试环境）/ recipient', '测试环境')
    .option('--purpose <text>', '用途 / purpose', '系统测试')
    .addOption(formatOption())
    .action(async (o: { resource: string; scenario: 'test'; out: string; recipient: string; purpose: string; format: Format }) => {
      const ext = /\.(csv|xlsx|jsonl)$/i.exec(o.out)?.[1]?.toLowerCase() as 'csv' | 'xlsx' | 'jsonl' | undefined;
      if (!ext) throw new CliError('--out 的扩展名须为 .csv、.xlsx 或 .jsonl / --out must end in .csv, .xlsx or .jsonl', 2);
      const file = await onResource(o.resource, (s, actor, id) =>
        s.deliveries.create(actor, id, { scenario: o.scenario, recipient: o.recipient, purpose: o.purpose, format: ext }),
      );
      try {
        await writeFile(o.out, file.body, { mode: 0o600 });
      } catch (err) {
        throw new CliError(`无法写入 / cannot write ${o.out}: ${(err as Error).message}`, 2);
      }
      const d = file.delivery;
      if (o.format === 'json') printJson({ file: o.out, ...d });
      else {
        console.log(`已生成 / written: ${o.out}（${d.rowCount} 行，交付编号 ${d.id}，SM3 ${d.fileSm3}）`);
        if (!d.watermark.traceable) console.log('注意：没有可承载水印的数据项，该副本泄露后无法溯源 / warning: no field carries a mark');
      }
    });

  program
    .command('trace')
    .description('泄露溯源：判断文件来自哪次数据交付 / trace a leaked file to the delivery it came from')
    .argument('<file>', '泄露的文件（CSV/XLSX/JSON Lines）')
    .addOption(formatOption())
    .action(async (file: string, o: { format: Format }) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (err) {
        throw new CliError(`无法读取文件 / cannot read ${file}: ${(err as Error).message}`, 2);
      }
      const report = await withDatabase(async (d) =>
        cliServices(loadConfig(), d.db).deliveries.trace(systemActor(await rootInstitution(d.db)), { bytes, name: basename(file) }),
      );
      if (o.format === 'json') printJson(report);
      else if (report.verdict === 'attributed')
        console.log(
          `来源 / source: ${report.recipient}（${report.resourceName}，交付 ${report.deliveryId}，${report.deliveredAt}），置信度 ${report.confidence}`,
        );
      else console.log(`无法判断来源 / cannot tell: ${report.reason?.message ?? ''}（${report.rows} 行，${report.candidates} 个候选交付）`);
    });
}
