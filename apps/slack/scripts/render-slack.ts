// Renders Slack messages and modals as plain text the way a person reads them in the client, for the demo's
// transcript: mentions become names, dates their fallback text, buttons [Label], inputs "Label: value".
// Key values are masked (first 4 characters + …) wherever they appear.

export type Directory = { users: Record<string, string>; channels: Record<string, string> };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Masks the given secrets, and any standalone 40-character alphanumeric run (an NCP key's shape). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join(`${s.slice(0, 4)}…`);
  return out.replace(/(?<![A-Za-z0-9])[A-Za-z0-9]{40}(?![A-Za-z0-9])/g, (k) => `${k.slice(0, 4)}…`);
}

/** Slack mrkdwn → what the client shows (without styling). */
export function mrkdwnToText(text: string, dir: Directory): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)>/g, (_m, id: string) => `@${dir.users[id] ?? id}`)
    .replace(/<#([CG][A-Z0-9]+)(?:\|[^>]*)?>/g, (_m, id: string) => `#${dir.channels[id] ?? id}`)
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m)
    // Bold and code styling: the client shows the words, not the markers.
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/gm, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const EMOJI: Record<string, string> = {
  key: '🔑', hourglass_flowing_sand: '⏳', no_entry: '⛔', white_check_mark: '✅', alarm_clock: '⏰', x: '❌',
  warning: '⚠️', hourglass: '⌛', lock: '🔒', bust_in_silhouette: '👤', memo: '📝', inbox_tray: '📥',
};

const textOf = (t: unknown, dir: Directory): string => (isObj(t) && typeof t['text'] === 'string' ? mrkdwnToText(t['text'], dir) : '');

function elementText(e: unknown, dir: Directory): string {
  if (!isObj(e)) return '';
  if (e['type'] === 'button') return `[${textOf(e['text'], dir)}]`;
  if (e['type'] === 'image') return String(e['alt_text'] ?? '');
  return textOf(e, dir);
}

function richText(block: Obj): string {
  const walk = (v: unknown): string => {
    if (Array.isArray(v)) return v.map(walk).join('');
    if (!isObj(v)) return '';
    if (typeof v['text'] === 'string') return v['text'];
    return walk(v['elements']);
  };
  return walk(block['elements']);
}

/** One block per entry, each possibly several lines. `values` are the inputs as the person filled them. */
export function renderBlocks(blocks: readonly unknown[], dir: Directory, values: Record<string, string> = {}): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    if (!isObj(b)) continue;
    switch (b['type']) {
      case 'header': out.push(`▌${textOf(b['text'], dir)}`); break;
      case 'divider': out.push('────────'); break;
      case 'section': {
        const parts: string[] = [];
        const main = textOf(b['text'], dir);
        if (main !== '') parts.push(main);
        // A field is "*Label*\nvalue": shown side by side in Slack, here as "Label: value" lines.
        if (Array.isArray(b['fields'])) parts.push(b['fields'].map((f) => textOf(f, dir).replace(/^([^\n]{1,40})\n/, '$1: ')).join('\n'));
        if (b['accessory'] !== undefined) parts.push(elementText(b['accessory'], dir));
        out.push(parts.join('\n'));
        break;
      }
      case 'context': out.push(Array.isArray(b['elements']) ? b['elements'].map((e) => elementText(e, dir)).join(' · ') : ''); break;
      case 'actions': out.push(Array.isArray(b['elements']) ? b['elements'].map((e) => elementText(e, dir)).join(' ') : ''); break;
      case 'input': {
        const id = String(b['block_id'] ?? '');
        const el = isObj(b['element']) ? b['element'] : {};
        const value = values[id] ?? (typeof el['initial_value'] === 'string' ? el['initial_value'] : '');
        const label = textOf(b['label'], dir);
        const optional = b['optional'] === true && !label.includes('optional') ? ' (optional)' : '';
        out.push(`${label}${optional}: ${value === '' ? '(empty)' : value}`);
        break;
      }
      case 'rich_text': out.push(richText(b)); break;
      case 'markdown': out.push(String(b['text'] ?? '')); break;
      default: break;
    }
  }
  return out.filter((l) => l.trim() !== '');
}

/** Only the input blocks, as filled in: what a person typed into a modal. */
export function renderInputs(blocks: readonly unknown[], dir: Directory, values: Record<string, string>): string[] {
  return renderBlocks(blocks.filter((b) => isObj(b) && b['type'] === 'input'), dir, values);
}

export function indent(lines: readonly string[], prefix = '    │ '): string {
  return lines.flatMap((l) => l.split('\n')).map((l) => `${prefix}${l}`).join('\n');
}
