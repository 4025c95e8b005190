import type { ServerResponse } from 'node:http';
import { SSE_HEADERS } from '../protocol/index.js';

export interface HeartbeatOptions {
  /** Silence before the stream's head and the first comment are sent (while a model loads). */
  delayMs: number;
  /** Gap between two heartbeat comments. */
  intervalMs: number;
}

export const DEFAULT_HEARTBEAT: HeartbeatOptions = { delayMs: 5_000, intervalMs: 15_000 };

/**
 * The client's side of a streamed answer. The response head is sent lazily: on the first relayed
 * event, or after `delayMs` of silence, when heartbeat comments start. Comments carry no event,
 * so until `sawContent` the gateway may still fail over to another backend; once the head is
 * out, a failure can only be told as an error event (the status is already 200).
 */
export class ClientStream {
  private headSent = false;
  private content = false;
  private delay: NodeJS.Timeout | undefined;
  private interval: NodeJS.Timeout | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly heartbeat: HeartbeatOptions,
    /** Called once, right before the head goes out (the route hands the raw response over). */
    private readonly onCommit: () => void,
    /** The protocol's keep-alive frame (a comment, or Anthropic's `ping` event). */
    private readonly pingFrame: string,
  ) {}

  /** Starts the silence timer; call once the request is known to stream. */
  armHeartbeat(): void {
    this.delay = setTimeout(() => {
      this.sendHead();
      this.ping();
      this.interval = setInterval(() => this.ping(), this.heartbeat.intervalMs);
    }, this.heartbeat.delayMs);
  }

  get committed(): boolean {
    return this.headSent;
  }

  /** Whether an event (not a comment) reached the client: failover is no longer safe. */
  get sawContent(): boolean {
    return this.content;
  }

  /** Relays event bytes; stops the heartbeat (the upstream's own silence is bounded by its idle limit). */
  write(chunk: Buffer | string): void {
    if (chunk.length === 0) return;
    this.stopHeartbeat();
    this.sendHead();
    this.content = true;
    this.res.write(chunk);
  }

  end(final?: string): void {
    this.stopHeartbeat();
    this.sendHead();
    if (final) this.res.write(final);
    this.res.end();
  }

  stopHeartbeat(): void {
    clearTimeout(this.delay);
    clearInterval(this.interval);
    this.delay = undefined;
    this.interval = undefined;
  }

  private ping(): void {
    if (!this.res.writableEnded) this.res.write(this.pingFrame);
  }

  /** Every caller writes right after, and Node sends the head with that write: one packet, not two. */
  private sendHead(): void {
    if (this.headSent) return;
    this.headSent = true;
    this.onCommit();
    this.res.writeHead(200, SSE_HEADERS);
  }
}
