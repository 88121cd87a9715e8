// `shuan serve`: database (embedded or DATABASE_URL), migrations, the demo city on an empty embedded
// database, then the web UI and API. SIGINT/SIGTERM close the server and stop the embedded PostgreSQL.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../app/build-app.ts';
import { createJobRunner } from '../app/workers.ts';
import type { AppConfig } from '../config.ts';
import { sealLegacyTotpSecrets } from '../modules/auth/totp-secrets.ts';
import type { JobRunner } from '../modules/jobs/job-runner.ts';
import type { DemoCredentials } from '../modules/org/demo-seed.ts';
import { loadKek } from '../modules/protection/kek.ts';
import { seedDemo } from './demo.ts';
import { printTable } from './output.ts';
import { openDatabase } from './runtime.ts';

export async function serve(config: AppConfig, opts: { demo: boolean | undefined }): Promise<void> {
  const say = (line: string) => console.log(line);
  say(config.databaseUrl ? '数安：连接外部 PostgreSQL (DATABASE_URL)…' : `数安：启动内置 PostgreSQL（数据目录 ${config.dataDir}）…`);
  const database = await openDatabase(config, (line) => {
    if (process.env.LOG_LEVEL === 'debug') say(line);
  });
  let closing: Promise<void> | null = null;
  const shutdown = (signal: string) => {
    closing ??= (async () => {
      say(`数安：收到 ${signal}，正在停止… / stopping`);
      await runner?.stop().catch(() => {});
      await alerts?.stop().catch(() => {});
      await sweeper?.stop().catch(() => {});
      await app?.close().catch(() => {});
      await database.close().catch((err) => console.error(`数安：停止数据库失败 / stopping the database failed: ${(err as Error).message}`));
      say('数安：已停止 / stopped');
    })();
    return closing;
  };
  let app: Awaited<ReturnType<typeof buildApp>>['app'] | undefined;
  let runner: JobRunner | undefined;
  let alerts: { stop(): Promise<void> } | undefined;
  let sweeper: { stop(): Promise<void> } | undefined;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      void shutdown(signal).then(() => process.exit(0));
    });
  }
  try {
    if (database.applied.length) say(`数安：已执行数据库迁移 / migrations applied: ${database.applied.join(', ')}`);
    // The demo city loads on the first start of an embedded database (never into an external one unless asked).
    const wantDemo = opts.demo ?? database.embedded;
    // Outside demo mode a missing KEK stops the start here, with the command that creates one.
    const kek = loadKek({ env: process.env, dataDir: config.dataDir, createIfMissing: wantDemo });
    if (kek.source === 'created')
      say(`数安：演示模式，已生成密钥加密密钥 ${kek.location}（生产环境请用 shuan keys init 生成并另行备份）/ demo mode: created a KEK`);
    if (wantDemo) {
      const empty = !(await database.db.selectFrom('institutions').select('id').limit(1).executeTakeFirst());
      if (empty) printDemoCredentials(await seedDemo(database.db, kek));
    }
    const hasWeb = existsSync(join(config.webDir, 'index.html'));
    const built = await buildApp({
      db: database.db,
      kek,
      trustProxy: config.trustProxy,
      webDir: hasWeb ? config.webDir : null,
      logger: { level: config.logLevel },
      audit: { witnessPath: config.auditWitness },
    });
    app = built.app;
    await built.services.keys.assertKekMatches();
    // TOTP secrets still in clear (older databases, the demo seed) are sealed under the KEK before anyone logs in.
    const totp = await sealLegacyTotpSecrets(database.db, kek);
    if (totp.sealed) say(`数安：已用 KEK 加密 ${totp.sealed} 个明文存储的 TOTP 密钥 / sealed ${totp.sealed} clear TOTP secrets under the KEK`);
    await app.listen({ host: config.host, port: config.port });
    // Background jobs (scans): queued jobs, and those a previous process left unfinished, run here; a job a
    // crashed process held is taken up again once its lease (SHUAN_JOB_LEASE_SECONDS) has run out; up to
    // SHUAN_JOB_CONCURRENCY at once (so a long verification does not hold scans back).
    runner = createJobRunner(database.db, built.services, { leaseMs: config.jobLeaseSeconds * 1000, concurrency: config.jobConcurrency });
    runner.start();
    // AUD-2: chain what CLI commands and other processes left pending, sign checkpoints on time.
    built.services.auditLog.start();
    // AUD-3: the alert processor follows the chained audit log (one process evaluates at a time: advisory lock).
    alerts = built.services.alertsProcessor;
    built.services.alertsProcessor.start(Number(process.env.SHUAN_ALERTS_INTERVAL_MS) || 5000);
    // LIF-10: grants whose term ended are expired and their deletion duties opened (advisory lock across processes).
    sweeper = built.services.sharingSweeper;
    built.services.sharingSweeper.start();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    say(`数安 Shu'an 已启动 / listening: http://${host}:${port}  (API 文档 /docs)`);
    if (!hasWeb) say('注意：未找到已构建的网页（web/dist），请运行 npm run build:web / web UI not built');
  } catch (err) {
    await shutdown('startup failure');
    throw err;
  }
}

function printDemoCredentials(creds: DemoCredentials[]): void {
  console.log('\n================ 演示城市账号（仅用于演示，切勿用于生产） / DEMO ACCOUNTS (demo only) ================');
  printTable(creds.map((c) => ({ 用户名: c.username, 姓名: c.displayName, 角色: c.roles.join(','), 密码: c.password, TOTP密钥: c.totpSecret ?? '—' })));
  console.log('TOTP：把上面的密钥加入任一身份验证器 App（如 Google Authenticator、阿里云 App）即可生成动态验证码。');
  console.log('=====================================================================================================\n');
}
