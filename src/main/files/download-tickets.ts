import crypto from 'node:crypto';

/** How long a download address works, and it works once. */
const TICKET_MS = 60_000;

/**
 * Browser mode: a file (a backup, an exported CSV, an import's report) is downloaded through a
 * one-time address, because a plain link cannot carry the page's token header and the token must
 * never sit in an address the browser keeps. One instance for the app (AppServices.downloads), so
 * GET /download/<ticket> serves every feature's files.
 */
export class DownloadTickets {
  private readonly tickets = new Map<string, { file: string; expires: number }>();

  issue(file: string): string {
    const ticket = crypto.randomBytes(24).toString('base64url');
    this.tickets.set(ticket, { file, expires: Date.now() + TICKET_MS });
    return ticket;
  }

  /** The file for a ticket, once; null when unknown, used or expired. */
  take(ticket: string): string | null {
    const entry = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    for (const [key, value] of this.tickets) if (value.expires < Date.now()) this.tickets.delete(key);
    return entry && entry.expires >= Date.now() ? entry.file : null;
  }
}
