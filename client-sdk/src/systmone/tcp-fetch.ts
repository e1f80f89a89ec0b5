/** How a Client Integration document is delimited on the TCP port. */
export type TcpFraming = 'length-prefixed' | 'read-until-idle';

/** Opens a byte stream to host:port; the default uses node:net. Inject one for other runtimes or tests. */
export type SocketFactory = (host: string, port: number) => Promise<TcpSocket>;

export interface TcpSocket {
  write(bytes: Uint8Array): void;
  onData(listener: (bytes: Uint8Array) => void): void;
  onClose(listener: (error?: Error) => void): void;
  close(): void;
}

const CLOSING_TAG = '</ClientIntegrationResponse>';

const nodeSockets: SocketFactory = async (host, port) => {
  const { connect } = await import('node:net');
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve({
        write: (bytes) => socket.write(bytes),
        onData: (listener) => socket.on('data', (data: Uint8Array) => listener(new Uint8Array(data))),
        onClose: (listener) => {
          socket.once('error', (error) => listener(error));
          socket.once('close', () => listener());
        },
        close: () => socket.destroy(),
      });
    });
  });
};

/**
 * A fetch for `tcp://host:port` URLs that carries the request body as one Client Integration
 * document over the SystmOne TCP port and answers 200 with the reply document, so the TCP carriage
 * runs on the same resilient transport (timeouts, retries, circuit breaker) as HTTP. A connection
 * per request; a reset or a close before the reply is whole rejects like a network error.
 */
export function tcpFetch(framing: TcpFraming, sockets: SocketFactory = nodeSockets): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const body = init?.body;
    const document =
      typeof body === 'string' ? new TextEncoder().encode(body) : body instanceof Uint8Array ? body : new Uint8Array();
    const signal = init?.signal ?? undefined;
    signal?.throwIfAborted();
    const socket = await sockets(url.hostname, Number(url.port));
    const reply = await new Promise<Uint8Array>((resolve, reject) => {
      let received = new Uint8Array(0);
      const finish = (error?: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        socket.close();
        if (error !== undefined) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(framing === 'length-prefixed' ? received.subarray(4) : received);
      };
      const onAbort = () => finish(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.onData((bytes) => {
        const joined = new Uint8Array(received.length + bytes.length);
        joined.set(received);
        joined.set(bytes, received.length);
        received = joined;
        if (whole(received, framing)) finish();
      });
      socket.onClose((error) =>
        whole(received, framing)
          ? finish()
          : finish(error ?? new Error('The SystmOne TCP connection closed before the reply was whole')),
      );
      if (framing === 'length-prefixed') {
        const prefix = new Uint8Array(4);
        new DataView(prefix.buffer).setUint32(0, document.length);
        socket.write(prefix);
      }
      socket.write(document);
    });
    return new Response(new TextDecoder().decode(reply), {
      status: 200,
      headers: { 'content-type': 'application/xml; charset=utf-8' },
    });
  };
}

function whole(received: Uint8Array, framing: TcpFraming): boolean {
  if (framing === 'length-prefixed') {
    if (received.length < 4) return false;
    const length = new DataView(received.buffer, received.byteOffset, 4).getUint32(0);
    return received.length >= 4 + length;
  }
  return new TextDecoder().decode(received).trimEnd().endsWith(CLOSING_TAG);
}
