/**
 * How big the next Range request of a download should be (pure state, no I/O).
 *
 * Fixed-size chunks leave a tail: when the last chunks start at different times, a few
 * connections finish the download while the others sit idle. Instead each request takes a share
 * of the bytes not yet handed to any request — half of an even split over the connections,
 * between `minPiece` and `maxPiece` ("guided self-scheduling"). Pieces start large (few
 * requests) and shrink as the download nears its end, so all connections finish close together.
 * The bytes not handed out are counted over the whole download, every file included.
 */
export interface PieceSizer {
  /** Hand out the next piece of a run of `available` missing bytes; returns its length. */
  next(available: number): number;
  /** Count bytes fetched without pieces (a small file in one stream). */
  claim(bytes: number): void;
}

export interface PieceSizerOptions {
  /** Bytes the download still has to fetch. */
  bytes: number;
  connections: number;
  maxPiece: number;
  minPiece: number;
}

export function pieceSizer(opts: PieceSizerOptions): PieceSizer {
  let unassigned = Math.max(0, opts.bytes);
  const min = Math.max(1, Math.min(opts.minPiece, opts.maxPiece));
  const share = Math.max(1, 2 * opts.connections);
  return {
    next(available) {
      let piece = Math.min(opts.maxPiece, Math.max(min, Math.ceil(unassigned / share)));
      // A sliver under half a piece is not worth a request of its own: take it along, or split
      // the run in two halves when that would exceed the largest piece.
      if (available - piece < min / 2) piece = available <= opts.maxPiece ? available : Math.ceil(available / 2);
      piece = Math.min(piece, available);
      unassigned = Math.max(0, unassigned - piece);
      return piece;
    },
    claim(bytes) {
      unassigned = Math.max(0, unassigned - bytes);
    },
  };
}
