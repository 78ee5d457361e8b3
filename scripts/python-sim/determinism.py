"""Makes a Python process deterministic for the external-node adapter.

`install(clock, own_host)` replaces, in every loaded module, each attribute bound to
`time.time`, `time.time_ns`, `time.monotonic`, `time.monotonic_ns` (virtual clock) and
`os.urandom` (a stream derived from the node's seed); seeds the `random` module's
shared generator from that stream and makes `random.Random()` without a seed draw its
seed from it too; and makes netaio's `get_ip()` return the node's own address. `secrets`
and `random.SystemRandom` read `random._urandom`, PyNaCl's nonces read `os.urandom`:
both are covered. Call `install` after every module of interest is imported (modules
imported later that do `from time import time` get the patched function anyway) and
`set_seed` at `init`.

The random stream is SHA-256 in counter mode: block i = SHA-256(b"netaio-sim" ‖ seed ‖
i as 8 bytes big-endian), concatenated, consumed in order.
"""
from __future__ import annotations

import hashlib
import os
import random
import sys
import time
import types


class SeedStream:
    def __init__(self, seed: bytes = b""):
        self.reset(seed)

    def reset(self, seed: bytes):
        self._seed = bytes(seed)
        self._counter = 0
        self._buffer = b""
        self.drawn = 0

    def take(self, n: int = 32) -> bytes:
        n = int(n)
        if n < 0:
            raise ValueError("negative byte count")
        while len(self._buffer) < n:
            block = hashlib.sha256(b"netaio-sim" + self._seed + self._counter.to_bytes(8, "big")).digest()
            self._counter += 1
            self._buffer += block
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        self.drawn += n
        return out


STREAM = SeedStream()

_ORIGINAL = {
    "time": time.time,
    "time_ns": time.time_ns,
    "monotonic": time.monotonic,
    "monotonic_ns": time.monotonic_ns,
    "urandom": os.urandom,
}
_installed = False


def _urandom(n: int = 32) -> bytes:
    return STREAM.take(n)


def _replace_everywhere(original, replacement) -> int:
    count = 0
    for module in list(sys.modules.values()):
        if not isinstance(module, types.ModuleType):
            continue
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict):
            continue
        for name, value in list(namespace.items()):
            if value is original:
                namespace[name] = replacement
                count += 1
    return count


def install(clock, own_host) -> dict:
    """`clock()` returns the node's virtual time (Unix seconds, float); `own_host()`
    its IP address. Returns how many module attributes were replaced per kind."""
    global _installed
    if _installed:
        raise RuntimeError("determinism.install called twice")
    _installed = True

    def v_time() -> float:
        return clock()

    def v_time_ns() -> int:
        return int(round(clock() * 1e9))

    replacements = {
        "time": v_time,
        "time_ns": v_time_ns,
        "monotonic": v_time,
        "monotonic_ns": v_time_ns,
        "urandom": _urandom,
    }
    counts = {kind: _replace_everywhere(_ORIGINAL[kind], fn) for kind, fn in replacements.items()}

    original_seed = random.Random.seed

    def seed(self, a=None, version=2):
        if a is None:
            a = int.from_bytes(STREAM.take(32), "big")
        return original_seed(self, a, version)

    random.Random.seed = seed

    def get_ip():
        return own_host()

    try:
        import netaio.common
        import netaio.node
        netaio.common.get_ip = get_ip
        netaio.node.get_ip = get_ip
    except ImportError:  # pragma: no cover - the venv has netaio
        pass
    return counts


def set_seed(seed: bytes) -> None:
    """Restart the stream from `seed` and reseed `random`'s shared generator from it."""
    STREAM.reset(seed)
    random.seed(int.from_bytes(STREAM.take(32), "big"))
