// Process configuration from the environment. Policy values that administrators tune at run time
// (password expiry, lockout, session timeouts) live in the settings table instead.
import { resolve } from 'node:path';

export interface AppConfig {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | null;
  /** Trust X-Forwarded-* from a reverse proxy (TLS terminated in front of the app). */
  trustProxy: boolean;
  webDir: string;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = env.PORT === undefined ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer between 0 and 65535, got "${env.PORT}"`);
  }
  return {
    host: env.HOST || '127.0.0.1',
    port,
    dataDir: resolve(env.SHUAN_DATA_DIR || 'data'),
    databaseUrl: env.DATABASE_URL || null,
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    webDir: resolve(env.SHUAN_WEB_DIR || 'web/dist'),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
