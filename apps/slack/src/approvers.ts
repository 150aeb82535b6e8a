// Who may decide: APIKEY_APPROVERS user ids, plus the members of its user groups (S…), resolved through
// usergroups.users.list with a short cache so a burst of clicks costs one Web API call per group.
import type { WebClient } from './bolt.ts';

export type ApproverDirectory = {
  isApprover(userId: string): Promise<boolean>;
  /** Mention text for the approver message: `<@U…>` and `<!subteam^S…>`. */
  mentions(): string;
};

export function createApproverDirectory(opts: {
  users: readonly string[];
  groups: readonly string[];
  client: Pick<WebClient, 'usergroups'>;
  cacheMs?: number;
  now?: () => number;
}): ApproverDirectory {
  const cacheMs = opts.cacheMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { at: number; members: Promise<Set<string>> }>();

  const members = (group: string): Promise<Set<string>> => {
    const hit = cache.get(group);
    if (hit !== undefined && now() - hit.at < cacheMs) return hit.members;
    const load = opts.client.usergroups.users
      .list({ usergroup: group })
      .then((res) => new Set(res.users ?? []));
    cache.set(group, { at: now(), members: load });
    // A failed lookup must not be cached, or one Slack hiccup would lock approvers out for the whole TTL.
    load.catch(() => { if (cache.get(group)?.members === load) cache.delete(group); });
    return load;
  };

  return {
    async isApprover(userId) {
      if (opts.users.includes(userId)) return true;
      for (const group of opts.groups) {
        if ((await members(group)).has(userId)) return true;
      }
      return false;
    },
    mentions() {
      return [...opts.users.map((u) => `<@${u}>`), ...opts.groups.map((g) => `<!subteam^${g}>`)].join(' ');
    },
  };
}
