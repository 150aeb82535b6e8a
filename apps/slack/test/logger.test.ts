// The app logger: one JSON object a line, every line redacted (tokens, configured secrets, key-like values),
// Web API payload dumps dropped, levels honoured, request ids lifted into a field.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';

const KEY = 'Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKl0n';

function capture(level: 'debug' | 'info' = 'debug') {
  const lines: string[] = [];
  const logger = createLogger({ level, sink: (l) => lines.push(l), secrets: ['my-signing-secret-value'] });
  return { logger, lines };
}

describe('logger', () => {
  it('drops Web API request and result payloads but keeps the line', () => {
    const { logger, lines } = capture();
    logger.debug(`http request body: {"channel":"U1","blocks":[{"text":"*Primary key*\\n\`${KEY}\`"}]}`);
    logger.debug(`http request result: {"ok":true,"view":{"blocks":["${KEY}"]}}`);
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toContain(KEY);
    expect(lines[0]).toContain('http request body: [');
  });

  it('masks key-like values, Slack tokens and configured secrets anywhere in a line', () => {
    const { logger, lines } = capture();
    logger.info('key', KEY, 'token xoxb-123-456-abcdefghijkl', 'secret my-signing-secret-value', { primaryKey: 'x'.repeat(40) });
    const line = lines.join('\n');
    expect(line).not.toContain(KEY);
    expect(line).not.toContain('xoxb-123-456-abcdefghijkl');
    expect(line).not.toContain('my-signing-secret-value');
    expect(line).not.toContain('x'.repeat(40));
    expect(line).toContain('key');
  });

  it('honours the level, including after Bolt calls setLevel', () => {
    const { logger, lines } = capture('info');
    logger.debug('hidden');
    logger.info('shown');
    logger.setLevel('warn' as never);
    logger.info('hidden too');
    logger.error(new Error('boom'));
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>).map((o) => [o['level'], o['name'], o['msg']])).toEqual([
      ['info', 'apikey-slack', 'shown'],
      ['error', 'apikey-slack', 'Error: boom'],
    ]);
  });

  it('writes one JSON object a line with an ISO time, the logger name and the request id', () => {
    const { logger, lines } = capture();
    logger.child('outbox').warn('create_key for req_abcdefghijklmnopqrst failed (attempt 1/6): NCP said "no"\nsecond line');
    logger.with({ requestId: 'req_zzzzzzzzzzzzzzzzzzzz', token: 'xoxb-999-leak' }).info('explicit');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toContain('\n');
    const [a, b] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({ level: 'warn', name: 'apikey-slack:outbox', requestId: 'req_abcdefghijklmnopqrst' });
    expect(a?.['msg']).toContain('NCP said "no"\nsecond line');
    expect(Number.isNaN(Date.parse(String(a?.['time'])))).toBe(false);
    expect(b).toMatchObject({ requestId: 'req_zzzzzzzzzzzzzzzzzzzz', msg: 'explicit' });
    expect(JSON.stringify(b)).not.toContain('999-leak');
  });

  it('leaves the words of a configuration message intact', () => {
    const { logger, lines } = capture();
    logger.error('SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
    expect((JSON.parse(lines[0]!) as { msg: string }).msg).toBe('SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  });
});
