/** `host:port/database`, IPv6 literals bracketed as in a URL: how every screen and log names a database. */
export function formatDatabaseAddress(host: string, port: number, database: string): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}/${database}`;
}
