// Who may decide: approver user ids, plus the members of user groups (S…), resolved through
// usergroups.users.list with a short cache so a burst of clicks costs one Web API call per group. The
// directory's own list is everyone who decides anything; a product's set (from the policy) narrows it.
import type { WebClient } from './bolt.ts';
import type { ApproverSet } from './policy.ts';

export type ApproverDirectory = {
  /** Is `userId` in `set` (default: the directory's own list), directly or through one of its groups? */
  isApprover(userId: string, set?: ApproverSet): Promise<boolean>;
  /** Mention text for the approver message: `<@U…>` and `<!subteam^S…>`. */
  mentions(set?: ApproverSet): string;
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
    async isApprover(userId, set = opts) {
      if (set.users.includes(userId)) return true;
      for (const group of set.groups) {
        if ((await members(group)).has(userId)) return true;
      }
      return false;
    },
    mentions(set = opts) {
      return [...set.users.map((u) => `<@${u}>`), ...set.groups.map((g) => `<!subteam^${g}>`)].join(' ');
    },
  };
}
