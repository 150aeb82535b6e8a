// Parser for ~/.ncloud/configure (INI as written by `ncloud configure`). Unlike the Go SDK's parser it
// honours sections, splits on the first '=' only, and skips malformed lines instead of crashing.

export const DEFAULT_SECTION = 'DEFAULT';

export function parseNcloudConfigure(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current = DEFAULT_SECTION;
  const sectionOf = (name: string): Map<string, string> => {
    let s = sections.get(name);
    if (s === undefined) {
      s = new Map();
      sections.set(name, s);
    }
    return s;
  };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (const rawLine of body.split(/\r\n|\n|\r/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      current = line.slice(1, -1).trim();
      sectionOf(current);
      continue;
    }
    const eq = line.indexOf('=');
    // A line without '=' carries no setting (the Go SDK crashes on it).
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key !== '') sectionOf(current).set(key, value);
  }
  return sections;
}
