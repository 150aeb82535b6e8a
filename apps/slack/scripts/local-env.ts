// The environment for running the real app (src/main.ts) as a child process against a local Slack stand-in and
// the NCP emulator: used by `pnpm demo`, the load bench and the entry-point tests, so they configure it alike.

export type LocalAppEnvOptions = {
  slack: { url: string; botToken: string };
  signingSecret: string;
  ncpUrl: string;
  approverChannel: string;
  approvers: string;
  /** Anything else (APIKEY_DATA_DIR, DATABASE_URL, LOG_LEVEL, …); wins over the defaults above. */
  extra?: Record<string, string>;
};

export function localAppEnv(o: LocalAppEnvOptions): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    SLACK_BOT_TOKEN: o.slack.botToken,
    SLACK_SIGNING_SECRET: o.signingSecret,
    SLACK_API_URL: o.slack.url,
    PORT: '0',
    HOST: '127.0.0.1',
    APIKEY_APPROVER_CHANNEL: o.approverChannel,
    APIKEY_APPROVERS: o.approvers,
    // The emulator's sandbox credentials: it accepts these when started without any.
    NCLOUD_ACCESS_KEY: 'SANDBOX_ACCESS_KEY',
    NCLOUD_SECRET_KEY: 'SANDBOX_SECRET_KEY',
    NCLOUD_APIGW_ENDPOINT: o.ncpUrl,
    ...o.extra,
  };
}
