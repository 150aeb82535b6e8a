// What a runtime adapter gives the NCP client: how to reach NCP on this runtime.

export type NcpConnections = {
  /**
   * For `createApiGatewayClient({ freshConnectionFetch })`: a fetch that sends each request on a connection
   * of its own and never re-sends it. Undefined when the runtime's own fetch already behaves so.
   */
  freshConnectionFetch: typeof fetch | undefined;
  /** Releases what the adapter holds (connection clients); the process may also simply exit. */
  close(): void;
};
