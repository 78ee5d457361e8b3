#!/usr/bin/env python3
"""JSON-lines adapter that lets `netaio validate-plugin` drive a Python netaio plugin.

Run (after scripts/setup):  .venv/bin/python scripts/python/plugin_adapter.py

Same framing as oracle.py: one JSON object per line in, one per line out, in
order, flushed after every line:

    request   {"id": N, "op": "...", ...arguments}
    success   {"id": N, "ok": true,  "result": ...}
    failure   {"id": N, "ok": false, "error": "ExceptionType: message"}

Every request runs inside `except BaseException` (KeyboardInterrupt/SystemExit
excepted): an exception in the plugin under test is a reply, never the end of
the adapter.  Nothing but replies goes to stdout.

Values cross the pipe as bytes: auth fields and peer data values as packify
(hex), messages as frames (hex, read with Message.decode), peers as
{"id_hex": hex|null, "data_hex": hex|null}.

Randomness and time are injected per call so the kit can check determinism
and compare bytes with the Swift plugins: "tape_hex" is a stream of random
bytes and "time" the clock reading.  While a plugin call runs, every module
attribute that refers to os.urandom, secrets.token_bytes, nacl.utils.random,
random.randint or time.time is replaced by a stand-in reading the tape (or
returning "time").  randint(a, b) draws big-endian 64-bit words from the tape
with rejection sampling, exactly like the Swift RandomSource, so the same
tape gives the same split point in both languages.  A plugin that draws
randomness some other way is simply not deterministic under the kit (the
determinism property reports it).

Ops:
    load        {spec: "module:Class", config: {...}}
                -> {"handle", "kind": "auth"|"cipher"|"peer", "class",
                    "is_peer_specific": bool|null}
                config keys ending in "_hex" are decoded to bytes and the
                suffix dropped ({"seed_hex": "00.."} -> {"seed": b"\\x00.."}).
    auth_make   {handle, fields_hex, uri_hex, content_hex, peer?, peer_plugin?,
                 tape_hex, time}                    -> {"fields_hex"}
    auth_check  {same, without tape use}            -> {"valid": bool}
    auth_error  {handle}                            -> {"hex"}
    cipher_encrypt / cipher_decrypt
                {handle, hex, peer?, peer_plugin?, tape_hex, time} -> {"hex"}
    peer_pack   {handle, peer}                      -> {"hex"}
    peer_unpack {handle, hex}                       -> {"peer"}
    peer_encode_data {handle, value_hex, peer_id_hex?} -> {"hex"}
    peer_parse_data  {handle, peer}                 -> {"value_hex"}
    peer_validate    {handle, peer}                 -> bool

`peer_plugin` is the handle of a loaded peer plugin; without it the real
netaio DefaultPeerPlugin is passed (X25519 needs one to read pubkeys).
"""
from __future__ import annotations

import importlib
import json
import logging
import os
import random as _random_module
import secrets
import sys
import time as _time_module
import types
import warnings

_OUT = sys.stdout
sys.stdout = sys.stderr  # anything the plugin prints goes to stderr

try:
    import packify
    from netaio import AuthFields, Body, DefaultPeerPlugin, Header, Message, Peer
except ImportError as _exc:  # pragma: no cover - wrong interpreter
    sys.exit(f'plugin_adapter: {_exc}; run scripts/setup, then use .venv/bin/python')

logging.disable(logging.CRITICAL)
warnings.simplefilter('ignore')

# The plugin modules are found relative to the working directory and to $PYTHONPATH.
if os.getcwd() not in sys.path:
    sys.path.insert(0, os.getcwd())


def err_text(e: BaseException) -> str:
    t = type(e)
    name = t.__name__ if t.__module__ == 'builtins' else f'{t.__module__}.{t.__qualname__}'
    return f'{name}: {e}'


# ---------------------------------------------------------------------------
# injected randomness and time
# ---------------------------------------------------------------------------

class Tape:
    """The random bytes of one call, consumed in order."""

    def __init__(self, data: bytes, now: float):
        self.data, self.pos, self.now = data, 0, now

    def take(self, n: int) -> bytes:
        n = int(n)
        if n < 0 or self.pos + n > len(self.data):
            raise RuntimeError(f'plugin_adapter: random tape exhausted ({n} bytes asked, '
                               f'{len(self.data) - self.pos} left)')
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def randint(self, a: int, b: int) -> int:
        span = b - a + 1
        if span <= 0:
            raise ValueError(f'empty range for randint({a}, {b})')
        top = 2 ** 64 - 1
        limit = top - (top % span + 1) % span
        while True:
            w = int.from_bytes(self.take(8), 'big')
            if w <= limit:
                return a + w % span


_ORIGINALS: dict = {
    'urandom': os.urandom,
    'token_bytes': secrets.token_bytes,
    'randint': _random_module.randint,
    'time': _time_module.time,
}
try:
    import nacl.utils as _nacl_utils
    _ORIGINALS['nacl_random'] = _nacl_utils.random
except ImportError:  # pragma: no cover - PyNaCl is in requirements.txt
    pass


def _stand_in(kind: str, tape: Tape):
    if kind in ('urandom', 'token_bytes', 'nacl_random'):
        return lambda n=32: tape.take(n)
    if kind == 'randint':
        return tape.randint
    return lambda: tape.now


def _same(value, original) -> bool:
    if value is original:
        return True
    return type(value) is types.MethodType and type(original) is types.MethodType and value == original


def _patch_sites() -> list:
    """(module, attribute, kind) for every module attribute bound to an original."""
    sites = []
    for mod in list(sys.modules.values()):
        if not isinstance(mod, types.ModuleType):
            continue
        for attr in ('urandom', 'token_bytes', 'randint', 'time', 'random'):
            try:
                value = mod.__dict__.get(attr)
            except Exception:
                continue
            if value is None:
                continue
            for kind, original in _ORIGINALS.items():
                if _same(value, original):
                    sites.append((mod, attr, kind))
    return sites


_SITES: list = []


class injected:
    """Context manager: the call sees the tape instead of real randomness/time."""

    def __init__(self, req: dict):
        self.tape = Tape(bytes.fromhex(req.get('tape_hex', '')), float(req.get('time', 0.0)))

    def __enter__(self):
        self.saved = [(m, a, m.__dict__[a]) for m, a, _ in _SITES]
        for mod, attr, kind in _SITES:
            setattr(mod, attr, _stand_in(kind, self.tape))
        return self.tape

    def __exit__(self, *exc):
        for mod, attr, value in self.saved:
            setattr(mod, attr, value)
        return False


# ---------------------------------------------------------------------------
# plugins and values
# ---------------------------------------------------------------------------

_PLUGINS: list = []


def _config(raw) -> dict:
    if not isinstance(raw, dict):
        raise TypeError('config must be a JSON object')
    out = {}
    for k, v in raw.items():
        if k.endswith('_hex') and isinstance(v, str):
            out[k[:-4]] = bytes.fromhex(v)
        else:
            out[k] = v
    return out


def _kind(obj) -> str:
    if callable(getattr(obj, 'make', None)) and callable(getattr(obj, 'check', None)):
        return 'auth'
    if callable(getattr(obj, 'encrypt', None)) and callable(getattr(obj, 'decrypt', None)):
        return 'cipher'
    if callable(getattr(obj, 'pack', None)) and callable(getattr(obj, 'unpack', None)):
        return 'peer'
    raise TypeError(f'{type(obj).__name__} has neither make/check, encrypt/decrypt nor pack/unpack')


def _plugin(req: dict, key: str = 'handle'):
    h = req.get(key)
    if not isinstance(h, int) or isinstance(h, bool) or not 0 <= h < len(_PLUGINS):
        raise KeyError(f'no plugin with handle {h!r}')
    return _PLUGINS[h]


def _hex(req: dict, key: str) -> bytes:
    v = req.get(key)
    if not isinstance(v, str):
        raise KeyError(f'missing hex argument {key!r}')
    return bytes.fromhex(v)


def _peer(obj):
    if obj is None:
        return None
    if not isinstance(obj, dict):
        raise TypeError('peer must be an object')
    def part(k):
        v = obj.get(k)
        return None if v is None else bytes.fromhex(v)
    return Peer(addrs=set(), id=part('id_hex'), data=part('data_hex'))


def _peer_json(p) -> dict:
    def part(v):
        if v is None:
            return None
        if not isinstance(v, (bytes, bytearray)):
            raise TypeError(f'peer member is {type(v).__name__}, not bytes')
        return bytes(v).hex()
    return {'id_hex': part(p.id), 'data_hex': part(p.data)}


def _context(req: dict) -> tuple:
    peer = _peer(req.get('peer'))
    pp = _plugin(req, 'peer_plugin') if req.get('peer_plugin') is not None else DefaultPeerPlugin()
    return peer, pp


def _body(req: dict):
    uri, content = _hex(req, 'uri_hex'), _hex(req, 'content_hex')
    return Body(uri_length=len(uri), uri=uri, content=content)


def op_load(req):
    spec = req.get('spec')
    if not isinstance(spec, str) or ':' not in spec:
        raise ValueError("spec must be 'module:Class'")
    mod_name, cls_name = spec.split(':', 1)
    cls = getattr(importlib.import_module(mod_name), cls_name)
    obj = cls(_config(req.get('config', {})))
    kind = _kind(obj)
    _PLUGINS.append(obj)
    global _SITES
    _SITES = _patch_sites()  # the import may have bound new names
    ps = getattr(obj, 'is_peer_specific', None)
    return {'handle': len(_PLUGINS) - 1, 'kind': kind, 'class': f'{type(obj).__module__}.{type(obj).__qualname__}',
            'is_peer_specific': bool(ps()) if callable(ps) else None}


def op_auth_make(req):
    plugin = _plugin(req)
    fields = AuthFields(packify.unpack(_hex(req, 'fields_hex')))
    body = _body(req)
    peer, pp = _context(req)
    with injected(req):
        plugin.make(fields, body, None, peer, pp)
    return {'fields_hex': packify.pack(fields.fields).hex()}


def op_auth_check(req):
    plugin = _plugin(req)
    fields = AuthFields(packify.unpack(_hex(req, 'fields_hex')))
    peer, pp = _context(req)
    with injected(req):
        valid = plugin.check(fields, _body(req), None, peer, pp)
    if not isinstance(valid, bool):
        raise TypeError(f'check returned {type(valid).__name__}, not bool')
    return {'valid': valid}


def op_auth_error(req):
    return {'hex': _plugin(req).error().encode().hex()}


def _cipher(req, method):
    plugin = _plugin(req)
    message = Message.decode(_hex(req, 'hex'))
    peer, pp = _context(req)
    with injected(req):
        out = getattr(plugin, method)(message, None, peer, pp)
    return {'hex': out.encode().hex()}


def op_cipher_encrypt(req):
    return _cipher(req, 'encrypt')


def op_cipher_decrypt(req):
    return _cipher(req, 'decrypt')


def op_peer_pack(req):
    return {'hex': bytes(_plugin(req).pack(_peer(req.get('peer')))).hex()}


def op_peer_unpack(req):
    return {'peer': _peer_json(_plugin(req).unpack(_hex(req, 'hex')))}


def op_peer_encode_data(req):
    pid = req.get('peer_id_hex')
    value = packify.unpack(_hex(req, 'value_hex'))
    return {'hex': bytes(_plugin(req).encode_data(value, None if pid is None else bytes.fromhex(pid))).hex()}


def op_peer_parse_data(req):
    return {'value_hex': packify.pack(_plugin(req).parse_data(_peer(req.get('peer')))).hex()}


def op_peer_validate(req):
    return bool(_plugin(req).validate(_peer(req.get('peer'))))


OPS = {name[3:]: fn for name, fn in globals().items() if name.startswith('op_')}


def handle(line: bytes) -> dict:
    rid = None
    try:
        req = json.loads(line.decode('utf-8'))
        if not isinstance(req, dict):
            raise TypeError('request must be a JSON object')
        rid = req.get('id')
        fn = OPS.get(req.get('op'))
        if fn is None:
            raise ValueError(f'unknown op {req.get("op")!r}')
        return {'id': rid, 'ok': True, 'result': fn(req)}
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:
        try:
            return {'id': rid, 'ok': False, 'error': err_text(e)}
        except BaseException:  # pragma: no cover - str(e) itself failed
            return {'id': rid, 'ok': False, 'error': type(e).__name__}


def main() -> None:
    stdin = sys.stdin.buffer
    while True:
        line = stdin.readline()
        if not line:
            break
        if line.strip():
            _OUT.write(json.dumps(handle(line)) + '\n')
            _OUT.flush()


if __name__ == '__main__':
    try:
        main()
    except (KeyboardInterrupt, BrokenPipeError):
        pass
