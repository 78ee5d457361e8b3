#!/usr/bin/env python3
"""JSON-lines oracle around the real Python netaio 0.0.9 / packify 0.4.0.

Run (after scripts/setup):  .venv/bin/python scripts/python/oracle.py

The Swift tests spawn this as a long-lived subprocess.  Protocol: one JSON
object per line on stdin, one JSON object per line on stdout, in order,
flushed after every line:

    request   {"id": N, "op": "...", ...arguments}
    success   {"id": N, "ok": true,  "result": ...}
    failure   {"id": N, "ok": false, "error": "ExceptionType: message"}

`id` is echoed verbatim (null when the line was not a JSON object).  Blank
lines are ignored.  The process never dies on bad input: every request is
handled inside `except BaseException` (KeyboardInterrupt and SystemExit
excepted); it exits at end of input.  ExceptionType is the bare class name
for builtins (`ValueError`) and `module.Name` otherwise (`struct.error`).
Nothing but responses is written to stdout; netaio's loggers are silenced.

Typed packify values ("typed") use the format of Fixtures/vectors/vectors.json
(docs/PROTOCOL.md §12):
    {"type":"none"}                {"type":"bool","value":true}
    {"type":"int","value":"-5"}    (decimal string; a JSON int is accepted on input)
    {"type":"float","bits_hex":"3ff8000000000000","repr":"1.5"}
                                   (input: bits_hex, else repr)
    {"type":"str","value":"h","utf8_hex":"68"}   (input: utf8_hex if present, else value)
    {"type":"bytes","hex":".."}    {"type":"bytearray","hex":".."}
    {"type":"decimal","value":"1.25"}
    {"type":"list"|"tuple"|"set","items":[typed, ...]}   (output sets: encoded order)
    {"type":"dict","entries":[[typed key, typed value], ...]}

Ops (arguments -> result):
    ping                                   -> "pong"
    version                                -> {"netaio","packify","python"}
    pack            {value: typed}         -> {"hex"}                  packify.pack
    unpack          {hex}                  -> {"value": typed}         packify.unpack
    message_encode  {message_type: int, auth_fields: typed (default {}),
                     uri_hex (default ""), content_hex (default "")}
                                           -> {"hex"}
        Built from Header/AuthFields/Body/Message directly (no Body.prepare
        size limit).  A type value not in MessageType is wrapped in an ad-hoc
        IntEnum so any 0..255 value encodes (> 255 fails in struct.pack, as
        in the reference).
    message_decode  {hex, custom_types?: {NAME: value}}
                                           -> {"message_type", "auth_fields": typed,
                                               "uri_hex", "content_hex",
                                               "header": {"message_type",
                                                 "auth_length", "body_length",
                                                 "checksum"}}
        Message.decode; custom_types (values 31..255) builds the enum with
        make_message_type_class, as a receiver configured with it would.
    tcp_read        {hex, custom_types?}   -> [entry, ...]
        The bytes are fed (then EOF) to a TCPClient's StreamReader and
        receive_once(use_auth=False, use_cipher=False) is called until the
        stream is exhausted.  entry = {"message_type","auth_fields","uri_hex",
        "content_hex"} for a good frame, null for a CRC failure (the frame is
        consumed), {"error": "Type: msg"} for the first decode error / short
        read, after which reading stops.  Same shape as the tcp.stream_read
        vectors' "expected".
    udp_parse       {hex, custom_types?}   -> {"message_type","auth_fields",
                                               "uri_hex","content_hex"} | null
        UDPNode.datagram_received on an unstarted node; null = CRC failure
        (the node would answer ERROR "invalid message"); a decode exception
        is returned as ok:false.  Same shape as udp.datagram_parse "expected".
    body_prepare_ok {content_len, uri_len, overhead?: 0}  -> bool
        Whether Body.prepare accepts content/uri of those lengths.
    hmac_make, hmac_check, stream_encrypt, stream_decrypt, x25519_keys,
    x25519_encrypt, x25519_decrypt, two_layer_send, two_layer_receive
        Plugin ops; arguments and results in the "plugin ops" section below.
"""
from __future__ import annotations

import asyncio
import json
import logging
import struct
import sys
import warnings
from decimal import Decimal

# Responses go to the real stdout only; anything the library prints goes to stderr.
_OUT = sys.stdout
sys.stdout = sys.stderr

try:
    import packify
    import netaio
    from netaio import (
        AuthFields, Body, Header, Message, MessageType, TCPClient, UDPNode,
        make_message_type_class,
    )
except ImportError as _exc:  # pragma: no cover - wrong interpreter
    sys.exit(f'oracle: {_exc}; run scripts/setup, then use .venv/bin/python')

logging.disable(logging.CRITICAL)
for _name in ('default_server_logger', 'default_client_logger', 'default_node_logger'):
    _lg = getattr(netaio, _name, None)
    if _lg is not None:
        _lg.setLevel(logging.CRITICAL + 1)
        _lg.disabled = True
warnings.simplefilter('ignore')
if hasattr(sys, 'set_int_max_str_digits'):
    sys.set_int_max_str_digits(0)  # BIG_INT values may have many digits


# ---------------------------------------------------------------------------
# typed JSON <-> Python values
# ---------------------------------------------------------------------------

def tv(v):
    """Typed JSON representation of a packify value (gen-vectors.py uses it too)."""
    t = type(v)
    if v is None:
        return {'type': 'none'}
    if t is bool:
        return {'type': 'bool', 'value': v}
    if t is int:
        return {'type': 'int', 'value': str(v)}
    if t is float:
        return {'type': 'float', 'bits_hex': struct.pack('!d', v).hex(),
                'repr': repr(v)}
    if t is str:
        return {'type': 'str', 'value': v, 'utf8_hex': v.encode().hex()}
    if t is bytes:
        return {'type': 'bytes', 'hex': v.hex()}
    if t is bytearray:
        return {'type': 'bytearray', 'hex': bytes(v).hex()}
    if t is Decimal:
        return {'type': 'decimal', 'value': str(v)}
    if t is list:
        return {'type': 'list', 'items': [tv(i) for i in v]}
    if t is tuple:
        return {'type': 'tuple', 'items': [tv(i) for i in v]}
    if t is set:
        items = sorted(v, key=packify.pack)
        return {'type': 'set', 'items': [tv(i) for i in items]}
    if t is dict:
        return {'type': 'dict',
                'entries': [[tv(k), tv(val)] for k, val in v.items()]}
    raise TypeError(f'no typed JSON form for {t.__name__}')


def _field(obj: dict, key: str, kind):
    if key not in obj:
        raise KeyError(f'typed value of type {obj.get("type")!r} needs {key!r}')
    val = obj[key]
    if not isinstance(val, kind) or isinstance(val, bool) and kind is not bool:
        raise TypeError(f'{key!r} must be {getattr(kind, "__name__", kind)}, '
                        f'got {type(val).__name__}')
    return val


def from_tv(obj):
    """Inverse of tv(): typed JSON -> Python value."""
    if not isinstance(obj, dict):
        raise TypeError(f'typed value must be an object, got {type(obj).__name__}')
    t = obj.get('type')
    if t == 'none':
        return None
    if t == 'bool':
        return _field(obj, 'value', bool)
    if t == 'int':
        v = obj.get('value')
        if isinstance(v, int) and not isinstance(v, bool):
            return v
        return int(_field(obj, 'value', str), 10)
    if t == 'float':
        if 'bits_hex' in obj:
            raw = bytes.fromhex(_field(obj, 'bits_hex', str))
            if len(raw) != 8:
                raise ValueError('bits_hex must be 8 bytes')
            return struct.unpack('!d', raw)[0]
        return float(_field(obj, 'repr', str))
    if t == 'str':
        if 'utf8_hex' in obj:
            return bytes.fromhex(_field(obj, 'utf8_hex', str)).decode('utf-8')
        return _field(obj, 'value', str)
    if t == 'bytes':
        return bytes.fromhex(_field(obj, 'hex', str))
    if t == 'bytearray':
        return bytearray.fromhex(_field(obj, 'hex', str))
    if t == 'decimal':
        return Decimal(_field(obj, 'value', str))
    if t in ('list', 'tuple', 'set'):
        items = [from_tv(i) for i in _field(obj, 'items', list)]
        return {'list': list, 'tuple': tuple, 'set': set}[t](items)
    if t == 'dict':
        out = {}
        for e in _field(obj, 'entries', list):
            if not isinstance(e, list) or len(e) != 2:
                raise TypeError('dict entries must be [key, value] pairs')
            out[from_tv(e[0])] = from_tv(e[1])
        return out
    raise ValueError(f'unknown typed value type {t!r}')


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def _hex(req: dict, key: str, default: str | None = None) -> bytes:
    if key not in req:
        if default is None:
            raise KeyError(f'missing argument {key!r}')
        return bytes.fromhex(default)
    v = req[key]
    if not isinstance(v, str):
        raise TypeError(f'{key!r} must be a hex string')
    return bytes.fromhex(v)


def _int(req: dict, key: str, default: int | None = None) -> int:
    if key not in req:
        if default is None:
            raise KeyError(f'missing argument {key!r}')
        return default
    v = req[key]
    if not isinstance(v, int) or isinstance(v, bool):
        raise TypeError(f'{key!r} must be an integer')
    return v


_TYPE_CLASSES: dict = {}


def _type_class(req: dict):
    custom = req.get('custom_types')
    if not custom:
        return MessageType
    if not isinstance(custom, dict):
        raise TypeError("'custom_types' must be an object {NAME: value}")
    key = tuple(sorted(custom.items()))
    if key not in _TYPE_CLASSES:
        _TYPE_CLASSES[key] = make_message_type_class('OracleTypes', dict(custom))
    return _TYPE_CLASSES[key]


def msg_fields(m) -> dict:
    return {
        'message_type': int(m.header.message_type),
        'auth_fields': tv(m.auth_data.fields),
        'uri_hex': m.body.uri.hex(),
        'content_hex': m.body.content.hex(),
    }


def err_text(e: BaseException) -> str:
    t = type(e)
    name = t.__name__ if t.__module__ == 'builtins' else f'{t.__module__}.{t.__qualname__}'
    return f'{name}: {e}'


class _Len:
    """Stand-in sequence of a given length (Body.prepare only uses len())."""
    def __init__(self, n: int):
        self.n = n

    def __len__(self):
        return self.n


# ---------------------------------------------------------------------------
# ops
# ---------------------------------------------------------------------------

def op_ping(req):
    return 'pong'


def op_version(req):
    return {'netaio': netaio.version(), 'packify': packify.version(),
            'python': sys.version.split()[0]}


def op_pack(req):
    if 'value' not in req:
        raise KeyError("missing argument 'value'")
    return {'hex': packify.pack(from_tv(req['value'])).hex()}


def op_unpack(req):
    return {'value': tv(packify.unpack(_hex(req, 'hex')))}


def op_message_encode(req):
    t = _int(req, 'message_type')
    try:
        mtype = MessageType(t)
    except ValueError:
        # any other value: an ad-hoc enum member, so Header.encode packs it
        from enum import IntEnum
        mtype = IntEnum('OracleRawType', {f'T{t}' if t >= 0 else 'NEG': t})(t)
    fields = from_tv(req['auth_fields']) if 'auth_fields' in req else {}
    uri = _hex(req, 'uri_hex', '')
    content = _hex(req, 'content_hex', '')
    m = Message(
        header=Header(message_type=mtype, auth_length=0, body_length=0, checksum=0),
        auth_data=AuthFields(fields),
        body=Body(uri_length=len(uri), uri=uri, content=content),
    )
    return {'hex': m.encode().hex()}


def op_message_decode(req):
    m = Message.decode(_hex(req, 'hex'), _type_class(req))
    out = msg_fields(m)
    out['header'] = {
        'message_type': int(m.header.message_type),
        'auth_length': m.header.auth_length,
        'body_length': m.header.body_length,
        'checksum': m.header.checksum,
    }
    return out


def op_tcp_read(req):
    data = _hex(req, 'hex')
    mtc = _type_class(req)

    async def run():
        c = TCPClient('127.0.0.1', 1, message_type_class=mtc)
        r = asyncio.StreamReader()
        r.feed_data(data)
        r.feed_eof()
        c.hosts[('127.0.0.1', 1)] = (r, None)
        results = []
        while not r.at_eof():
            try:
                m = await c.receive_once(use_auth=False, use_cipher=False)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as e:
                results.append({'error': err_text(e)})
                break
            results.append(None if m is None else msg_fields(m))
        return results

    return asyncio.run(run())


def op_udp_parse(req):
    data = _hex(req, 'hex')
    got = []
    n = UDPNode(ignore_own_ip=False, message_type_class=_type_class(req),
                default_handler=lambda m, a: got.append(m))
    n.send = lambda *a, **k: None  # unstarted node: replies (CRC error) are dropped
    n.datagram_received(data, ('192.0.2.9', 8888))
    return msg_fields(got[0]) if got else None


def op_body_prepare_ok(req):
    clen = _int(req, 'content_len')
    ulen = _int(req, 'uri_len')
    overhead = _int(req, 'overhead', 0)
    try:
        Body.prepare(_Len(clen), _Len(ulen), overhead)
    except ValueError as e:
        if 'too long' not in str(e):
            raise
        return False
    return True


OPS = {
    'ping': op_ping,
    'version': op_version,
    'pack': op_pack,
    'unpack': op_unpack,
    'message_encode': op_message_encode,
    'message_decode': op_message_decode,
    'tcp_read': op_tcp_read,
    'udp_parse': op_udp_parse,
    'body_prepare_ok': op_body_prepare_ok,
}


# ---------------------------------------------------------------------------
# plugin ops (used by Tests/NetaioPluginsTests)
# ---------------------------------------------------------------------------
#
# Plugin configs (objects):
#   hmac   {secret (utf-8 str) | secret_hex, hmac_field?, nonce_field?, ts_field?}
#   stream {key (utf-8 str) | key_hex, iv_field?, encrypt_uri? (default true)}
#   x25519 {seed_hex, peer_data_hex (the remote peer's data), encrypt_uri? (false)}
# Randomness/time overrides (all optional; without them the library's own
# randomness and clock are used):  nonce_hex (HMAC nonce), time (HMAC clock),
# iv_hex (stream iv), split (encrypt_uri split point, randint), box_nonce_hex.
# Frames are hex (`hex`), decoded with Message.decode; results are re-encoded.
#
#   hmac_make       {hmac cfg, hex, nonce_hex?, time?}        -> {"hex"}
#   hmac_check      {hmac cfg, hex}                           -> bool
#   stream_encrypt  {stream cfg, hex, iv_hex?, split?}        -> {"hex"}
#   stream_decrypt  {stream cfg, hex}                         -> {"hex"}
#   x25519_keys     {seed_hex}                                -> {"vkey_hex","pubkey_hex"}
#   x25519_encrypt  {x25519 cfg, hex, box_nonce_hex?, split?} -> {"hex"}
#   x25519_decrypt  {x25519 cfg, hex}                         -> {"hex"}
#   two_layer_send  {hex, inner_cipher?, inner_auth?, outer_cipher?, outer_auth?}
#                                                             -> {"hex"}
#       Layers are {"kind": "hmac"|"stream", ...cfg, ...overrides}; applied by
#       the real UDPNode.prepare_message (inner cipher, inner auth, outer
#       cipher, outer auth).  A plugin error there drops the message: error.
#   two_layer_receive {hex, same layers}
#       -> {"outer_auth": bool|null, "inner_auth": bool|null, "hex": str|null}
#       The receive order of docs/PROTOCOL.md §6.1: outer check, outer decrypt,
#       inner check, inner decrypt; null auth = no such layer; hex null when
#       a check failed (decrypt errors are returned as ok:false).

import contextlib
import netaio.auth as _n_auth
import netaio.cipher as _n_cipher
import netaio.crypto as _n_crypto
from netaio import HMACAuthPlugin, Sha256StreamCipherPlugin, DefaultPeerPlugin, Peer


@contextlib.contextmanager
def _patched(obj, attr, value):
    old = getattr(obj, attr)
    setattr(obj, attr, value)
    try:
        yield
    finally:
        setattr(obj, attr, old)


def _fixed_bytes(data: bytes):
    def _urandom(n):
        if n != len(data):
            raise ValueError(f'oracle: fixed random bytes are {len(data)} long, {n} requested')
        return data
    return _urandom


def _fixed_randint(value: int):
    def _randint(a, b):
        if not a <= value <= b:
            raise ValueError(f'oracle: split {value} outside randint range [{a}, {b}]')
        return value
    return _randint


def _secret(cfg: dict, name: str):
    if f'{name}_hex' in cfg:
        return _hex(cfg, f'{name}_hex')
    v = cfg.get(name)
    if not isinstance(v, str):
        raise KeyError(f'missing argument {name!r} (utf-8 str) or {name + "_hex"!r}')
    return v


def _hmac_plugin(cfg: dict):
    conf = {'secret': _secret(cfg, 'secret')}
    for k in ('hmac_field', 'nonce_field', 'ts_field'):
        if k in cfg:
            conf[k] = cfg[k]
    return HMACAuthPlugin(conf)


def _stream_plugin(cfg: dict):
    conf = {'key': _secret(cfg, 'key')}
    if 'iv_field' in cfg:
        conf['iv_field'] = cfg['iv_field']
    if 'encrypt_uri' in cfg:
        conf['encrypt_uri'] = bool(cfg['encrypt_uri'])
    return Sha256StreamCipherPlugin(conf)


def _x25519(cfg: dict):
    from netaio.asymmetric import X25519CipherPlugin
    plugin = X25519CipherPlugin({'seed': _hex(cfg, 'seed_hex'),
                                 'encrypt_uri': bool(cfg.get('encrypt_uri', False))})
    peer = Peer(addrs=set(), id=b'oracle-peer', data=_hex(cfg, 'peer_data_hex'))
    return plugin, peer


def _overrides(cfg: dict) -> contextlib.ExitStack:
    """Patches the randomness/clock sources named in cfg for one plugin call."""
    stack = contextlib.ExitStack()
    if 'nonce_hex' in cfg:
        stack.enter_context(_patched(_n_auth, 'urandom', _fixed_bytes(_hex(cfg, 'nonce_hex'))))
    if 'time' in cfg:
        t = cfg['time']
        if not isinstance(t, (int, float)) or isinstance(t, bool):
            raise TypeError("'time' must be a number")
        stack.enter_context(_patched(_n_auth, 'time', lambda: t))
    if 'iv_hex' in cfg:
        stack.enter_context(_patched(_n_crypto, 'urandom', _fixed_bytes(_hex(cfg, 'iv_hex'))))
    if 'split' in cfg:
        split = _int(cfg, 'split')
        stack.enter_context(_patched(_n_cipher, 'randint', _fixed_randint(split)))
        import netaio.asymmetric as _n_asym
        stack.enter_context(_patched(_n_asym, 'randint', _fixed_randint(split)))
    if 'box_nonce_hex' in cfg:
        import nacl.public as _nacl_public
        stack.enter_context(_patched(_nacl_public, 'random', _fixed_bytes(_hex(cfg, 'box_nonce_hex'))))
    return stack


def _frame(req: dict):
    return Message.decode(_hex(req, 'hex'))


def op_hmac_make(req):
    plugin, m = _hmac_plugin(req), _frame(req)
    with _overrides(req):
        plugin.make(m.auth_data, m.body)
    return {'hex': m.encode().hex()}


def op_hmac_check(req):
    m = _frame(req)
    return bool(_hmac_plugin(req).check(m.auth_data, m.body))


def op_stream_encrypt(req):
    plugin, m = _stream_plugin(req), _frame(req)
    with _overrides(req):
        out = plugin.encrypt(m)
    return {'hex': out.encode().hex()}


def op_stream_decrypt(req):
    return {'hex': _stream_plugin(req).decrypt(_frame(req)).encode().hex()}


def op_x25519_keys(req):
    from netaio.asymmetric import X25519CipherPlugin
    p = X25519CipherPlugin({'seed': _hex(req, 'seed_hex')})
    return {'vkey_hex': bytes(p.vkey).hex(), 'pubkey_hex': bytes(p.pubk).hex()}


def op_x25519_encrypt(req):
    (plugin, peer), m = _x25519(req), _frame(req)
    with _overrides(req):
        out = plugin.encrypt(m, None, peer, DefaultPeerPlugin())
    return {'hex': out.encode().hex()}


def op_x25519_decrypt(req):
    plugin, peer = _x25519(req)
    return {'hex': plugin.decrypt(_frame(req), None, peer, DefaultPeerPlugin()).encode().hex()}


_LAYER_NAMES = ('inner_cipher', 'inner_auth', 'outer_cipher', 'outer_auth')


def _layer(req: dict, name: str):
    cfg = req.get(name)
    if cfg is None:
        return None, {}
    if not isinstance(cfg, dict):
        raise TypeError(f'{name!r} must be an object')
    kind = cfg.get('kind')
    if kind == 'hmac':
        return _hmac_plugin(cfg), cfg
    if kind == 'stream':
        return _stream_plugin(cfg), cfg
    raise ValueError(f'{name}: unknown kind {kind!r} (hmac or stream)')


class _LayerRandomness:
    """Hands each layer's overrides to the plugin call that belongs to it while
    UDPNode.prepare_message runs all four calls itself."""
    def __init__(self, plugin, cfg):
        self.plugin, self.cfg = plugin, cfg

    def __getattr__(self, name):
        attr = getattr(self.plugin, name)
        if name not in ('make', 'encrypt'):
            return attr
        def call(*args, **kwargs):
            with _overrides(self.cfg):
                return attr(*args, **kwargs)
        return call


def op_two_layer_send(req):
    layers = {n: _layer(req, n) for n in _LAYER_NAMES}
    wrap = {n: (_LayerRandomness(p, c) if p is not None else None) for n, (p, c) in layers.items()}
    node = UDPNode(ignore_own_ip=False, auth_plugin=wrap['outer_auth'],
                   cipher_plugin=wrap['outer_cipher'])
    out = node.prepare_message(_frame(req), auth_plugin=wrap['inner_auth'],
                               cipher_plugin=wrap['inner_cipher'])
    if out is None:
        raise ValueError('prepare_message dropped the message (a plugin raised)')
    return {'hex': out.encode().hex()}


def op_two_layer_receive(req):
    layers = {n: _layer(req, n)[0] for n in _LAYER_NAMES}
    m = _frame(req)
    result = {'outer_auth': None, 'inner_auth': None, 'hex': None}
    for auth_name, cipher_name, key in (('outer_auth', 'outer_cipher', 'outer_auth'),
                                        ('inner_auth', 'inner_cipher', 'inner_auth')):
        auth, cipher = layers[auth_name], layers[cipher_name]
        if auth is not None:
            result[key] = bool(auth.check(m.auth_data, m.body))
            if not result[key]:
                return result
        if cipher is not None:
            m = cipher.decrypt(m)
    result['hex'] = m.encode().hex()
    return result


OPS.update({
    'hmac_make': op_hmac_make,
    'hmac_check': op_hmac_check,
    'stream_encrypt': op_stream_encrypt,
    'stream_decrypt': op_stream_decrypt,
    'x25519_keys': op_x25519_keys,
    'x25519_encrypt': op_x25519_encrypt,
    'x25519_decrypt': op_x25519_decrypt,
    'two_layer_send': op_two_layer_send,
    'two_layer_receive': op_two_layer_receive,
})


# ---------------------------------------------------------------------------
# tapescript: netaio.asymmetric's TapescriptAuthPlugin and the tapescript VM
# ---------------------------------------------------------------------------

def _tapescript_plugin(req: dict):
    """kind 'single_sig' (default; netaio's README set-up) or 'taproot_keyspend'
    (committed_script_hex); lock_hex overrides the lock; use_peer_lock as netaio."""
    import tapescript
    from nacl.signing import SigningKey
    from netaio.asymmetric import TapescriptAuthPlugin
    seed = _hex(req, 'seed_hex')
    vkey = SigningKey(seed).verify_key
    cfg = {'seed': seed, 'use_peer_lock': bool(req.get('use_peer_lock', False))}
    if req.get('kind', 'single_sig') == 'taproot_keyspend':
        inner = tapescript.Script.from_bytes(_hex(req, 'committed_script_hex'))
        cfg['lock'] = tapescript.make_taproot_lock(vkey, script=inner)
        cfg['witness_func'] = lambda s, f: tapescript.make_taproot_witness_keyspend(
            s, f, committed_script=inner)
    else:
        cfg['lock'] = tapescript.make_single_sig_lock(vkey)
    if 'lock_hex' in req:
        cfg['lock'] = _hex(req, 'lock_hex')
    return TapescriptAuthPlugin(cfg)


def op_tapescript_make(req):
    import netaio.asymmetric as _n_asym
    plugin, m = _tapescript_plugin(req), _frame(req)
    with contextlib.ExitStack() as stack:
        if 'nonce_hex' in req:
            stack.enter_context(_patched(_n_asym, 'urandom', _fixed_bytes(_hex(req, 'nonce_hex'))))
        if 'time' in req:
            t = _int(req, 'time')
            stack.enter_context(_patched(_n_asym, 'time', lambda: t))
        plugin.make(m.auth_data, m.body)
    return {'hex': m.encode().hex()}


def op_tapescript_check(req):
    plugin, m = _tapescript_plugin(req), _frame(req)
    peer = None
    if 'peer_data_hex' in req:
        peer = Peer(set(), b'P', _hex(req, 'peer_data_hex'))
    return bool(plugin.check(m.auth_data, m.body, None, peer, DefaultPeerPlugin() if peer else None))


def op_tapescript_run(req):
    """Run scripts with tapescript's own run_tape (state kept on error), the clock at
    'now'; the same runner as the golden vectors (tapescript_vectors.run_capture)."""
    import tapescript
    import tapescript.functions as TF
    import tapescript_vectors as TV
    scripts = [bytes.fromhex(h) for h in req['scripts_hex']]
    sigfields = {k: bytes.fromhex(v) for k, v in req.get('sigfields', {}).items()}
    now = _int(req, 'now')
    old_time, old_now = TF.time, TV.NOW
    TF.time, TV.NOW = (lambda: now), now
    try:
        stack, _cache, err = TV.run_capture(scripts, sigfields)
        auth = tapescript.run_auth_scripts(scripts, sigfields)
    finally:
        TF.time, TV.NOW = old_time, old_now
    return {'stack_hex': [x.hex() for x in stack], 'auth': auth,
            'error': None if err is None else {'class': type(err).__name__, 'message': str(err)}}


OPS.update({
    'tapescript_make': op_tapescript_make,
    'tapescript_check': op_tapescript_check,
    'tapescript_run': op_tapescript_run,
})


# main loop
# ---------------------------------------------------------------------------

def _no_constants(name):
    raise ValueError(f'non-standard JSON constant {name}')


def handle(line: bytes) -> dict:
    rid = None
    try:
        req = json.loads(line.decode('utf-8'), parse_constant=_no_constants)
        if not isinstance(req, dict):
            raise TypeError(f'request must be a JSON object, got {type(req).__name__}')
        rid = req.get('id')
        op = req.get('op')
        fn = OPS.get(op) if isinstance(op, str) else None
        if fn is None:
            raise ValueError(f'unknown op {op!r}')
        result = fn(req)
        return {'id': rid, 'ok': True, 'result': result}
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:
        try:
            return {'id': rid, 'ok': False, 'error': err_text(e)}
        except BaseException:  # pragma: no cover - str(e) itself failed
            return {'id': rid, 'ok': False, 'error': type(e).__name__}


def write(resp: dict) -> None:
    try:
        text = json.dumps(resp, allow_nan=False)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # e.g. a non-serialisable id
        text = json.dumps({'id': None, 'ok': False,
                           'error': f'cannot serialise response: {err_text(e)}'})
    _OUT.write(text + '\n')
    _OUT.flush()


def main() -> None:
    stdin = sys.stdin.buffer
    while True:
        line = stdin.readline()
        if not line:
            break
        if not line.strip():
            continue
        write(handle(line))


if __name__ == '__main__':
    try:
        main()
    except (KeyboardInterrupt, BrokenPipeError):
        pass
