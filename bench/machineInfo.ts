import { readFileSync } from 'node:fs';
import os from 'node:os';
import Database from 'better-sqlite3';
import path from 'node:path';

const PACKAGES = ['express', 'better-sqlite3', 'pg', 'pino', 'zod', 'spark-md5', 'autocannon', 'busboy', '@alicloud/sts20150401', 'tsx', 'typescript'];

export interface MachineInfo {
  cpus: { count: number; model: string; speedMHz: number };
  memoryBytes: number;
  os: { type: string; platform: string; release: string; arch: string };
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: { count: cpus.length, model: cpus[0]?.model.trim() ?? 'unknown', speedMHz: cpus[0]?.speed ?? 0 },
    memoryBytes: os.totalmem(),
    os: { type: os.type(), platform: os.platform(), release: os.release(), arch: os.arch() },
    loadAverage: os.loadavg(),
  };
}

/** Node's and the installed packages' versions, read from node_modules (what actually ran). */
export function versions(rootDir: string): Record<string, string> {
  const found: Record<string, string> = { node: process.version, v8: process.versions.v8, openssl: process.versions.openssl ?? 'unknown', sqlite: sqliteVersion() };
  for (const name of PACKAGES) {
    try {
      found[name] = JSON.parse(readFileSync(path.join(rootDir, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      found[name] = 'not installed';
    }
  }
  return found;
}

/** The SQLite that better-sqlite3 was built with. */
function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return String(db.prepare('SELECT sqlite_version()').pluck().get());
  } finally {
    db.close();
  }
}
