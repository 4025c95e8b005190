# Writes a GGUF with the official `gguf` package (llama.cpp's own writer): every metadata value
# type, arrays, a custom alignment and every tensor type `gguf.quants` can produce. Prints what
# the official reader sees, for the header check to agree with.
import json
import sys

import numpy as np
from gguf import GGMLQuantizationType as Q
from gguf import GGUFReader, GGUFWriter
from gguf.quants import quantize

path = sys.argv[1]
w = GGUFWriter(path, "llama")
w.add_custom_alignment(64)
w.add_context_length(4096)
w.add_embedding_length(256)
w.add_uint8("t.u8", 1)
w.add_int8("t.i8", -1)
w.add_uint16("t.u16", 2)
w.add_int16("t.i16", -2)
w.add_int32("t.i32", -3)
w.add_float32("t.f32", 1.5)
w.add_bool("t.bool", True)
w.add_uint64("t.u64", 2**40)
w.add_int64("t.i64", -(2**40))
w.add_float64("t.f64", 2.5)
w.add_array("t.ints", [1, 2, 3])
w.add_array("t.strs", ["a", "bb", "ccc"])
w.add_array("t.floats", [0.5, 1.5])
w.add_array("t.bools", [True, False, True])
w.add_chat_template("{{ messages }}")

rng = np.random.default_rng(0)
written = []
for qt in [Q.F32, Q.F16, Q.BF16, Q.Q8_0, Q.Q4_0, Q.Q4_1, Q.Q5_0, Q.Q5_1, Q.Q2_K, Q.Q3_K, Q.Q4_K, Q.Q5_K, Q.Q6_K, Q.TQ1_0, Q.TQ2_0]:
    data = rng.standard_normal((3, 256), dtype=np.float32)
    try:
        q = quantize(data, qt)
    except NotImplementedError:
        continue  # this gguf version cannot quantize to it
    if qt in (Q.F32, Q.F16):
        w.add_tensor(qt.name.lower(), q)
    else:
        w.add_tensor(qt.name.lower(), q, raw_dtype=qt)
    written.append(qt.name)

w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()

r = GGUFReader(path)
header_fields = 3  # GGUF.version, GGUF.tensor_count, GGUF.kv_count
print(json.dumps({
    "types": written,
    "tensors": len(r.tensors),
    "metadata": len(r.fields) - header_fields,
    "dataOffset": int(r.tensors[0].data_offset),
}))
