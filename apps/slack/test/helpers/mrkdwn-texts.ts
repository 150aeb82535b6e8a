// Every mrkdwn text in a Block Kit tree (blocks, fields, context elements): what Slack parses for mentions.
export function mrkdwnTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnTexts);
  if (node === null || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const own = o['type'] === 'mrkdwn' && typeof o['text'] === 'string' ? [o['text']] : [];
  return [...own, ...Object.values(o).flatMap(mrkdwnTexts)];
}
