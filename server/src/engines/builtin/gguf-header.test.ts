import { describe, expect, it } from 'vitest';
import { buildTinyModelFiles } from '../../../test/fixtures/tiny-model/index.js';
import { checkGgufHeader } from './gguf-header.js';

// A byte-level GGUF writer that, unlike a real one, lets each test lie in one field.
type Kv = [key: string, type: number, value: Uint8Array];
interface Tensor { name: string; dims: number[]; type: number; offset: number; bytes: number }

const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
const u64 = (n: number | bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; };
const str = (s: string) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
const kvString = (key: string, value: string): Kv => [key, 8, str(value)];
const kvU32 = (key: string, value: number): Kv => [key, 4, u32(value)];

function gguf(opts: { magic?: string; version?: number; kvs?: Kv[]; tensors?: Tensor[]; tensorCount?: number | bigint; kvCount?: number | bigint; dataBytes?: number } = {}): Uint8Array {
  const kvs = opts.kvs ?? [kvString('general.architecture', 'llama'), kvU32('llama.context_length', 512)];
  const tensors = opts.tensors ?? [
    { name: 'a', dims: [32, 2], type: 0, offset: 0, bytes: 256 },
    { name: 'b', dims: [64], type: 1, offset: 256, bytes: 128 },
  ];
  const parts: Buffer[] = [
    Buffer.from(opts.magic ?? 'GGUF'),
    u32(opts.version ?? 3),
    u64(opts.tensorCount ?? tensors.length),
    u64(opts.kvCount ?? kvs.length),
  ];
  for (const [key, type, value] of kvs) parts.push(str(key), u32(type), Buffer.from(value));
  for (const t of tensors) parts.push(str(t.name), u32(t.dims.length), ...t.dims.map(u64), u32(t.type), u64(t.offset));
  const header = Buffer.concat(parts);
  const padded = Math.ceil(header.length / 32) * 32;
  const data = opts.dataBytes ?? tensors.reduce((n, t) => Math.max(n, t.offset + t.bytes), 0);
  return Buffer.concat([header, Buffer.alloc(padded - header.length), Buffer.alloc(data)]);
}

const check = (bytes: Uint8Array) => checkGgufHeader(bytes, bytes.length);
const reason = (bytes: Uint8Array) => {
  const r = check(bytes);
  return r.ok === false ? r.reason : `accepted: ${JSON.stringify(r)}`;
};

describe('checkGgufHeader', () => {
  it('accepts the tiny fixture model and reads its facts', () => {
    const [file] = [...buildTinyModelFiles('gguf').values()];
    const r = check(file!);
    expect(r.ok).toBe(true);
    expect(r.ok === true && r.info).toMatchObject({ version: 3, architecture: 'llama', trainContextLength: 2048, hasChatTemplate: true });
  });

  it('accepts a hand-built file with F32 and F16 tensors', () => {
    const r = check(gguf());
    expect(r.ok === true && r.info).toMatchObject({ tensorCount: 2, metadataCount: 2, trainContextLength: 512, dataOffset: expect.any(Number) });
  });

  it('accepts a metadata-only first file of a split model', () => {
    const r = check(gguf({ tensors: [], kvs: [kvString('general.architecture', 'llama'), ['split.count', 2, Buffer.from([3, 0])]] }));
    expect(r.ok === true && r.info.tensorCount).toBe(0);
  });

  it('asks for more bytes when given only a prefix, and succeeds with them', () => {
    const file = gguf();
    const r = checkGgufHeader(file.subarray(0, 40), file.length);
    expect(r.ok).toBe('need-more');
    expect(r.ok === 'need-more' && r.bytes).toBeGreaterThan(40);
    expect(checkGgufHeader(file, file.length).ok).toBe(true);
  });

  it.each<[string, () => Uint8Array, string]>([
    ['wrong magic', () => gguf({ magic: 'GGML' }), 'not a GGUF file'],
    ['version 1', () => gguf({ version: 1 }), 'unsupported GGUF version 1'],
    ['no tensors', () => gguf({ tensors: [] }), 'no tensors'],
    ['absurd tensor count', () => gguf({ tensorCount: 1n << 40n }), 'tensor count'],
    ['tensor count beyond 2^53', () => gguf({ tensorCount: 1n << 62n }), 'out of range'],
    ['absurd metadata count', () => gguf({ kvCount: 5_000_000 }), 'metadata count 5000000 exceeds'],
    ['metadata count larger than the entries', () => gguf({ kvCount: 9 }), ''],
    ['string longer than the file', () => gguf({ kvs: [['general.architecture', 8, u64(1n << 40n)]] }), 'bytes long'],
    ['unknown value type', () => gguf({ kvs: [kvString('general.architecture', 'llama'), ['x', 13, u32(0)]] }), 'unknown value type 13'],
    ['invalid boolean', () => gguf({ kvs: [kvString('general.architecture', 'llama'), ['x', 7, Buffer.from([2])]] }), 'invalid boolean'],
    ['array claiming more elements than the file holds', () =>
      gguf({ kvs: [kvString('general.architecture', 'llama'), ['tokens', 9, Buffer.concat([u32(8), u64(1_000_000_000)])]] }), 'more than the file can hold'],
    ['nested array', () =>
      gguf({ kvs: [kvString('general.architecture', 'llama'), ['n', 9, Buffer.concat([u32(9), u64(1), u32(4), u64(1), u32(1)])]] }), 'nested array'],
    ['duplicate key', () => gguf({ kvs: [kvString('general.architecture', 'llama'), kvString('general.architecture', 'llama')] }), 'appears twice'],
    ['missing architecture', () => gguf({ kvs: [kvU32('llama.context_length', 1)] }), 'general.architecture'],
    ['alignment not a power of two', () => gguf({ kvs: [kvString('general.architecture', 'llama'), kvU32('general.alignment', 24)] }), 'power of two'],
    ['alignment of the wrong type', () => gguf({ kvs: [kvString('general.architecture', 'llama'), ['general.alignment', 10, u64(32)]] }), 'must be a u32'],
    ['five dimensions', () => gguf({ tensors: [{ name: 'a', dims: [1, 1, 1, 1, 1], type: 0, offset: 0, bytes: 4 }] }), '5 dimensions'],
    ['retired tensor type', () => gguf({ tensors: [{ name: 'a', dims: [32], type: 4, offset: 0, bytes: 32 }] }), 'unknown or retired ggml type 4'],
    ['row not a multiple of the block', () => gguf({ tensors: [{ name: 'a', dims: [30], type: 8, offset: 0, bytes: 34 }] }), 'block size 32'],
    ['misaligned offset', () => gguf({ tensors: [{ name: 'a', dims: [8], type: 0, offset: 4, bytes: 32 }] }), 'not aligned'],
    ['overlapping tensors', () => gguf({ tensors: [
      { name: 'a', dims: [32], type: 0, offset: 0, bytes: 128 },
      { name: 'b', dims: [32], type: 0, offset: 64, bytes: 128 },
    ] }), 'expected 128'],
    ['duplicate tensor name', () => gguf({ tensors: [
      { name: 'a', dims: [8], type: 0, offset: 0, bytes: 32 },
      { name: 'a', dims: [8], type: 0, offset: 32, bytes: 32 },
    ] }), 'tensor "a" appears twice'],
    ['tensor name too long', () => gguf({ tensors: [{ name: 'x'.repeat(80), dims: [8], type: 0, offset: 0, bytes: 32 }] }), 'limit 63'],
    ['element count overflow', () => gguf({ tensors: [{ name: 'a', dims: [2 ** 30, 2 ** 30, 2 ** 30], type: 0, offset: 0, bytes: 0 }] }), 'too many elements'],
    ['truncated tensor data', () => gguf({ dataBytes: 100 }), 'past the end of the file'],
  ])('refuses %s', (_name, build, message) => {
    const r = check(build());
    expect(r.ok).toBe(false);
    expect(reason(build())).toContain(message);
  });

  it('refuses files too small or cut in the header', () => {
    expect(reason(Buffer.from('GGUF'))).toContain('too small');
    const file = gguf();
    expect(reason(file.subarray(0, 60))).toContain('truncated');
  });
});
