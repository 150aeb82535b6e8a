// Slack user id shape and the argument check the stand-in and the driver both apply to user ids.

export const USER_ID = /^[UW][A-Z0-9]+$/;

export function assertUserId(fn: string, userId: unknown): asserts userId is string {
  if (typeof userId !== 'string' || !USER_ID.test(userId)) {
    throw new TypeError(`${fn}: userId must be a Slack user id like U0123ABC (got ${JSON.stringify(userId)})`);
  }
}
