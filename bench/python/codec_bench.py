#!/usr/bin/env python3
"""Codec benchmark of the real Python netaio 0.0.9 / packify 0.4.0.

Run (after scripts/setup):  .venv/bin/python bench/python/codec_bench.py [--quick]

Output: one JSON object per line on stdout (progress/notes go to stderr):
    {"impl": "python", "name": NAME, "ops_per_s": float, "mb_per_s": float,
     "bytes": N}
`bytes` is the frame length (encode/decode rows) or the packify blob length
(packify rows); mb_per_s = ops_per_s * bytes / 1e6.  The Swift benchmark
(`netaio-bench codec`) prints the same format with "impl": "swift";
bench/compare.py joins the two.

WORKLOAD (the Swift side implements the identical one)
------------------------------------------------------
  uri          = b"bench"
  HMAC fields  = {'nonce': bytes(range(16)),          # 00 01 .. 0f
                  'ts':    bytes.fromhex('6553f100'), # 1700000000 as u32 BE
                  'hmac':  bytes(range(32))}          # 00 01 .. 1f
                 (the standard HMACAuthPlugin field set; packs to 96 bytes)
  content(N)   = bytes(i % 251 for i in range(N)),  N in {16, 1024, 61440}
  message(N)   = Message.prepare(Body.prepare(content(N), uri),
                                 MessageType.PUBLISH_URI (7),
                                 AuthFields(HMAC fields))
  frame(N)     = message(N).encode()   -> 128, 1136, 61552 bytes

  rows
    encode_16B, encode_1KiB, encode_60KiB
        time `msg.encode()` on a prebuilt message(N) (the full frame: packify
        of the auth fields, body bytes, CRC-32, header).
    decode_16B, decode_1KiB, decode_60KiB
        time `Message.decode(frame(N))` (header, packify unpack of the auth
        block, body split, CRC-32 check).
    packify_pack_auth
        time `packify.pack(fields)`, fields = HMAC fields + {'iv': bytes(16)}
        (4-entry dict; the stream cipher + HMAC field set); bytes = blob length.
    packify_unpack_auth
        time `packify.unpack(blob)` of that blob.

METHOD
  For each row: calibrate an iteration count n (doubling, starting at 1) until
  one repetition of n back-to-back calls takes >= 0.2 s; then run 5
  repetitions of n calls and report the best one (max ops/s).  The garbage
  collector is disabled while timing (as timeit does).  --quick: 0.02 s per
  repetition and 2 repetitions (CI smoke test; numbers are noisy).
"""
from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from itertools import repeat

try:
    import packify
    from netaio import AuthFields, Body, Message, MessageType
except ImportError as _exc:  # pragma: no cover - wrong interpreter
    sys.exit(f'codec_bench: {_exc}; run scripts/setup, then use .venv/bin/python')

URI = b'bench'
HMAC_FIELDS = {
    'nonce': bytes(range(16)),
    'ts': bytes.fromhex('6553f100'),
    'hmac': bytes(range(32)),
}
SIZES = (('16B', 16), ('1KiB', 1024), ('60KiB', 61440))


def content(n: int) -> bytes:
    return bytes(i % 251 for i in range(n))


def make_message(n: int) -> Message:
    return Message.prepare(Body.prepare(content(n), URI), MessageType.PUBLISH_URI,
                           AuthFields(dict(HMAC_FIELDS)))


def _loop0(fn, n: int) -> float:
    t0 = time.perf_counter()
    for _ in repeat(None, n):
        fn()
    return time.perf_counter() - t0


def _loop1(fn, arg, n: int) -> float:
    t0 = time.perf_counter()
    for _ in repeat(None, n):
        fn(arg)
    return time.perf_counter() - t0


def measure(fn, arg=None, *, min_time: float, reps: int) -> float:
    """Best ops/s over `reps` repetitions of a calibrated iteration count."""
    run = (lambda n: _loop0(fn, n)) if arg is None else (lambda n: _loop1(fn, arg, n))
    gc_was = gc.isenabled()
    gc.disable()
    try:
        n = 1
        while True:
            dt = run(n)
            if dt >= min_time:
                break
            # grow quickly but do not overshoot wildly
            n = n * 2 if dt <= 0 else max(n * 2, int(n * min_time / dt * 1.1))
        best = 0.0
        for _ in range(reps):
            best = max(best, n / run(n))
        return best
    finally:
        if gc_was:
            gc.enable()


def rows():
    """(name, callable, arg or None, bytes) for every benchmark row."""
    out = []
    for label, n in SIZES:
        m = make_message(n)
        frame = m.encode()
        assert Message.decode(frame).encode() == frame
        out.append((f'encode_{label}', m.encode, None, len(frame)))
    for label, n in SIZES:
        frame = make_message(n).encode()
        out.append((f'decode_{label}', Message.decode, frame, len(frame)))
    fields = dict(HMAC_FIELDS, iv=bytes(16))
    blob = packify.pack(fields)
    assert packify.unpack(blob) == fields
    out.append(('packify_pack_auth', packify.pack, fields, len(blob)))
    out.append(('packify_unpack_auth', packify.unpack, blob, len(blob)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--quick', action='store_true',
                    help='short repetitions (0.02 s x 2) for CI smoke tests')
    ap.add_argument('--only', default='',
                    help='run only rows whose name contains this substring')
    args = ap.parse_args()
    min_time, reps = (0.02, 2) if args.quick else (0.2, 5)
    for name, fn, arg, nbytes in rows():
        if args.only and args.only not in name:
            continue
        ops = measure(fn, arg, min_time=min_time, reps=reps)
        print(json.dumps({'impl': 'python', 'name': name,
                          'ops_per_s': round(ops, 1),
                          'mb_per_s': round(ops * nbytes / 1e6, 3),
                          'bytes': nbytes}), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
