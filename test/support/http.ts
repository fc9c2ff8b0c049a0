import http from 'node:http';

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json(): { ok: boolean; data?: unknown; error?: { code: string; message: string; field?: string } };
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * Raw HTTP to the browser-mode server on 127.0.0.1:`port` (POST unless told), so a test can send
 * what a browser would not: a forged Host, a wrong token, a huge body, a size that is not there.
 */
export function rawRequest(port: number, options: RawRequest): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'POST',
        path: options.path,
        headers: { Host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) as ReturnType<RawReply['json']> });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
