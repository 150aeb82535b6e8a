// Two app replicas sharing one Postgres, for a test file: a throwaway database created on 127.0.0.1:5432 (or
// APIKEY_TEST_PG_ADMIN_URL) and dropped after, the stand-in and the emulator (useServers), a store and an app
// per replica, and the usual leak check of both apps' logs at the end.
import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import type { SlackStandIn } from '@apikey/slack-testkit';
import { openRequestStore } from '../../src/store/open-store.ts';
import type { RequestStore } from '../../src/store/request-store.ts';
import { expectNoSecretsInLogs, startApp, useServers, type AppInstance, type Ncp } from './harness.ts';

const ADMIN_URL = process.env.APIKEY_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Replicas = { standIn: SlackStandIn; ncp: Ncp; storeA: RequestStore; storeB: RequestStore; appA: AppInstance; appB: AppInstance };

export function useReplicasOnPostgres(
  o: { name: string; env?: Record<string, string>; beforeApps?: (standIn: SlackStandIn) => void },
  ready: (replicas: Replicas) => void,
): void {
  const database = `apikey_slack_${o.name}_${process.pid}_${Date.now().toString(36)}`;
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  let servers: { standIn: SlackStandIn; ncp: Ncp } | undefined;
  let admin: ReturnType<typeof postgres> | undefined;
  let r: Partial<Replicas> = {};
  useServers((s) => { servers = s; });
  beforeAll(async () => {
    if (servers === undefined) throw new Error('useReplicasOnPostgres: the servers did not start');
    const { standIn, ncp } = servers;
    admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${database}`);
    o.beforeApps?.(standIn);
    const storeA = await openRequestStore({ databaseUrl: url });
    const storeB = await openRequestStore({ databaseUrl: url });
    r = { standIn, ncp, storeA, storeB };
    const env = o.env ?? {};
    r.appA = await startApp({ standIn, ncp, store: storeA, workerId: 'replica-a', env });
    r.appB = await startApp({ standIn, ncp, store: storeB, workerId: 'replica-b', env });
    ready(r as Replicas);
  }, 120_000);
  afterAll(async () => {
    await r.appA?.stop();
    await r.appB?.stop();
    await r.storeA?.close();
    await r.storeB?.close();
    await admin?.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin?.end();
    if (r.appA && r.appB && r.ncp) for (const a of [r.appA, r.appB]) expectNoSecretsInLogs(a, r.ncp);
  });
}
