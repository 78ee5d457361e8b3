#!/usr/bin/env python3
# README: regenerate the committed vectors with
#     scripts/setup && .venv/bin/python scripts/gen-vectors.py
# (writes Fixtures/vectors/vectors.json and tapescript.json; `--check` only compares, exit 1 on drift;
#  a path argument writes elsewhere, `-` writes to stdout).
"""Generate byte-level test vectors for the netaio 0.0.9 wire protocol.

Usage (from the repo root, inside the venv made by scripts/setup):
    .venv/bin/python scripts/gen-vectors.py [--check] [OUTPUT_PATH | -]

Writes a JSON list of vectors to OUTPUT_PATH (default:
Fixtures/vectors/vectors.json in this repo; `-` means stdout).  With
--check nothing is written: the generated text is compared with the
existing file and the exit status is 1 when they differ.

Every vector is produced by calling the real netaio / packify / PyNaCl /
tapescript code; all randomness (nonces, IVs, the random URI split) and
the clock are replaced by fixed values through monkeypatching, so the
output is deterministic.  The format is described in docs/PROTOCOL.md §12;
the committed vectors are exactly this script's output, so they can be
reproduced from this repository alone.

Requirements: scripts/python/requirements.txt (netaio==0.0.9,
packify==0.4.0, pynacl==1.6.2, tapescript==0.7.3).

The X25519 and tapescript vectors are skipped (with a note on stderr)
when PyNaCl or tapescript cannot be imported.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import struct
import sys
import zlib
from decimal import Decimal

try:
    import packify
    import netaio
except ImportError as _exc:  # pragma: no cover - wrong interpreter
    sys.exit(f'gen-vectors: {_exc}; run scripts/setup, then use .venv/bin/python')
from netaio import (
    AuthFields, Body, DefaultPeerPlugin, Header, HMACAuthPlugin, Message,
    MessageType, Peer, Sha256StreamCipherPlugin, UDPNode,
    make_error_msg, make_not_found_msg, make_not_permitted_msg, make_ok_msg,
    make_respond_uri_msg, make_message_type_class,
)
from netaio import auth as n_auth
from netaio import cipher as n_cipher
from netaio import crypto as n_crypto

try:
    import nacl.public as nacl_public
    from nacl.signing import SigningKey
    import tapescript
    from netaio import asymmetric as n_asym
    HAVE_ASYM = True
except Exception as exc:  # pragma: no cover - optional part
    print(f'note: asymmetric vectors skipped ({exc!r})', file=sys.stderr)
    HAVE_ASYM = False

for _lg in (netaio.default_server_logger, netaio.default_client_logger,
            netaio.default_node_logger):
    _lg.setLevel(logging.CRITICAL)

VECTORS: list[dict] = []


def add(name: str, kind: str, **fields) -> None:
    VECTORS.append({'name': name, 'kind': kind, **fields})


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

# The typed JSON form of values and messages is the oracle's (one definition for the
# vectors and the live cross-checks).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'python'))
from oracle import tv, msg_fields  # noqa: E402


@contextlib.contextmanager
def patched(obj, attr, value):
    old = getattr(obj, attr)
    setattr(obj, attr, value)
    try:
        yield
    finally:
        setattr(obj, attr, old)


class Queue:
    """Callable returning pre-set byte strings in order (urandom stand-in)."""
    def __init__(self, *items: bytes):
        self.items = list(items)
        self.used: list[bytes] = []

    def __call__(self, n: int) -> bytes:
        item = self.items.pop(0)
        assert len(item) == n, (len(item), n)
        self.used.append(item)
        return item


def fixed_randint(value: int):
    calls = []

    def _randint(a, b):
        assert a <= value <= b, (a, value, b)
        calls.append((a, b))
        return value
    _randint.calls = calls
    return _randint


def node(**kw) -> UDPNode:
    """A UDPNode that is never started: used only for prepare_message."""
    return UDPNode(ignore_own_ip=False, **kw)


def frame(mtype: int, auth: bytes, body: bytes, *, checksum=None,
          auth_length=None, body_length=None) -> bytes:
    return struct.pack(
        '!BHHI', mtype,
        len(auth) if auth_length is None else auth_length,
        len(body) if body_length is None else body_length,
        zlib.crc32(body) if checksum is None else checksum,
    ) + auth + body


def body_bytes(uri: bytes, content: bytes) -> bytes:
    return struct.pack('!H', len(uri)) + uri + content


# ---------------------------------------------------------------------------
# 1. packify
# ---------------------------------------------------------------------------

PACK_CASES = [
    ('none', None),
    ('bool_true', True),
    ('bool_false', False),
    ('int_0', 0),
    ('int_1', 1),
    ('int_255', 255),
    ('int_256', 256),
    ('int_65535', 65535),
    ('int_65536', 65536),
    ('int_2p32_minus1', 2**32 - 1),
    ('int_2p32_cat0', 2**32),
    ('int_2p64_plus1_cat0', 2**64 + 1),
    ('int_neg_1', -1),
    ('int_neg_256', -256),
    ('int_neg_2p32_cat0', -(2**32)),
    ('int_big_2p2048_bigint', 2**2048),
    ('int_big_neg_2p2048_bigneg', -(2**2048)),
    ('float_1_5', 1.5),
    ('float_neg_zero', -0.0),
    ('float_inf', float('inf')),
    ('str_empty', ''),
    ('str_ascii', 'hmac'),
    ('str_utf8_multibyte', 'h\u00e9\u20ac\U0001F600'),
    ('bytes_empty', b''),
    ('bytes_short', b'hi'),
    ('bytes_255', bytes(range(255))),
    ('bytes_256_cat2', bytes(256)),
    ('bytearray', bytearray(b'\x01\x02')),
    ('decimal', Decimal('1.25')),
    ('decimal_neg_exp', Decimal('-3E-7')),
    ('list_empty', []),
    ('tuple_empty', ()),
    ('set_empty', set()),
    ('dict_empty', {}),
    ('list_ints', [1, 2, 3]),
    ('list_mixed', [None, True, 'a', b'b', 300]),
    ('list_256_nones_count_cat2', [None] * 256),
    ('list_item_len_cat2', [b'x' * 300, 1]),
    ('tuple_peer_id_data', (b'peer-id', b'peer-data')),
    ('tuple_none_none', (None, None)),
    ('set_sorted_by_packed_bytes', {3, 1, 256, 2}),
    ('set_mixed_types', {b'b', 'a', 7}),
    ('dict_sorted_by_packed_pair_not_key', {'aaaa': b'', 'b': b'', 'cc': 1}),
    ('dict_value_length_affects_order', {'a': b'x' * 10, 'b': b'y'}),
    ('dict_hmac_auth_fields', {'nonce': bytes(range(16)),
                               'ts': (1700000000).to_bytes(4, 'big'),
                               'hmac': bytes(range(32))}),
    ('dict_stream_cipher_and_hmac_fields', {'iv': bytes(range(16, 32)),
                                            'nonce': bytes(range(16)),
                                            'ts': b'\x00\x00\x00\x01',
                                            'hmac': b'\x22' * 32}),
    ('dict_peer_data', {'pubkey': bytes(range(32)), 'vkey': bytes(range(32, 64)),
                        'name': 'alice'}),
    ('dict_int_keys', {2: 'two', 1: 'one'}),
    ('nested', {'k': [1, {'z': (None, b'\x00')}], 'e': set()}),
    ('dict_large_item_cat2', {'blob': b'\xab' * 300, 'x': 1}),
]


def gen_packify():
    for name, value in PACK_CASES:
        try:
            packed = packify.pack(value)
        except Exception as e:  # e.g. packify 0.3.1 and ints >= 2**32
            print(f'note: packify {packify.version()} cannot pack {name}: '
                  f'{type(e).__name__}: {e}', file=sys.stderr)
            continue
        back = packify.unpack(packed)
        assert back == value or (value != value), (name, back, value)
        add(f'packify/{name}', 'packify.pack', input=tv(value),
            expected_hex=packed.hex())

    # a large value, given by spec rather than literally
    big = bytes(65536)
    packed = packify.pack(big)
    add('packify/bytes_65536_cat3', 'packify.pack_large',
        input_spec={'type': 'bytes', 'fill_byte_hex': '00', 'length': 65536},
        expected_length=len(packed), expected_prefix_hex=packed[:8].hex(),
        expected_sha256=hashlib.sha256(packed).hexdigest())

    # inputs the decoder accepts although they are not canonical encodings
    lenient = [
        ('bool_nonzero_byte_is_true', '0602', 'struct "?" maps any non-zero byte to True'),
        ('bool_with_cat1_bits', '4601', 'length-category bits are ignored for BOOL'),
        ('none_with_cat3_bits', 'c0', 'length-category bits are ignored for NONE'),
        ('float_with_cat2_bits', '873ff8000000000000', 'category bits ignored for FLOAT'),
        ('int_cat0_small_value', '040105', 'CAT0 (size-prefixed) form of a small int'),
        ('int_cat3_small_value', 'c400000005', 'small int in a wider-than-needed category'),
        ('neg_zero', '4500', 'NEG_INT with magnitude 0 decodes to 0'),
        ('trailing_bytes_top_level', '4401deadbeef', 'bytes after the value are ignored'),
        ('trailing_bytes_inside_item_slot', '4c4002030244010f4402',
         'item slot longer than the item encoding; extra byte ignored'),
        ('dict_unsorted_items',
         '4d4002' + '0a0a' + packify.pack(('b', 1)).hex() + packify.pack(('a', 2)).hex(),
         'dict entries in non-sorted order are accepted (order not checked)'),
        ('dict_duplicate_keys_last_wins',
         '4d4002' + '0a0a' + packify.pack(('a', 1)).hex() + packify.pack(('a', 2)).hex(),
         'duplicate keys: the later entry wins'),
        ('bytearray_code', '42026869', 'BYTEARRAY decodes to a byte array'),
    ]
    for name, hx, note in lenient:
        data = bytes.fromhex(hx)
        try:
            value = packify.unpack(data)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as e:  # packify 0.3.1 UsageError is a BaseException
            print(f'note: packify {packify.version()} rejects lenient/{name}: '
                  f'{type(e).__name__}: {e}', file=sys.stderr)
            continue
        add(f'packify/lenient/{name}', 'packify.unpack_lenient', input_hex=hx,
            expected=tv(value), note=note)

    rejects = [
        ('empty_input', '', 'no type code'),
        ('unknown_type_9', '09', 'type code 9 is unassigned'),
        ('unknown_type_16', '50', 'type 16 (0x10) is unassigned'),
        ('unknown_type_63', 'ff', 'type 63 is unassigned'),
        ('bytes_with_cat0', '0100', 'CAT0 is only valid for INT/NEG_INT/BIG_INT/BIG_NEG/BOOL/FLOAT/NONE'),
        ('list_with_cat0', '0a4000', 'CAT0 not valid for containers'),
        ('bytes_missing_length', '81', 'CAT2 bytes needs a 2-byte length'),
        ('bytes_truncated_value', '4105616263', 'declared 5 bytes, 3 present'),
        ('str_truncated_value', '430361', 'declared 3 bytes, 1 present'),
        ('str_invalid_utf8', '4301ff', 'str payload must be valid UTF-8'),
        ('int_cat2_truncated', '8401', 'CAT2 int needs 2 bytes'),
        ('int_cat0_truncated', '04050102', 'CAT0 int declares 5 bytes'),
        ('int_cat0_missing_size', '04', 'CAT0 int needs a size byte'),
        ('bigint_truncated', '0e0000010001', 'BIG_INT declares 256 bytes'),
        ('float_truncated', '073ff0', 'float needs 8 bytes'),
        ('bool_missing_value', '06', 'bool needs 1 value byte'),
        ('decimal_invalid', '4803616263', 'decimal text must parse'),
        ('container_missing_header', '4a', 'container needs item-category byte and count'),
        ('container_bad_item_category', '4a000100', 'item length category must be 0x40/0x80/0xC0'),
        ('container_length_table_truncated', '4a4005', 'count 5 needs 5 table bytes'),
        ('container_items_truncated', '4a400105', 'item slot of 5 bytes, none present'),
        ('container_item_corrupt', '4a40010109', 'item with unknown type code'),
        ('dict_item_not_pair', '4d40010100', 'dict items must be 2-tuples'),
        ('dict_item_is_3_tuple', '4d4001' + '09' + '4c4003010101000000', 'dict items must be 2-tuples'),
        ('dict_unhashable_key', '4d4001' + '09' + '4c400203014a400000', 'dict key (a list) is not hashable'),
        ('set_unhashable_item', '4b4001034a4000', 'set item (a list) is not hashable'),
        ('packable_unknown_class', '540101' + '58' + '00', 'Packable class not injectable (netaio injects none)'),
        ('packable_truncated', '5405015859', 'Packable name/data shorter than declared'),
    ]
    for name, hx, reason in rejects:
        data = bytes.fromhex(hx)
        try:
            value = packify.unpack(data)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as e:  # expected; 0.3.1 UsageError is a BaseException
            err = f'{type(e).__name__}: {e}'
            ok = True
        else:
            err = f'ACCEPTED as {value!r}'
            ok = False
        add(f'packify/reject/{name}', 'packify.unpack_reject', input_hex=hx,
            reason=reason, python_error=err, rejected=ok)


# ---------------------------------------------------------------------------
# 2. frame: header / body / message
# ---------------------------------------------------------------------------

def gen_frame():
    add('enum/message_types', 'enum.message_types',
        values={m.name: m.value for m in MessageType})

    for mt, al, bl, ck in ((10, 3, 12, 0x800F51A6), (0, 0, 0, 0),
                           (255, 65535, 65535, 0xFFFFFFFF)):
        h = struct.pack('!BHHI', mt, al, bl, ck)
        add(f'header/encode_{mt}_{al}_{bl}', 'header.encode',
            input={'message_type': mt, 'auth_length': al, 'body_length': bl,
                   'checksum': ck},
            expected_hex=h.hex())
    # real Header.encode for one of them
    assert Header(MessageType.OK, 3, 12, 0x800F51A6).encode().hex() == \
        struct.pack('!BHHI', 10, 3, 12, 0x800F51A6).hex()

    for uri, content in ((b'', b''), (b'uri', b'content'),
                         (b'netaio', bytes(range(10)))):
        b = Body.prepare(content, uri)
        add(f'body/encode_{uri.decode() or "empty"}', 'body.encode',
            input={'uri_hex': uri.hex(), 'content_hex': content.hex()},
            expected_hex=b.encode().hex(),
            expected_crc32=zlib.crc32(b.encode()))

    cases = [
        ('ok_uri_content', MessageType.OK, {}, b'uri', b'content'),
        ('request_empty', MessageType.REQUEST_URI, {}, b'', b''),
        ('ok_with_auth_test_field', MessageType.OK, {'test': b'test'}, b'uri', b'content'),
        ('publish_caesar', MessageType.PUBLISH_URI, {}, b'123',
         b'hello world, caesar is dead'),
        ('disconnect_type_30', MessageType.DISCONNECT, {}, b'x', b''),
    ]
    for name, mt, fields, uri, content in cases:
        m = Message.prepare(Body.prepare(content, uri), mt, AuthFields(dict(fields)))
        enc = m.encode()
        d = Message.decode(enc)
        assert d.encode() == enc
        add(f'message/{name}', 'message.encode',
            input={'message_type': int(mt), 'auth_fields': tv(fields),
                   'uri_hex': uri.hex(), 'content_hex': content.hex()},
            expected_hex=enc.hex())

    # custom message type class (value 50) encodes like any other byte
    Custom = make_message_type_class('Custom', {'CUSTOM_ACTION': 50})
    h = Header(Custom.CUSTOM_ACTION, 0, 0, 0, message_type_class=Custom)
    m = Message(h, AuthFields(), Body.prepare(b'x', b'c'))
    add('message/custom_type_50', 'message.encode',
        input={'message_type': 50, 'auth_fields': tv({}), 'uri_hex': b'c'.hex(),
               'content_hex': b'x'.hex()},
        expected_hex=m.encode().hex(),
        note='decodable only when the receiver uses a message type class '
             'containing 50; Message.prepare cannot build it (see quirks)')

    # helper-built messages
    helpers = [
        ('make_error_msg_generic', make_error_msg('invalid message')),
        ('make_error_msg_not_found_text', make_error_msg('not found')),
        ('make_error_msg_auth_text', make_error_msg('HMAC auth failed')),
        ('make_error_msg_not_permitted_text', make_error_msg('not permitted')),
        ('make_not_found_msg_default', make_not_found_msg()),
        ('make_not_permitted_msg_default', make_not_permitted_msg()),
        ('make_ok_msg_default', make_ok_msg()),
        ('make_respond_uri_msg', make_respond_uri_msg(b'data', b'/r')),
    ]
    for name, m in helpers:
        add(f'helpers/{name}', 'message.encode', input=msg_fields(m),
            expected_hex=m.encode().hex())

    # Body.prepare length limit
    for clen, ulen, ok in ((65422, 0, True), (65423, 0, False),
                           (65400, 22, True), (65400, 23, False)):
        try:
            Body.prepare(b'a' * clen, b'u' * ulen)
            accepted = True
        except ValueError:
            accepted = False
        assert accepted == ok
        add(f'body/prepare_limit_{clen}_{ulen}', 'body.prepare_limit',
            input={'content_len': clen, 'uri_len': ulen, 'overhead': 0},
            accepted=accepted)

    # decoder: must-reject inputs (Message.decode raises)
    good_body = body_bytes(b'uri', b'content')
    A = packify.pack({})
    rejects = [
        ('empty', b'', 'no header'),
        ('header_truncated', bytes.fromhex('0a000300'), 'header needs 9 bytes'),
        ('header_only', frame(10, A, good_body)[:9], 'auth block missing (auth_length 3, 0 bytes present)'),
        ('unknown_type_14', frame(14, A, good_body), 'message type 14 not in MessageType'),
        ('unknown_type_31', frame(31, A, good_body), 'custom type 31 unknown to default MessageType'),
        ('unknown_type_255', frame(255, A, good_body), 'message type 255 not in MessageType'),
        ('checksum_mismatch', frame(10, A, good_body, checksum=0), 'CRC-32 of body does not match header'),
        ('checksum_off_by_one', frame(10, A, good_body, checksum=zlib.crc32(good_body) ^ 1), 'CRC-32 mismatch'),
        ('trailing_junk_after_body', frame(10, A, good_body) + b'junk',
         'Message.decode takes ALL bytes after auth as body, so CRC fails'),
        ('auth_length_zero', frame(10, b'', good_body), 'empty auth block is not a packify value'),
        ('auth_unknown_code', frame(10, b'\x09', good_body), 'auth block has unknown packify type code'),
        ('auth_truncated_dict', frame(10, bytes.fromhex('4d4001'), good_body), 'auth dict truncated'),
        ('auth_dict_item_not_pair', frame(10, bytes.fromhex('4d40010100'), good_body), 'auth dict item is not a pair'),
        ('auth_key_invalid_utf8', frame(10, bytes.fromhex('4d40010a' + '4c400203024301ff4100'), good_body),
         'auth dict key is invalid UTF-8'),
        ('auth_packable', frame(10, bytes.fromhex('540101' + '58' + '00'), good_body), 'Packable in auth block cannot be resolved'),
        ('auth_length_beyond_data', frame(10, A, good_body, auth_length=200), 'auth_length larger than the frame'),
        ('body_one_byte', frame(10, A, b'\x00'), 'body shorter than the 2-byte uri_length'),
        ('body_empty', frame(10, A, b''), 'body shorter than the 2-byte uri_length'),
        ('uri_length_beyond_body', frame(10, A, struct.pack('!H', 50) + b'abc'), 'uri_length 50 > 3 bytes available'),
    ]
    for name, data, reason in rejects:
        try:
            m = Message.decode(data)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as e:  # packify 0.3.1 UsageError is a BaseException
            err = f'{type(e).__module__}.{type(e).__name__}: {e}'
            ok = True
        else:
            err = f'ACCEPTED {m!r}'
            ok = False
        add(f'message/reject/{name}', 'message.decode_reject', input_hex=data.hex(),
            reason=reason, python_error=err, rejected=ok)

    # decoder: inputs Message.decode accepts although they look wrong
    lenient = [
        ('body_length_field_ignored', frame(10, A, good_body, body_length=1),
         'Message.decode ignores header.body_length (TCP/UDP readers do not!)'),
        ('auth_block_is_none', frame(10, b'\x00', good_body),
         'auth block may be any packify value; fields becomes None'),
        ('auth_block_is_list', frame(10, packify.pack([1]), good_body),
         'auth block may be any packify value; fields becomes a list'),
        ('auth_dict_with_trailing_bytes', frame(10, A + b'\xff\xff', good_body),
         'bytes after the packify value inside the auth block are ignored'),
        ('auth_non_bytes_values', frame(10, packify.pack({'ts': 5, 'n': 'x'}), good_body),
         'auth field values are not type-checked'),
    ]
    for name, data, note in lenient:
        m = Message.decode(data)
        add(f'message/lenient/{name}', 'message.decode_lenient', input_hex=data.hex(),
            expected={'message_type': int(m.header.message_type),
                      'auth_length': m.header.auth_length,
                      'body_length': m.header.body_length,
                      'auth_fields': tv(m.auth_data.fields),
                      'uri_hex': m.body.uri.hex(),
                      'content_hex': m.body.content.hex()},
            note=note)


# ---------------------------------------------------------------------------
# 3. crypto primitives
# ---------------------------------------------------------------------------

def gen_crypto():
    key = hashlib.sha256(b'test').digest()
    iv = bytes(range(16))
    add('crypto/derive_key_3_parts', 'crypto.derive_key',
        input={'parts_hex': [key.hex(), iv.hex(), b'enc'.hex()]},
        expected_hex=n_crypto.derive_key(key, iv, b'enc').hex())
    add('crypto/derive_key_1_part', 'crypto.derive_key',
        input={'parts_hex': [b'abc'.hex()]},
        expected_hex=n_crypto.derive_key(b'abc').hex())
    for length, start in ((40, 0), (20, 35), (10, 64), (0, 0)):
        add(f'crypto/keystream_{length}_{start}', 'crypto.keystream',
            input={'key_hex': key.hex(), 'iv_hex': iv.hex(), 'length': length,
                   'start': start},
            expected_hex=n_crypto.keystream(key, iv, length, start).hex())
    pt = b'brutus is plotting something sus'
    add('crypto/symcrypt', 'crypto.symcrypt',
        input={'key_hex': key.hex(), 'iv_hex': iv.hex(), 'data_hex': pt.hex()},
        expected_hex=n_crypto.symcrypt(key, iv, pt).hex())
    mac = n_crypto.hmac(key, iv, b'message')
    add('crypto/hmac', 'crypto.hmac',
        input={'key_hex': key.hex(), 'iv_hex': iv.hex(), 'message_hex': b'message'.hex()},
        expected_hex=mac.hex())
    add('crypto/hmac_empty_message', 'crypto.hmac',
        input={'key_hex': b''.hex(), 'iv_hex': b''.hex(), 'message_hex': ''},
        expected_hex=n_crypto.hmac(b'', b'', b'').hex())
    for name, m2, expect in (('valid', mac, True),
                             ('bitflip', bytes([mac[0] ^ 1]) + mac[1:], False),
                             ('short', mac[:31], False)):
        got = n_crypto.check_hmac(key, iv, b'message', m2)
        assert got == expect
        add(f'crypto/check_hmac_{name}', 'crypto.check_hmac',
            input={'key_hex': key.hex(), 'iv_hex': iv.hex(),
                   'message_hex': b'message'.hex(), 'mac_hex': m2.hex()},
            expected=got)
    q = Queue(bytes(range(0xA0, 0xB0)))
    with patched(n_crypto, 'urandom', q):
        sealed = n_crypto.seal(key, b'attack at dawn')
    assert n_crypto.unseal(key, sealed) == b'attack at dawn'
    add('crypto/seal', 'crypto.seal',
        input={'key_hex': key.hex(), 'iv_hex': q.used[0].hex(),
               'plaintext_hex': b'attack at dawn'.hex()},
        expected_hex=sealed.hex())


# ---------------------------------------------------------------------------
# 4. plugins
# ---------------------------------------------------------------------------

TS = 1700000000
NONCE = bytes(range(16))


def hmac_make(plugin, m, nonce=NONCE, ts=TS):
    q = Queue(nonce)
    with patched(n_auth, 'urandom', q), patched(n_auth, 'time', lambda: ts + 0.75):
        plugin.make(m.auth_data, m.body)
    return m


def gen_hmac():
    p = HMACAuthPlugin({'secret': 'test'})
    m = Message.prepare(Body.prepare(b'hello world, caesar is dead', b'123'),
                        MessageType.PUBLISH_URI)
    hmac_make(p, m)
    assert p.check(m.auth_data, m.body)
    add('hmac/make_default_fields', 'plugin.hmac.make',
        input={'secret_utf8': 'test', 'nonce_hex': NONCE.hex(), 'time': TS + 0.75,
               'message_type': int(MessageType.PUBLISH_URI), 'uri_hex': b'123'.hex(),
               'content_hex': b'hello world, caesar is dead'.hex(),
               'existing_fields': tv({})},
        derived={'secret_key_hex': p.secret.hex(),
                 'ts_bytes_hex': TS.to_bytes(4, 'big').hex(),
                 'mac_input_hex': (TS.to_bytes(4, 'big') + m.body.encode()).hex()},
        expected_auth_fields=tv(m.auth_data.fields),
        expected_hex=m.encode().hex())

    # existing 16-byte nonce and int ts are reused; custom field names
    p2 = HMACAuthPlugin({'secret': b'adminpassword', 'hmac_field': 'camh'})
    m2 = Message.prepare(Body.prepare(b'data', b'/x'), MessageType.CREATE_URI,
                         AuthFields({'nonce': b'\x55' * 16, 'ts': 42}))
    hmac_make(p2, m2, nonce=b'\x99' * 16)
    assert m2.auth_data.fields['nonce'] == b'\x55' * 16
    add('hmac/make_reuses_existing_nonce_ts_custom_field', 'plugin.hmac.make',
        input={'secret_utf8': 'adminpassword', 'config': {'hmac_field': 'camh'},
               'message_type': int(MessageType.CREATE_URI), 'uri_hex': b'/x'.hex(),
               'content_hex': b'data'.hex(),
               'existing_fields': tv({'nonce': b'\x55' * 16, 'ts': 42})},
        expected_auth_fields=tv(m2.auth_data.fields),
        expected_hex=m2.encode().hex())

    # short existing nonce is replaced, ts bytes re-normalised to 4 bytes
    m3 = Message.prepare(Body.prepare(b'', b''), MessageType.OK,
                         AuthFields({'nonce': b'abc', 'ts': b'\x07'}))
    hmac_make(p, m3, nonce=b'\x11' * 16)
    add('hmac/make_replaces_short_nonce', 'plugin.hmac.make',
        input={'secret_utf8': 'test', 'nonce_hex': (b'\x11' * 16).hex(),
               'message_type': int(MessageType.OK), 'uri_hex': '', 'content_hex': '',
               'existing_fields': tv({'nonce': b'abc', 'ts': b'\x07'})},
        expected_auth_fields=tv(m3.auth_data.fields),
        expected_hex=m3.encode().hex())

    # check() outcomes
    base = Message.decode(m.encode())
    def chk(name, fields_mut, expect, note):
        mm = Message.decode(m.encode())
        fields_mut(mm)
        got = p.check(mm.auth_data, mm.body)
        assert got == expect, name
        add(f'hmac/check_{name}', 'plugin.hmac.check',
            input={'secret_utf8': 'test', 'message_hex': mm.encode().hex()},
            expected=got, note=note)
    chk('valid', lambda mm: None, True, 'untouched message')
    chk('tampered_content', lambda mm: setattr(mm.body, 'content', b'hello world, caesar is alive'),
        False, 'content changed after MAC')
    chk('missing_ts', lambda mm: mm.auth_data.fields.pop('ts'), False, 'ts field absent')
    chk('ts_int_zero', lambda mm: mm.auth_data.fields.__setitem__('ts', 0), False,
        'ts given as packify int 0 counts as missing')
    chk('missing_nonce', lambda mm: mm.auth_data.fields.pop('nonce'), False, 'nonce absent')
    chk('missing_hmac', lambda mm: mm.auth_data.fields.pop('hmac'), False, 'hmac absent')
    chk('wrong_secret_mac', lambda mm: mm.auth_data.fields.__setitem__(
        'hmac', n_crypto.hmac(hashlib.sha256(b'test2').digest(), NONCE,
                              TS.to_bytes(4, 'big') + mm.body.encode())), False,
        'MAC made with another secret')
    # the header (message type) is not covered by the MAC
    def _retype(mm):
        mm.header.message_type = MessageType.DELETE_URI
    chk('message_type_changed', _retype, True,
        'type byte changed PUBLISH_URI -> DELETE_URI; MAC covers ts||body only')
    # stale timestamp is accepted: freshness is never checked
    old = Message.prepare(Body.prepare(b'x', b'u'), MessageType.OK,
                          AuthFields({'ts': (1).to_bytes(4, 'big')}))
    hmac_make(p, old)
    assert p.check(old.auth_data, old.body)
    add('hmac/check_ts_1970_accepted', 'plugin.hmac.check',
        input={'secret_utf8': 'test', 'message_hex': old.encode().hex()},
        expected=True, note='timestamps are not checked for freshness')
    e = p.error()
    add('hmac/error_message', 'message.encode', input=msg_fields(e),
        expected_hex=e.encode().hex(), note='HMACAuthPlugin.error()')


def gen_stream_cipher():
    for encrypt_uri, split in ((False, None), (True, 5)):
        p = Sha256StreamCipherPlugin({'key': 'test', 'encrypt_uri': encrypt_uri})
        m = Message.prepare(Body.prepare(b'brutus is plotting something sus', b'123'),
                            MessageType.PUBLISH_URI)
        iv = bytes(range(16, 32))
        q = Queue(iv)
        ri = fixed_randint(split or 1)
        with patched(n_crypto, 'urandom', q), patched(n_cipher, 'randint', ri):
            enc = p.encrypt(m)
        dec = p.decrypt(Message.decode(enc.encode()))
        assert dec.body.encode() == m.body.encode()
        pt = (body_bytes(b'123', b'') if encrypt_uri else b'') + m.body.content
        add(f'stream_cipher/encrypt_uri_{str(encrypt_uri).lower()}',
            'plugin.sha256_stream.encrypt',
            input={'key_utf8': 'test', 'encrypt_uri': encrypt_uri,
                   'iv_hex': iv.hex(), 'uri_split': split,
                   'randint_range': list(ri.calls[0]) if ri.calls else None,
                   'message_type': int(MessageType.PUBLISH_URI),
                   'uri_hex': b'123'.hex(),
                   'content_hex': m.body.content.hex(),
                   'existing_fields': tv({})},
            derived={'key_hex': p.key.hex(), 'plaintext_hex': pt.hex(),
                     'ciphertext_hex': n_crypto.symcrypt(p.key, iv, pt).hex()},
            expected_auth_fields=tv(enc.auth_data.fields),
            expected_uri_hex=enc.body.uri.hex(),
            expected_content_hex=enc.body.content.hex(),
            expected_hex=enc.encode().hex())

    # full two-layer encapsulation, in the order a node applies it on send
    outer_auth = HMACAuthPlugin({'secret': 'test'})
    outer_cipher = Sha256StreamCipherPlugin({'key': 'test'})
    inner_auth = HMACAuthPlugin({'secret': 'test2', 'hmac_field': 'hmac2'})
    inner_cipher = Sha256StreamCipherPlugin({'key': 'test2', 'iv_field': 'iv2',
                                             'encrypt_uri': False})
    n = node(auth_plugin=outer_auth, cipher_plugin=outer_cipher)
    m = Message.prepare(Body.prepare(b'eschew republic, establish empire', b'123'),
                        MessageType.PUBLISH_URI)
    ivs = Queue(b'\x01' * 16, b'\x02' * 16)
    nonces = Queue(b'\x03' * 16)
    ri = fixed_randint(7)
    with patched(n_crypto, 'urandom', ivs), patched(n_auth, 'urandom', nonces), \
            patched(n_auth, 'time', lambda: TS), patched(n_cipher, 'randint', ri):
        out = n.prepare_message(m, auth_plugin=inner_auth, cipher_plugin=inner_cipher)
    wire = out.encode()
    # receive side, same order as the nodes use
    r = Message.decode(wire)
    assert outer_auth.check(r.auth_data, r.body)
    r = outer_cipher.decrypt(r)
    assert inner_auth.check(r.auth_data, r.body)
    r = inner_cipher.decrypt(r)
    assert r.body.encode() == m.body.encode()
    add('encapsulation/two_layers_send', 'encapsulation.send',
        input={'message_type': int(MessageType.PUBLISH_URI), 'uri_hex': b'123'.hex(),
               'content_hex': m.body.content.hex(),
               'inner_cipher': {'key_utf8': 'test2', 'iv_field': 'iv2', 'encrypt_uri': False,
                                'iv_hex': (b'\x01' * 16).hex()},
               'inner_auth': {'secret_utf8': 'test2', 'hmac_field': 'hmac2',
                              'nonce_hex': (b'\x03' * 16).hex(), 'time': TS},
               'outer_cipher': {'key_utf8': 'test', 'iv_field': 'iv', 'encrypt_uri': True,
                                'iv_hex': (b'\x02' * 16).hex(), 'uri_split': 7},
               'outer_auth': {'secret_utf8': 'test', 'hmac_field': 'hmac',
                              'note': 'reuses nonce and ts set by inner auth'}},
        expected_auth_fields=tv(out.auth_data.fields),
        expected_hex=wire.hex())


def gen_peer():
    pp = DefaultPeerPlugin()
    data = pp.encode_data({'name': 'alice', 'pubkey': bytes(range(32))})
    add('peer/encode_data', 'peer.encode_data',
        input=tv({'name': 'alice', 'pubkey': bytes(range(32))}),
        expected_hex=data.hex())
    local = Peer(addrs={('192.0.2.1', 8888)},
                 id=bytes.fromhex('00112233445566778899aabbccddeeff'), data=data)
    packed = pp.pack(local)
    add('peer/pack', 'peer.pack',
        input={'id_hex': local.id.hex(), 'data_hex': local.data.hex()},
        expected_hex=packed.hex(), note='addrs are not included')
    add('peer/pack_data_none', 'peer.pack',
        input={'id_hex': b'x'.hex(), 'data_hex': None},
        expected_hex=pp.pack(Peer(set(), b'x', None)).hex())
    add('peer/pack_id_none', 'peer.pack',
        input={'id_hex': None, 'data_hex': b'd'.hex()},
        expected_hex=pp.pack(Peer(set(), None, b'd')).hex())

    for app_id in (b'netaio', b'myapp'):
        for mt in (MessageType.ADVERTISE_PEER, MessageType.PEER_DISCOVERED,
                   MessageType.DISCONNECT):
            m = Message.prepare(Body.prepare(pp.pack(local), app_id), mt)
            add(f'peer_mgmt/{mt.name}_{app_id.decode()}', 'peer_mgmt.message',
                input={'message_type': int(mt), 'app_id_hex': app_id.hex(),
                       'local_peer': {'id_hex': local.id.hex(),
                                      'data_hex': local.data.hex()}},
                expected_hex=m.encode().hex())
    # the same ADVERTISE_PEER once the instance HMAC plugin has been applied
    n = node(auth_plugin=HMACAuthPlugin({'secret': 'test'}))
    m = Message.prepare(Body.prepare(pp.pack(local), b'netaio'), MessageType.ADVERTISE_PEER)
    q = Queue(NONCE)
    with patched(n_auth, 'urandom', q), patched(n_auth, 'time', lambda: TS):
        out = n.prepare_message(m)
    add('peer_mgmt/ADVERTISE_PEER_netaio_with_outer_hmac', 'peer_mgmt.message',
        input={'message_type': int(MessageType.ADVERTISE_PEER),
               'app_id_hex': b'netaio'.hex(),
               'local_peer': {'id_hex': local.id.hex(), 'data_hex': local.data.hex()},
               'outer_auth': {'secret_utf8': 'test', 'nonce_hex': NONCE.hex(), 'time': TS}},
        expected_hex=out.encode().hex())


def gen_asym():
    if not HAVE_ASYM:
        return
    seed_a = bytes(range(32))
    seed_b = bytes(range(32, 64))
    pa = n_asym.X25519CipherPlugin({'seed': seed_a})
    pb = n_asym.X25519CipherPlugin({'seed': seed_b})
    for seed, p in ((seed_a, pa), (seed_b, pb)):
        add(f'x25519/keys_{seed[:1].hex()}', 'plugin.x25519.keys',
            input={'seed_hex': seed.hex()},
            expected={'ed25519_verify_key_hex': bytes(p.vkey).hex(),
                      'curve25519_private_key_hex': bytes(p.key).hex(),
                      'curve25519_public_key_hex': bytes(p.pubk).hex()},
            derived={'sha512_seed_first32_hex': hashlib.sha512(seed).digest()[:32].hex()})
    pp = DefaultPeerPlugin()
    peer_b = Peer(set(), b'B', pp.encode_data({'pubkey': bytes(pb.pubk)}))
    peer_a = Peer(set(), b'A', pp.encode_data({'pubkey': bytes(pa.pubk)}))
    for encrypt_uri, split in ((False, None), (True, 10)):
        pa.encrypt_uri = encrypt_uri
        pb.encrypt_uri = encrypt_uri
        m = Message.prepare(Body.prepare(b'hello world', b'123'), MessageType.PUBLISH_URI)
        box_nonce = bytes(range(0x40, 0x58))
        q = Queue(box_nonce)
        ri = fixed_randint(split or 1)
        with patched(nacl_public, 'random', q), patched(n_asym, 'randint', ri):
            enc = pa.encrypt(m, peer=peer_b, peer_plugin=pp)
        dec = pb.decrypt(Message.decode(enc.encode()), peer=peer_a, peer_plugin=pp)
        assert dec.body.encode() == m.body.encode()
        add(f'x25519/encrypt_uri_{str(encrypt_uri).lower()}', 'plugin.x25519.encrypt',
            input={'sender_seed_hex': seed_a.hex(), 'recipient_seed_hex': seed_b.hex(),
                   'recipient_peer_data_hex': peer_b.data.hex(),
                   'box_nonce_hex': box_nonce.hex(), 'encrypt_uri': encrypt_uri,
                   'uri_split': split,
                   'randint_range': list(ri.calls[0]) if ri.calls else None,
                   'message_type': int(MessageType.PUBLISH_URI),
                   'uri_hex': b'123'.hex(), 'content_hex': b'hello world'.hex()},
            expected_uri_hex=enc.body.uri.hex(),
            expected_content_hex=enc.body.content.hex(),
            expected_hex=enc.encode().hex())

    # tapescript single-sig
    vk = SigningKey(seed_a).verify_key
    lock = tapescript.make_single_sig_lock(vk)
    tp = n_asym.TapescriptAuthPlugin({'lock': lock, 'seed': seed_a})
    m = Message.prepare(Body.prepare(b'hello world', b'123'), MessageType.PUBLISH_URI)
    q = Queue(NONCE)
    with patched(n_asym, 'urandom', q), patched(n_asym, 'time', lambda: TS):
        tp.make(m.auth_data, m.body)
    assert tp.check(m.auth_data, m.body)
    sig_msg = m.body.encode() + NONCE + TS.to_bytes(4, 'big')
    add('tapescript/single_sig_make', 'plugin.tapescript.make',
        input={'seed_hex': seed_a.hex(), 'nonce_hex': NONCE.hex(), 'time': TS,
               'message_type': int(MessageType.PUBLISH_URI), 'uri_hex': b'123'.hex(),
               'content_hex': b'hello world'.hex()},
        derived={'lock_hex': lock.bytes.hex(),
                 'signed_message_hex': sig_msg.hex(),
                 'ed25519_signature_hex': SigningKey(seed_a).sign(sig_msg).signature.hex()},
        expected_auth_fields=tv(m.auth_data.fields),
        expected_hex=m.encode().hex())
    e = tp.error()
    add('tapescript/error_message', 'message.encode', input=msg_fields(e),
        expected_hex=e.encode().hex())


# ---------------------------------------------------------------------------
# 5. transport readers (TCP stream framing, UDP datagram parsing)
# ---------------------------------------------------------------------------

def gen_readers():
    import asyncio
    from netaio import TCPClient

    def fields_or_none(m):
        return None if m is None else msg_fields(m)

    m_ok = Message.prepare(Body.prepare(b'content', b'uri'), MessageType.OK).encode()
    m_pub = Message.prepare(Body.prepare(b'hello', b'echo'), MessageType.PUBLISH_URI,
                            AuthFields({'k': b'v'})).encode()
    bad_crc = bytearray(m_ok)
    bad_crc[5:9] = b'\x00\x00\x00\x00'
    streams = [
        ('two_frames_back_to_back', m_ok + m_pub, 2,
         'frames are delimited only by the header length fields'),
        ('checksum_failure_then_good_frame', bytes(bad_crc) + m_pub, 2,
         'a CRC failure consumes exactly one frame; the client returns None '
         'for it (a TCPServer would answer ERROR "invalid message")'),
    ]
    for name, data, count, note in streams:
        async def run(data=data, count=count):
            c = TCPClient('127.0.0.1', 1)
            r = asyncio.StreamReader()
            r.feed_data(data)
            r.feed_eof()
            c.hosts[('127.0.0.1', 1)] = (r, None)
            return [await c.receive_once(use_auth=False, use_cipher=False)
                    for _ in range(count)]
        results = asyncio.run(run())
        add(f'tcp/stream_{name}', 'tcp.stream_read', input_hex=data.hex(),
            expected=[fields_or_none(m) for m in results], note=note)

    datagrams = [
        ('trailing_bytes_ignored', m_ok + b'junk', MessageType.OK,
         'UDP parsing slices the body with header.body_length; extra bytes dropped'),
        ('exact', m_pub, MessageType.PUBLISH_URI, 'plain datagram'),
    ]
    for name, data, mtype, note in datagrams:
        n = node(default_handler=lambda m, a: None)
        got = []
        n.add_handler(mtype, lambda m, a: got.append(m))
        n.datagram_received(data, ('192.0.2.9', 8888))
        add(f'udp/datagram_{name}', 'udp.datagram_parse', input_hex=data.hex(),
            expected=fields_or_none(got[0] if got else None), note=note)


DEFAULT_OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           'Fixtures', 'vectors', 'vectors.json')


def main():
    args = sys.argv[1:]
    check = '--check' in args
    args = [a for a in args if a != '--check']
    if len(args) > 1 or any(a.startswith('--') for a in args):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    path = args[0] if args else DEFAULT_OUT
    gen_packify()
    gen_frame()
    gen_crypto()
    gen_hmac()
    gen_stream_cipher()
    gen_peer()
    gen_asym()
    gen_readers()
    out = json.dumps(VECTORS, indent=1) + '\n'
    # The tapescript VM and plugin vectors (scripts/python/tapescript_vectors.py) go to
    # tapescript.json beside the main file.
    ts_out = None
    if HAVE_ASYM:
        import tapescript_vectors
        ts_out = json.dumps(tapescript_vectors.generate(), indent=1) + '\n'
    if path == '-':
        sys.stdout.write(out)
        return
    ts_path = os.path.join(os.path.dirname(os.path.abspath(path)), 'tapescript.json')
    if check:
        same = True
        for p, text, n in ((path, out, len(VECTORS)),
                           (ts_path, ts_out, None if ts_out is None else len(json.loads(ts_out)))):
            if text is None:
                continue
            try:
                with open(p) as f:
                    ok = f.read() == text
            except FileNotFoundError:
                ok = False
            same = same and ok
            print(f'{p}: {"up to date" if ok else "DIFFERS from generated vectors"} ({n} vectors)',
                  file=sys.stderr)
        sys.exit(0 if same else 1)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, 'w') as f:
        f.write(out)
    if ts_out is not None:
        with open(ts_path, 'w') as f:
            f.write(ts_out)
        print(f'wrote {len(json.loads(ts_out))} tapescript vectors to {ts_path}', file=sys.stderr)
    kinds = {}
    for v in VECTORS:
        kinds[v['kind']] = kinds.get(v['kind'], 0) + 1
    print(f'wrote {len(VECTORS)} vectors to {path} '
          f'(netaio {netaio.version()}, packify {packify.version()})',
          file=sys.stderr)
    for k, c in sorted(kinds.items()):
        print(f'  {k}: {c}', file=sys.stderr)


if __name__ == '__main__':
    main()
