// Pure validation of a GGUF file's header before llama.cpp sees it. llama.cpp trusts several
// header fields enough to hit GGML_ASSERT (an abort no JavaScript can catch) on a malformed file;
// checking magic, version, counts, every metadata entry and every tensor's bounds here turns
// those into a clear error. Layout: magic "GGUF", u32 version, u64 tensor count, u64 kv count,
// kv entries, tensor infos, padding to `general.alignment`, tensor data.

export interface GgufHeaderInfo {
  version: number;
  tensorCount: number;
  metadataCount: number;
  architecture: string;
  /** `<arch>.context_length`, when present. */
  trainContextLength: number | undefined;
  hasChatTemplate: boolean;
  /** Bytes from the start of the file to the first tensor's data. */
  dataOffset: number;
}

export type GgufCheck =
  | { ok: true; info: GgufHeaderInfo }
  | { ok: false; reason: string }
  /** The header goes on past the bytes given: call again with at least `bytes` bytes. */
  | { ok: 'need-more'; bytes: number };

const MAGIC = 0x46554747; // "GGUF" read little-endian
const MAX_TENSORS = 1_000_000;
const MAX_METADATA = 1_000_000;
const MAX_STRING_BYTES = 64 * 1024 * 1024;
const MAX_TENSOR_NAME = 63; // GGML_MAX_NAME is 64 including the NUL
const MAX_DIMS = 4; // GGML_MAX_DIMS
const DEFAULT_ALIGNMENT = 32;

// Value types of metadata entries, with the byte size of the fixed-size ones.
const ValueType = { U32: 4, Bool: 7, String: 8, Array: 9, U64: 10 } as const;
const FIXED_SIZE: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

// ggml tensor types → [elements per block, bytes per block]; ids absent here were removed from
// ggml (4, 5, 31–33, 36–38) or are newer than this table.
const TENSOR_TYPES: Record<number, readonly [number, number]> = {
  0: [1, 4], 1: [1, 2], 2: [32, 18], 3: [32, 20], 6: [32, 22], 7: [32, 24], 8: [32, 34], 9: [32, 36],
  10: [256, 84], 11: [256, 110], 12: [256, 144], 13: [256, 176], 14: [256, 210], 15: [256, 292],
  16: [256, 66], 17: [256, 74], 18: [256, 98], 19: [256, 50], 20: [32, 18], 21: [256, 110],
  22: [256, 82], 23: [256, 136], 24: [1, 1], 25: [1, 2], 26: [1, 4], 27: [1, 8], 28: [1, 8],
  29: [256, 56], 30: [1, 2], 34: [256, 54], 35: [256, 66], 39: [32, 17], 40: [64, 36], 41: [128, 18],
  42: [64, 18],
};

const decoder = new TextDecoder('utf-8', { fatal: false });

class NeedMore {
  constructor(readonly bytes: number) {}
}
class Malformed {
  constructor(readonly reason: string) {}
}

/** Sequential little-endian reader that tells "past the buffer" apart from "past the file". */
class Cursor {
  private readonly view: DataView;
  pos = 0;
  constructor(private readonly bytes: Uint8Array, private readonly fileSize: number) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number, what: string): void {
    const end = this.pos + n;
    if (end > this.fileSize) throw new Malformed(`file is truncated while reading ${what} at byte ${this.pos}`);
    if (end > this.bytes.byteLength) throw new NeedMore(end);
  }
  u8(what: string): number { this.need(1, what); return this.view.getUint8(this.pos++); }
  u32(what: string): number { this.need(4, what); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v; }
  u64(what: string): number {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Malformed(`${what} is out of range (${v})`);
    return Number(v);
  }
  skip(n: number, what: string): void { this.need(n, what); this.pos += n; }
  private stringLength(what: string, maxBytes: number): number {
    const length = this.u64(`length of ${what}`);
    if (length > maxBytes) throw new Malformed(`${what} is ${length} bytes long (limit ${maxBytes})`);
    this.need(length, what);
    return length;
  }
  string(what: string, maxBytes = MAX_STRING_BYTES): string {
    const length = this.stringLength(what, maxBytes);
    const text = decoder.decode(this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return text;
  }
  /** Vocabulary entries are bounded but never decoded: 150k tokens should cost nothing. */
  skipString(what: string): void {
    const length = this.stringLength(what, MAX_STRING_BYTES);
    this.pos += length;
  }
  remaining(): number { return this.fileSize - this.pos; }
}

function readValue(c: Cursor, type: number, key: string): unknown {
  const fixed = FIXED_SIZE[type];
  if (fixed !== undefined) {
    if (type === ValueType.Bool) {
      const b = c.u8(`value of ${key}`);
      if (b > 1) throw new Malformed(`metadata "${key}" has an invalid boolean (${b})`);
      return b === 1;
    }
    if (type === ValueType.U32) return c.u32(`value of ${key}`);
    if (type === ValueType.U64) return c.u64(`value of ${key}`);
    c.skip(fixed, `value of ${key}`);
    return undefined;
  }
  if (type === ValueType.String) return c.string(`metadata "${key}"`);
  if (type === ValueType.Array) {
    const elementType = c.u32(`array type of ${key}`);
    if (elementType === ValueType.Array) {
      throw new Malformed(`metadata "${key}" is a nested array, which GGUF loaders do not support`);
    }
    if (elementType !== ValueType.String && FIXED_SIZE[elementType] === undefined) {
      throw new Malformed(`metadata "${key}" is an array of unknown type ${elementType}`);
    }
    const count = c.u64(`array length of ${key}`);
    // Every element takes at least one byte (a string at least its 8-byte length).
    const minElement = elementType === ValueType.String ? 8 : (FIXED_SIZE[elementType] ?? 1);
    if (count * minElement > c.remaining()) {
      throw new Malformed(`metadata "${key}" claims ${count} elements, more than the file can hold`);
    }
    if (elementType === ValueType.String) {
      for (let i = 0; i < count; i++) c.skipString(`element ${i} of ${key}`);
    } else if (elementType === ValueType.Bool) {
      for (let i = 0; i < count; i++) readValue(c, elementType, key);
    } else {
      c.skip(count * minElement, `array ${key}`);
    }
    return undefined;
  }
  throw new Malformed(`metadata "${key}" has unknown value type ${type}`);
}

function parse(bytes: Uint8Array, fileSize: number): GgufHeaderInfo {
  const c = new Cursor(bytes, fileSize);
  if (fileSize < 24) throw new Malformed(`file is too small to be GGUF (${fileSize} bytes)`);
  if (c.u32('magic') !== MAGIC) throw new Malformed('not a GGUF file (the magic bytes are not "GGUF")');
  const version = c.u32('version');
  if (version !== 2 && version !== 3) throw new Malformed(`unsupported GGUF version ${version} (expected 2 or 3)`);
  const tensorCount = c.u64('tensor count');
  const metadataCount = c.u64('metadata count');
  if (tensorCount > MAX_TENSORS) throw new Malformed(`tensor count ${tensorCount} exceeds ${MAX_TENSORS}`);
  if (metadataCount > MAX_METADATA) throw new Malformed(`metadata count ${metadataCount} exceeds ${MAX_METADATA}`);

  const seen = new Set<string>();
  const values = new Map<string, unknown>();
  for (let i = 0; i < metadataCount; i++) {
    const key = c.string(`metadata key #${i}`, 65_536);
    if (!key) throw new Malformed(`metadata key #${i} is empty`);
    if (seen.has(key)) throw new Malformed(`metadata key "${key}" appears twice`);
    seen.add(key);
    const type = c.u32(`type of ${key}`);
    if (key === 'general.alignment' && type !== ValueType.U32) {
      throw new Malformed(`metadata "general.alignment" must be a u32, got value type ${type}`);
    }
    values.set(key, readValue(c, type, key));
  }

  // The first file of a split model may hold metadata only (gguf-split --no-tensor-first-split).
  if (tensorCount === 0 && !values.has('split.count')) {
    throw new Malformed('the file holds no tensors (a vocabulary-only GGUF cannot be served)');
  }
  const architecture = values.get('general.architecture');
  if (typeof architecture !== 'string' || !architecture) {
    throw new Malformed('metadata "general.architecture" is missing or not a string');
  }
  // llama.cpp reads the alignment as a u32 only; any other type is as bad as a wrong value.
  const alignmentValue = values.has('general.alignment') ? values.get('general.alignment') : DEFAULT_ALIGNMENT;
  if (typeof alignmentValue !== 'number' || alignmentValue === 0 || (alignmentValue & (alignmentValue - 1)) !== 0) {
    throw new Malformed(`metadata "general.alignment" must be a power of two, got ${String(alignmentValue)}`);
  }
  const alignment = alignmentValue;

  const tensors: { name: string; offset: number; bytes: number }[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const name = c.string(`tensor name #${i}`, MAX_TENSOR_NAME);
    if (names.has(name)) throw new Malformed(`tensor "${name}" appears twice`);
    names.add(name);
    const dims = c.u32(`dimension count of ${name}`);
    if (dims < 1 || dims > MAX_DIMS) throw new Malformed(`tensor "${name}" has ${dims} dimensions (1 to ${MAX_DIMS} allowed)`);
    let elements = 1;
    const shape: number[] = [];
    for (let d = 0; d < dims; d++) {
      const n = c.u64(`dimension ${d} of ${name}`);
      shape.push(n);
      elements *= n;
      if (elements > Number.MAX_SAFE_INTEGER) throw new Malformed(`tensor "${name}" has too many elements`);
    }
    const type = c.u32(`type of ${name}`);
    const layout = TENSOR_TYPES[type];
    if (!layout) throw new Malformed(`tensor "${name}" has an unknown or retired ggml type ${type}`);
    const [blockElements, blockBytes] = layout;
    if ((shape[0] ?? 0) % blockElements !== 0) {
      throw new Malformed(`tensor "${name}": row length ${shape[0]} is not a multiple of the block size ${blockElements}`);
    }
    const offset = c.u64(`offset of ${name}`);
    if (offset % alignment !== 0) throw new Malformed(`tensor "${name}" offset ${offset} is not aligned to ${alignment}`);
    tensors.push({ name, offset, bytes: (elements / blockElements) * blockBytes });
  }

  const dataOffset = Math.ceil(c.pos / alignment) * alignment;
  const dataBytes = fileSize - dataOffset;
  let expected = 0;
  for (const t of tensors) {
    // ggml requires the tensors to follow each other, each padded to the alignment.
    if (t.offset !== expected) throw new Malformed(`tensor "${t.name}" starts at ${t.offset}, expected ${expected}`);
    if (t.offset + t.bytes > dataBytes) {
      throw new Malformed(`tensor "${t.name}" ends past the end of the file (the file is truncated)`);
    }
    expected = Math.ceil((t.offset + t.bytes) / alignment) * alignment;
  }

  const ctx = values.get(`${architecture}.context_length`);
  return {
    version,
    tensorCount,
    metadataCount,
    architecture,
    trainContextLength: typeof ctx === 'number' && ctx > 0 ? ctx : undefined,
    hasChatTemplate: typeof values.get('tokenizer.chat_template') === 'string',
    dataOffset,
  };
}

/** Validate the header held in `bytes` (a prefix of a file of `fileSize` bytes). */
export function checkGgufHeader(bytes: Uint8Array, fileSize: number): GgufCheck {
  try {
    return { ok: true, info: parse(bytes, fileSize) };
  } catch (err) {
    if (err instanceof NeedMore) return { ok: 'need-more', bytes: err.bytes };
    if (err instanceof Malformed) return { ok: false, reason: err.reason };
    throw err;
  }
}
