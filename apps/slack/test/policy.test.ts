// The policy file (APIKEY_POLICY): validated at start-up with every problem reported at once (each naming its
// JSON path), laid over the environment's defaults, product rules replacing the defaults' approvers; the
// shipped JSON Schema is the one generated from the zod schema.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { allApprovers, policySchemaText, ruleFor } from '../src/policy.ts';
import { productPolicyOf } from '../src/workflow/product-policy.ts';

const BASE = {
  SLACK_BOT_TOKEN: 'xoxb-1-abcdef',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  APIKEY_APPROVER_CHANNEL: 'C0APPROVE',
  APIKEY_APPROVERS: 'U0APP1,S0GROUP',
};

const dir = mkdtempSync(join(tmpdir(), 'apikey-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function policyFile(content: unknown): string {
  const path = join(dir, `policy-${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.variable}: ${p.message}`);
    throw err;
  }
  throw new Error('loadConfig accepted an invalid configuration');
}

describe('policy file', () => {
  it('the shipped policy.schema.json is the schema generated from the zod policy schema', () => {
    const shipped = readFileSync(new URL('../policy.schema.json', import.meta.url), 'utf8');
    expect(shipped, 'run `pnpm --filter @apikey/slack run policy-schema` and commit the file').toBe(policySchemaText());
  });

  it('without a policy file the environment variables are the whole policy, exactly as before', () => {
    const c = loadConfig({ ...BASE, APIKEY_REQUEST_TTL: '2d' });
    expect(c.policy.products.size).toBe(0);
    expect(c.policy.defaults).toMatchObject({
      approvers: { users: ['U0APP1'], groups: ['S0GROUP'] }, channel: 'C0APPROVE', quorum: 1, ttlMs: 2 * 86_400_000,
      requireProduct: false, acceptSubscription: false, revoke: 'disable', offboarding: 'disable',
    });
    expect(ruleFor(c.policy, 'anyproduct')).toBe(c.policy.defaults);
    expect(c).toMatchObject({ approverChannel: 'C0APPROVE', approvers: { users: ['U0APP1'], groups: ['S0GROUP'] }, requestTtlMs: 2 * 86_400_000 });
  });

  it("a product's approvers replace the defaults' (not add to them); unset fields come from the defaults and the environment", () => {
    const c = loadConfig({
      ...BASE,
      APIKEY_REQUEST_TTL: '48h',
      APIKEY_POLICY: policyFile({
        defaults: { approvers: ['S0PLATFORM'], requireProduct: true, rotateAfter: '90d', offboarding: 'flag' },
        products: {
          pay1234567: { approvers: ['U0ALICE', 'U0BOB'], quorum: 2, acceptSubscription: true, channel: 'C0PAYMENTS' },
          maps00001: { ttl: '4h', revoke: 'delete' },
        },
      }),
    });
    const { defaults } = c.policy;
    expect(defaults).toMatchObject({ approvers: { users: [], groups: ['S0PLATFORM'] }, channel: 'C0APPROVE', ttlMs: 48 * 3_600_000, requireProduct: true, offboarding: 'flag', rotateAfterMs: 90 * 86_400_000 });
    expect(ruleFor(c.policy, 'pay1234567')).toEqual({
      approvers: { users: ['U0ALICE', 'U0BOB'], groups: [] }, channel: 'C0PAYMENTS', quorum: 2, acceptSubscription: true,
      ttlMs: 48 * 3_600_000, rotateAfterMs: 90 * 86_400_000, revoke: 'disable',
    });
    expect(ruleFor(c.policy, 'maps00001')).toMatchObject({ approvers: { groups: ['S0PLATFORM'] }, ttlMs: 4 * 3_600_000, revoke: 'delete', quorum: 1 });
    expect(ruleFor(c.policy, undefined)).toBe(defaults);
    expect(allApprovers(c.policy)).toEqual({ users: ['U0ALICE', 'U0BOB'], groups: ['S0PLATFORM'] });
    // The request and approval flow read these two rules through productPolicyOf, from this same policy.
    const rules = productPolicyOf(c.policy);
    expect(rules.requireProduct()).toBe(true);
    expect([rules.acceptSubscription('pay1234567'), rules.acceptSubscription('maps00001'), rules.acceptSubscription('other')]).toEqual([true, false, false]);
  });

  it('the file may supply the approvers and channel the environment leaves out; with neither, both variables are named', () => {
    const env = { SLACK_BOT_TOKEN: BASE.SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET: BASE.SLACK_SIGNING_SECRET };
    const c = loadConfig({ ...env, APIKEY_POLICY: policyFile({ defaults: { approvers: ['U0ONLY'], channel: 'C0FILE' } }) });
    expect(c.policy.defaults).toMatchObject({ approvers: { users: ['U0ONLY'] }, channel: 'C0FILE' });
    expect(c.approverChannel).toBe('C0FILE');
    const problems = problemsOf({ ...env, APIKEY_POLICY: policyFile({ products: { p1: { quorum: 1 } } }) });
    expect(problems).toEqual([
      expect.stringMatching(/^APIKEY_APPROVERS: is required \(or set defaults\.approvers/),
      expect.stringMatching(/^APIKEY_APPROVER_CHANNEL: is required \(or set defaults\.channel/),
    ]);
  });

  it('reports every problem in the file at once, each naming its JSON path, together with bad variables', () => {
    const problems = problemsOf({
      ...BASE,
      APIKEY_DELIVERY: 'carrier-pigeon',
      APIKEY_POLICY: policyFile({
        defaults: { approvers: ['U0OK', 'alice'], requireProduct: 'yes', offboarding: 'delete' },
        products: {
          'bad/id': { quorum: 1 },
          pay1234567: { approvers: ['U0A', 'U0A'], quorum: 0, ttl: 'forever', revoke: 'burn', chanel: 'C0TYPO' },
          maps00001: { approvers: ['U0ALICE', 'U0BOB'], quorum: 3 },
        },
      }),
    });
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^APIKEY_DELIVERY: /),
      expect.stringMatching(/^APIKEY_POLICY: defaults\.approvers\[1\]: expected a Slack user id/),
      expect.stringMatching(/^APIKEY_POLICY: defaults\.requireProduct: expected true or false/),
      expect.stringMatching(/^APIKEY_POLICY: defaults\.offboarding: expected "disable" or "flag"/),
      expect.stringMatching(/^APIKEY_POLICY: products\.bad\/id: not a product id: expected a product id of 1–64/),
      expect.stringMatching(/^APIKEY_POLICY: products\.maps00001\.quorum: 3 approvals can never be met by the 2 approver/),
      expect.stringMatching(/^APIKEY_POLICY: products\.pay1234567\.approvers\[1\]: U0A is listed twice/),
      expect.stringMatching(/^APIKEY_POLICY: products\.pay1234567\.quorum: expected at least 1/),
      expect.stringMatching(/^APIKEY_POLICY: products\.pay1234567\.ttl: expected a duration/),
      expect.stringMatching(/^APIKEY_POLICY: products\.pay1234567\.revoke: expected "disable" or "delete"/),
      expect.stringMatching(/^APIKEY_POLICY: products\.pay1234567: unknown field "chanel"/),
    ]));
    expect(problems, problems.join("\n")).toHaveLength(11);
  });

  it('refuses a quorum that the listed approvers can never meet (no user group to grow it)', () => {
    const problems = problemsOf({ ...BASE, APIKEY_POLICY: policyFile({ products: { maps00001: { approvers: ['U0ALICE', 'U0BOB'], quorum: 3 } } }) });
    expect(problems).toEqual(['APIKEY_POLICY: products.maps00001.quorum: 3 approvals can never be met by the 2 approver(s) listed']);
    expect(() => loadConfig({ ...BASE, APIKEY_POLICY: policyFile({ products: { maps00001: { approvers: ['U0ALICE', 'S0TEAM'], quorum: 3 } } }) })).not.toThrow();
  });

  it('names a missing file and a file that is not JSON', () => {
    expect(problemsOf({ ...BASE, APIKEY_POLICY: join(dir, 'nope.json') })).toEqual([`APIKEY_POLICY: cannot read ${join(dir, 'nope.json')} (ENOENT)`]);
    expect(problemsOf({ ...BASE, APIKEY_POLICY: policyFile('{"defaults": ') })[0]).toMatch(/^APIKEY_POLICY: .* is not valid JSON/);
    expect(problemsOf({ ...BASE, APIKEY_POLICY: policyFile('[]') })[0]).toMatch(/^APIKEY_POLICY: \(top level\): /);
  });
});
