// The `shuan` command. Errors end with one readable line on stderr and a non-zero exit code
// (1: the operation failed; 2: bad usage or input).
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { sql } from 'kysely';
import { AppError } from '../app/errors.ts';
import type { Services } from '../app/services.ts';
import { loadConfig } from '../config.ts';
import { IMPORT_MAX_BYTES, importTooLarge } from '../modules/catalog/catalog-io.service.ts';
import { bootstrapCity } from '../modules/org/bootstrap.ts';
import { DatabaseNotEmptyError } from '../modules/org/demo-seed.ts';
import { isRole, ROLE_LABELS, ROLES } from '../modules/org/roles.ts';
import { KekError, loadKek } from '../modules/protection/kek.ts';
import { registerAuditCommands } from './audit-commands.ts';
import { findInstitution, rootInstitution, withDatabase } from './context.ts';
import { seedDemo } from './demo.ts';
import { CliError, type Format, formatOption, printJson, printTable } from './output.ts';
import { registerProtectionCommands } from './protection-commands.ts';
import { cliServices } from './runtime.ts';
import { registerScanCommand } from './scan-command.ts';
import { serve } from './serve.ts';
import { systemActor } from './system-actor.ts';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('shuan')
    .description("数安 Shu'an：公共数据安全管理平台 / public-data security management platform")
    .version('0.1.0')
    // Usage errors: one line ("error: …") and exit 2, help only when asked for.
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`shuan: ${str.replace(/^error: /, '')}`) });

  program
    .command('serve')
    .description('启动平台（网页与 API）/ serve the web UI and API')
    .option('--host <host>', '监听地址 (HOST)')
    .option('--port <port>', '端口 (PORT)')
    .option('--demo', '数据库为空时载入演示城市 / load the demo city into an empty database')
    .option('--no-demo', '不载入演示城市 / never load the demo city')
    .action(async (o: { host?: string; port?: string; demo?: boolean }) => {
      const config = loadConfig({ ...process.env, ...(o.host ? { HOST: o.host } : {}), ...(o.port ? { PORT: o.port } : {}) });
      // commander sets demo=true by default because of --no-demo; only an explicit flag counts.
      const explicit = process.argv.includes('--demo') ? true : process.argv.includes('--no-demo') ? false : undefined;
      await serve(config, { demo: explicit });
    });

  program
    .command('migrate')
    .description('执行数据库迁移 / apply database migrations')
    .addOption(formatOption())
    .action(async (o: { format: Format }) => {
      // Opening the database migrates it; report what ran and where the schema stands.
      const applied = await withDatabase(async (d) => {
        const all = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(d.db);
        return { applied: d.applied, current: all.rows.map((r) => r.name) };
      });
      if (o.format === 'json') printJson(applied);
      else
        console.log(
          applied.applied.length ? `已执行迁移 / applied: ${applied.applied.join(', ')}` : `数据库已是最新 / up to date (${applied.current.at(-1) ?? 'none'})`,
        );
    });

  program
    .command('seed-demo')
    .description('向空数据库载入演示城市（仅演示）/ load the demo city into an empty database (demo only)')
    .addOption(formatOption())
    .action(async (o: { format: Format }) => {
      const config = loadConfig();
      const creds = await withDatabase((d) => seedDemo(d.db, () => loadKek({ env: process.env, dataDir: config.dataDir, createIfMissing: true })));
      if (o.format === 'json') printJson({ accounts: creds });
      else printTable(creds.map((c) => ({ username: c.username, name: c.displayName, roles: c.roles, password: c.password, totpSecret: c.totpSecret ?? '' })));
    });

  registerProtectionCommands(program);
  registerAuditCommands(program);
  registerScanCommand(program);

  program
    .command('setup')
    .description('正式部署初始化：创建市级主管部门和第一位平台管理员 / first set-up of a real deployment')
    .requiredOption('--authority <name>', '市级公共数据主管部门名称')
    .requiredOption('--admin <username>', '平台管理员用户名')
    .requiredOption('--admin-name <name>', '平台管理员姓名')
    .addOption(formatOption())
    .action(async (o: { authority: string; admin: string; adminName: string; format: Format }) => {
      const result = await withDatabase(async (d) => {
        const services = cliServices(loadConfig(), d.db);
        return bootstrapCity(d.db, await services.settings.securityPolicy(), {
          authorityName: o.authority,
          adminUsername: o.admin,
          adminDisplayName: o.adminName,
          operator: systemActor(null).username,
        });
      });
      if (o.format === 'json') printJson(result);
      else {
        console.log(`已创建 ${o.authority} 和平台管理员 ${result.username}。/ created.`);
        console.log(`初始密码（只显示一次，首次登录须修改并绑定动态验证码）/ initial password (shown once): ${result.initialPassword}`);
      }
    });

  const user = program.command('user').description('用户管理 / user accounts');
  user
    .command('create')
    .description('新建用户（初始密码只显示一次）/ create a user')
    .requiredOption('--username <username>', '用户名')
    .requiredOption('--name <displayName>', '姓名')
    .requiredOption('--institution <id|name>', '所属机构（ID 或全称）')
    .option('--email <email>', '邮箱')
    .option('--role <role>', `角色：${ROLES.join(' | ')}`)
    .option('--role-institution <id|name>', '角色所在机构（默认所属机构）')
    .addOption(formatOption())
    .action(async (o: { username: string; name: string; institution: string; email?: string; role?: string; roleInstitution?: string; format: Format }) => {
      if (o.role && !isRole(o.role)) throw new CliError(`未知角色 / unknown role "${o.role}"; one of: ${ROLES.join(', ')}`, 2);
      const result = await withDatabase(async (d) => {
        const services = cliServices(loadConfig(), d.db);
        const actor = systemActor(await rootInstitution(d.db));
        const home = await findInstitution(d.db, o.institution);
        const created = await services.users.create(actor, {
          username: o.username,
          displayName: o.name,
          institutionId: home.id,
          ...(o.email ? { email: o.email } : {}),
        });
        if (o.role && isRole(o.role)) {
          const at = o.roleInstitution ? await findInstitution(d.db, o.roleInstitution) : home;
          await services.users.assignRole(actor, created.user.id, { role: o.role, institutionId: at.id });
        }
        return { ...created, user: await services.users.get(actor, created.user.id) };
      });
      if (o.format === 'json') printJson(result);
      else {
        console.log(
          `已创建用户 / created: ${result.user.username}（${result.user.institutionName}）${result.user.roles.map((r) => ROLE_LABELS[r.role].zh).join('、')}`,
        );
        console.log(`初始密码（只显示一次，首次登录须修改）/ initial password (shown once): ${result.initialPassword}`);
      }
    });

  user
    .command('reset-password')
    .description('重置密码并解锁（临时密码只显示一次）/ reset a password and unlock')
    .argument('<username>', '用户名')
    .addOption(formatOption())
    .action(async (username: string, o: { format: Format }) => {
      const result = await withDatabase(async (d) => {
        const row = await d.db.selectFrom('users').select('id').where(sql<string>`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
        if (!row) throw new CliError(`用户不存在 / no such user: ${username}`, 2);
        const services = cliServices(loadConfig(), d.db);
        return services.users.resetPassword(systemActor(await rootInstitution(d.db)), row.id);
      });
      if (o.format === 'json') printJson({ username, ...result });
      else console.log(`临时密码（只显示一次，登录后须修改）/ temporary password (shown once): ${result.temporaryPassword}`);
    });

  user
    .command('list')
    .description('用户列表 / list users')
    .option('--institution <id|name>', '按机构筛选')
    .option('-q, --query <text>', '按用户名或姓名搜索')
    .addOption(formatOption())
    .action(async (o: { institution?: string; query?: string; format: Format }) => {
      const page = await withDatabase(async (d) => {
        const services = cliServices(loadConfig(), d.db);
        const inst = o.institution ? await findInstitution(d.db, o.institution) : null;
        return services.users.list(systemActor(await rootInstitution(d.db)), {
          page: 1,
          pageSize: 200,
          ...(inst ? { institutionId: inst.id } : {}),
          ...(o.query ? { q: o.query } : {}),
        });
      });
      if (o.format === 'json') printJson(page);
      else
        printTable(
          page.items.map((u) => ({
            username: u.username,
            name: u.displayName,
            institution: u.institutionName,
            roles: u.roles.map((r) => r.role),
            status: u.status,
            totp: u.totpEnabled ? 'yes' : 'no',
          })),
        );
    });

  const workdays = program.command('workdays').description('工作日计算 / working days');
  workdays
    .command('add')
    .description('某日之后第 N 个工作日（从次日起算）/ the Nth working day after a date')
    .argument('<date>', 'YYYY-MM-DD')
    .argument('<days>', 'N')
    .addOption(formatOption())
    .action(async (date: string, days: string, o: { format: Format }) => {
      const n = Number(days);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isInteger(n) || n < 0) throw new CliError('用法 / usage: shuan workdays add YYYY-MM-DD N (N ≥ 0)', 2);
      const result = await withDatabase((d) => cliServices(loadConfig(), d.db).workdays.addWorkdays(date, n));
      if (o.format === 'json') printJson(result);
      else console.log(result.result);
    });

  const catalog = program.command('catalog').description('数据资源目录导入导出 / catalog import and export (AST-4)');
  catalog
    .command('import')
    .description('导入系统、数据资源和数据项；全部校验通过才写入 / import systems, resources and fields, all or nothing')
    .argument('<file>', 'XLSX 或 CSV（UTF-8 或 GB18030/GBK）文件')
    // Required here although the API defaults to the caller's own institution: the operator acts
    // platform-wide and has no institution of their own, so a default would put a catalog in the wrong place.
    .requiredOption('--institution <id|name>', '导入到的机构（ID 或全称）')
    .option('--dry-run', '只校验，不写入 / validate only')
    .addOption(formatOption())
    .action(async (file: string, o: { institution: string; dryRun?: boolean; format: Format }) => {
      const bytes = await readImportFile(file);
      let result: Awaited<ReturnType<Services['catalogIo']['import']>>;
      try {
        result = await withDatabase(async (d) => {
          const services = cliServices(loadConfig(), d.db);
          const inst = await findInstitution(d.db, o.institution);
          return services.catalogIo.import(systemActor(await rootInstitution(d.db)), bytes, {
            institutionId: inst.id,
            dryRun: !!o.dryRun,
            fileName: basename(file),
          });
        });
      } catch (err) {
        // The whole list for programs; people get the one line (count and first problem) on stderr.
        if (o.format === 'json' && err instanceof AppError && err.code === 'IMPORT_INVALID')
          printJson({ code: err.code, message: err.messageZh, ...err.details });
        throw err;
      }
      if (o.format === 'json') printJson(result);
      else {
        const c = result.created;
        const what = `${c.systems} 个系统、${c.resources} 个数据资源、${c.fields} 个数据项、${c.gradings} 个待审核定级 / ${c.systems} systems, ${c.resources} resources, ${c.fields} fields, ${c.gradings} gradings pending`;
        console.log(
          result.dryRun ? `校验通过，未写入；将导入 ${what}（${result.institutionName}）` : `已导入 / imported: ${what}（${result.institutionName}）`,
        );
        if (result.ignoredColumns.length > 0) console.log(`未使用的列 / ignored columns: ${result.ignoredColumns.map((x) => x.column).join(', ')}`);
        if (result.ignoredSheets.length > 0) console.log(`未使用的工作表 / ignored sheets: ${result.ignoredSheets.join(', ')}`);
      }
    });

  catalog
    .command('export')
    .description('导出数据资源目录（格式与导入相同）/ export the catalog in the import layout')
    .addOption(new Option('--format <format>', '文件格式 xlsx|csv|json').choices(['xlsx', 'csv', 'json']).makeOptionMandatory())
    .option('--institution <id|name>', '只导出该机构')
    .option('--out <file>', '写入文件（缺省输出到标准输出）')
    .action(async (o: { format: 'xlsx' | 'csv' | 'json'; institution?: string; out?: string }) => {
      if (!o.out && o.format === 'xlsx' && process.stdout.isTTY)
        throw new CliError('XLSX 是二进制文件，请用 --out 指定输出文件 / XLSX is binary: give --out FILE', 2);
      const file = await withDatabase(async (d) => {
        const services = cliServices(loadConfig(), d.db);
        const inst = o.institution ? await findInstitution(d.db, o.institution) : null;
        return services.catalogIo.export(systemActor(await rootInstitution(d.db)), { format: o.format, institutionId: inst?.id ?? null });
      });
      if (!o.out) {
        process.stdout.write(file.body);
        return;
      }
      try {
        await writeFile(o.out, file.body);
      } catch (err) {
        throw new CliError(`无法写入 / cannot write ${o.out}: ${(err as Error).message}`, 2);
      }
      const c = file.counts;
      console.log(`已导出 / exported: ${c.systems} 个系统、${c.resources} 个数据资源、${c.fields} 个数据项 → ${o.out}`);
    });

  return program;
}

/** The import file's bytes; a missing, unreadable or oversized file is bad input (exit 2) before any database work. */
async function readImportFile(file: string): Promise<Buffer> {
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new CliError(`不是文件 / not a file: ${file}`, 2);
    size = st.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`无法读取文件 / cannot read ${file}: ${(err as Error).message}`, 2);
  }
  // Checked before reading: a huge file is refused without loading it into memory.
  if (size > IMPORT_MAX_BYTES) throw importTooLarge();
  return readFile(file);
}

function describeError(err: unknown): { message: string; code: number } {
  if (err instanceof CliError) return { message: err.message, code: err.exitCode };
  if (err instanceof AppError) return { message: `[${err.code}] ${err.messageZh} / ${err.messageEn}`, code: err.httpStatus < 500 ? 2 : 1 };
  if (err instanceof KekError) return { message: err.message, code: 1 };
  if (err instanceof DatabaseNotEmptyError) return { message: `数据库已有数据，拒绝执行 / ${err.message}`, code: 1 };
  return { message: (err as Error)?.message ?? String(err), code: 1 };
}

const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version are successes; everything else commander raises is a usage error.
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  const { message, code } = describeError(err);
  console.error(`shuan: ${message.split('\n')[0]}`);
  process.exit(code);
}
