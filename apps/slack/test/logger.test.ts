// The app logger: every line redacted (tokens, configured secrets, key-like values), Web API payload dumps
// dropped, levels honoured.
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
    expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual(['INFO [apikey-slack] shown', 'ERROR [apikey-slack] Error: boom']);
  });
});
