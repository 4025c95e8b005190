/**
 * A stream converter: fed the upstream's events one at a time, it answers the client-side events
 * they amount to (often none, sometimes several). Pure apart from its own state; the caller does
 * the I/O and frames what comes out.
 */
export interface StreamTranslator<In, Out> {
  push(input: In): Out[];
  /** The upstream ended cleanly (`[DONE]`, `message_stop` or end of body): whatever closes the stream. */
  end(): Out[];
}
