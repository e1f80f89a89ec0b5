import { createHmac, randomUUID } from 'node:crypto';

/**
 * A MESH API client written from the specification (NHSDigital/mesh-api-specification,
 * specification/mesh-api.yaml), deliberately independent of the simulator's code: it builds the
 * NHSMESH token itself and speaks plain HTTP.
 */
export interface MeshCredentials {
  id: string;
  password: string;
}

export interface TokenOptions {
  nonce?: string;
  nonceCount?: number;
  /** The token time; the simulated server time when omitted. */
  at?: Date;
  mailbox?: string;
  secret?: string;
}

export interface MeshResponse<T = unknown> {
  status: number;
  headers: Headers;
  json: T;
  bytes: Buffer;
}

export class MeshTestClient {
  constructor(
    private readonly baseUrl: string,
    readonly mailbox: MeshCredentials,
    private readonly sharedSecret: string,
    private readonly serverNow: () => Date,
  ) {}

  /** `NHSMESH mailbox:nonce:nonce_count:yyyyMMddHHmm:HMAC-SHA256(secret, mailbox:nonce:nonce_count:password:timestamp)`. */
  token(options: TokenOptions = {}): string {
    const mailbox = options.mailbox ?? this.mailbox.id;
    const nonce = options.nonce ?? randomUUID();
    const nonceCount = String(options.nonceCount ?? 1);
    const timestamp = (options.at ?? this.serverNow()).toISOString().replace(/[-:T]/g, '').slice(0, 12);
    const hmac = createHmac('sha256', options.secret ?? this.sharedSecret)
      .update(`${mailbox}:${nonce}:${nonceCount}:${this.mailbox.password}:${timestamp}`)
      .digest('hex');
    return `NHSMESH ${mailbox}:${nonce}:${nonceCount}:${timestamp}:${hmac}`;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: Buffer | string; v2?: boolean; token?: string | null } = {},
  ): Promise<MeshResponse<T>> {
    const headers: Record<string, string> = {
      accept: options.v2 ? 'application/vnd.mesh.v2+json' : 'application/json',
      ...options.headers,
    };
    if (options.token !== null) headers.authorization = options.token ?? this.token();
    const response = await fetch(`${this.baseUrl}/messageexchange/${this.mailbox.id}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    let json: unknown;
    if ((response.headers.get('content-type') ?? '').includes('json') && bytes.length > 0) {
      json = JSON.parse(bytes.toString('utf8'));
    }
    return { status: response.status, headers: response.headers, json: json as T, bytes };
  }

  handshake(v2 = false): Promise<MeshResponse<{ mailboxId?: string }>> {
    return this.request('POST', '', {
      v2,
      headers: { 'mex-clientversion': 'spec-client 1.0', 'mex-osname': 'Linux', 'mex-osversion': '6.1' },
    });
  }

  send(
    to: string,
    workflowId: string,
    body: Buffer | string,
    headers: Record<string, string> = {},
    v2 = true,
  ): Promise<MeshResponse<{ message_id?: string; messageID?: string }>> {
    return this.request('POST', '/outbox', {
      v2,
      body,
      headers: { 'content-type': 'application/octet-stream', 'mex-to': to, 'mex-workflowid': workflowId, ...headers },
    });
  }

  sendChunk(messageId: string, chunk: number, body: Buffer | string, total: number): Promise<MeshResponse> {
    return this.request('POST', `/outbox/${messageId}/${chunk}`, {
      v2: true,
      body,
      headers: { 'content-type': 'application/octet-stream', 'mex-chunk-range': `${chunk}:${total}` },
    });
  }

  async inbox(): Promise<string[]> {
    const response = await this.request<{ messages: string[] }>('GET', '/inbox');
    return response.json.messages;
  }

  download(messageId: string, chunk?: number): Promise<MeshResponse> {
    return this.request('GET', `/inbox/${messageId}${chunk === undefined ? '' : `/${chunk}`}`, { v2: true });
  }

  acknowledge(messageId: string): Promise<MeshResponse> {
    return this.request('PUT', `/inbox/${messageId}/status/acknowledged`, { v2: true });
  }

  track(messageId: string): Promise<MeshResponse<Record<string, unknown>>> {
    return this.request('GET', `/outbox/tracking?messageID=${encodeURIComponent(messageId)}`, { v2: true });
  }
}
