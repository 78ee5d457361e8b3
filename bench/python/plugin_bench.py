#!/usr/bin/env python3
"""Plugin benchmark of the real Python netaio 0.0.9 (HMAC auth, SHA-256 stream cipher).

Run (after scripts/setup):  .venv/bin/python bench/python/plugin_bench.py [--quick]

Output: one JSON object per line on stdout, the format of codec_bench.py:
    {"impl": "python", "name": NAME, "ops_per_s": float, "mb_per_s": float,
     "bytes": N}
mb_per_s = ops_per_s * bytes / 1e6.  The Swift side prints the same rows with
"impl": "swift"; bench/compare.py joins them.

WORKLOAD (the Swift side implements the identical one)
------------------------------------------------------
  uri        = b"bench"
  content    = bytes(i % 251 for i in range(1024))
  body       = Body.prepare(content, uri)          # body block 2+5+1024 = 1031 bytes
  bytes      = 1031 for both rows (the body block each operation processes)

  hmac_make_check_1KiB
      plugin = HMACAuthPlugin({'secret': 'bench-secret'})
      one op = fields = AuthFields({})              # fresh: make draws a new
               plugin.make(fields, body)            #   16-byte nonce (os.urandom)
               plugin.check(fields, body)           #   and ts = int(time.time())
      (two MACs over ts || body block; the check result is asserted once
      outside the timed loop)

  stream_encrypt_decrypt_1KiB
      plugin  = Sha256StreamCipherPlugin({'key': 'bench-key', 'encrypt_uri': True})
      message = Message.prepare(body, MessageType.PUBLISH_URI, AuthFields({}))
      one op  = e = plugin.encrypt(message)         # 16-byte iv (os.urandom),
                plugin.decrypt(e)                   #   random.randint split
      (keystream over 2+5+1024 = 1031 plaintext bytes each way; round trip
      asserted once outside the timed loop)

  tapescript_single_sig_check_512B
      plugin = netaio.asymmetric.TapescriptAuthPlugin({'seed': bytes(range(32)),
               'lock': tapescript.make_single_sig_lock(<that seed's verify key>)})
      body   = Body.prepare(content[:512], uri)     # 2+5+512 = 519 bytes (a 1 KiB
                                                    #   body cannot be signed: the
                                                    #   sigfields must fit 1024 bytes)
      one op = plugin.check(fields, body) on fields made once by plugin.make
               (the VM runs witness + lock: one Ed25519 verification)

  tapescript_single_sig_make_check_512B
      one op = fields = AuthFields({}); plugin.make(fields, body); plugin.check(...)

  tapescript_vm_103_ops
      script = push d1, 50 x (push d1, add_ints d2), push d51, equal (byte code
               0201 + 50 x 0201 0e02 + 0233 21: 103 opcodes, no crypto)
      one op = tapescript.run_auth_scripts([script], {})   (True)

  Randomness and time are the library's real sources (os.urandom, time.time,
  random.randint); the Swift side uses PluginContext.system() likewise.

METHOD
  As codec_bench.py: calibrate n (doubling from 1) until one repetition of n
  back-to-back ops takes >= 0.2 s, then 5 repetitions of n ops, report the
  best (max ops/s); GC disabled while timing.  --quick: 0.02 s x 2.
"""
from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from itertools import repeat

try:
    from netaio import (AuthFields, Body, HMACAuthPlugin, Message, MessageType,
                        Sha256StreamCipherPlugin)
except ImportError as _exc:  # pragma: no cover - wrong interpreter
    sys.exit(f'plugin_bench: {_exc}; run scripts/setup, then use .venv/bin/python')

URI = b'bench'
CONTENT = bytes(i % 251 for i in range(1024))


def measure(op, *, min_time: float, reps: int) -> float:
    """Best ops/s over `reps` repetitions of a calibrated iteration count."""
    def run(n: int) -> float:
        t0 = time.perf_counter()
        for _ in repeat(None, n):
            op()
        return time.perf_counter() - t0

    gc_was = gc.isenabled()
    gc.disable()
    try:
        n = 1
        while True:
            dt = run(n)
            if dt >= min_time:
                break
            n = n * 2 if dt <= 0 else max(n * 2, int(n * min_time / dt * 1.1))
        return max(n / run(n) for _ in range(reps))
    finally:
        if gc_was:
            gc.enable()


def rows():
    """(name, op, bytes) for every benchmark row."""
    body = Body.prepare(CONTENT, URI)
    nbytes = len(body.encode())
    assert nbytes == 1031

    hmac = HMACAuthPlugin({'secret': 'bench-secret'})
    probe = AuthFields({})
    hmac.make(probe, body)
    assert hmac.check(probe, body)

    def hmac_make_check():
        fields = AuthFields({})
        hmac.make(fields, body)
        hmac.check(fields, body)

    stream = Sha256StreamCipherPlugin({'key': 'bench-key', 'encrypt_uri': True})
    message = Message.prepare(body, MessageType.PUBLISH_URI, AuthFields({}))
    back = stream.decrypt(stream.encrypt(message))
    assert (back.body.uri, back.body.content) == (URI, CONTENT)

    def stream_encrypt_decrypt():
        stream.decrypt(stream.encrypt(message))

    out = [
        ('hmac_make_check_1KiB', hmac_make_check, nbytes),
        ('stream_encrypt_decrypt_1KiB', stream_encrypt_decrypt, nbytes),
    ]
    try:
        import tapescript
        from nacl.signing import SigningKey
        from netaio.asymmetric import TapescriptAuthPlugin
    except ImportError:  # pragma: no cover - netaio[asymmetric] not installed
        return out
    seed = bytes(range(32))
    ts_plugin = TapescriptAuthPlugin({
        'seed': seed, 'lock': tapescript.make_single_sig_lock(SigningKey(seed).verify_key)})
    small = Body.prepare(CONTENT[:512], URI)
    small_bytes = len(small.encode())
    assert small_bytes == 519
    made = AuthFields({})
    ts_plugin.make(made, small)
    assert ts_plugin.check(made, small)

    def ts_check():
        ts_plugin.check(made, small)

    def ts_make_check():
        fields = AuthFields({})
        ts_plugin.make(fields, small)
        ts_plugin.check(fields, small)

    script = bytes.fromhex('0201' + '02010e02' * 50 + '023321')
    assert tapescript.run_auth_scripts([script], {})

    def ts_vm():
        tapescript.run_auth_scripts([script], {})

    return out + [
        ('tapescript_vm_103_ops', ts_vm, len(script)),
        ('tapescript_single_sig_check_512B', ts_check, small_bytes),
        ('tapescript_single_sig_make_check_512B', ts_make_check, small_bytes),
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--quick', action='store_true',
                    help='short repetitions (0.02 s x 2) for CI smoke tests')
    ap.add_argument('--only', default='',
                    help='run only rows whose name contains this substring')
    args = ap.parse_args()
    min_time, reps = (0.02, 2) if args.quick else (0.2, 5)
    for name, op, nbytes in rows():
        if args.only and args.only not in name:
            continue
        ops = measure(op, min_time=min_time, reps=reps)
        print(json.dumps({'impl': 'python', 'name': name,
                          'ops_per_s': round(ops, 1),
                          'mb_per_s': round(ops * nbytes / 1e6, 3),
                          'bytes': nbytes}), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
