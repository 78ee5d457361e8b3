#!/usr/bin/env python3
"""Writes the codec fuzz targets' seed corpora from the golden vectors.

Every seed is bytes the real Python netaio 0.0.9 / packify 0.4.0 produced or judged
(Fixtures/vectors/vectors.json), so fuzzing starts from real frames, auth blocks,
bodies and packify values, accepted and rejected ones alike.

The plugin and node targets read structured plans (NetaioFuzzChecks' FuzzInput: bytes,
u8-length "short" and u16-length "long" byte strings); their seeds are plans built
here around the same golden-vector bytes (HMAC-protected frames, peer records, keys).

Usage: python3 scripts/python/seed_corpus.py        (rewrites seed-* files only)
"""
import hashlib
import json
import pathlib
import struct

REPO = pathlib.Path(__file__).resolve().parents[2]
CORPUS = REPO / 'Fixtures' / 'corpus'


def frames(vectors):
    for v in vectors:
        kind = v['kind']
        if kind == 'message.encode':
            yield bytes.fromhex(v['expected_hex'])
        elif kind in ('message.decode_reject', 'message.decode_lenient', 'tcp.stream_read',
                      'udp.datagram_parse'):
            yield bytes.fromhex(v['input_hex'])
        elif kind == 'plugin.hmac.check':
            yield bytes.fromhex(v['input']['message_hex'])
        elif kind in ('plugin.sha256_stream.encrypt', 'encapsulation.send', 'plugin.x25519.encrypt',
                      'plugin.hmac.make', 'peer_mgmt.message') and 'expected_hex' in v:
            yield bytes.fromhex(v['expected_hex'])  # frames with iv, nonce/ts/hmac, peer records


def split_frame(frame):
    """(header, auth block, body block) of a well-formed frame, else None."""
    if len(frame) < 9:
        return None
    _, auth_len, body_len, _ = struct.unpack('!BHHI', frame[:9])
    if len(frame) < 9 + auth_len + body_len:
        return None
    return frame[:9], frame[9:9 + auth_len], frame[9 + auth_len:9 + auth_len + body_len]


def write(target, seeds):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob('seed-*'):
        old.unlink()
    unique = {hashlib.sha1(s).hexdigest()[:12]: s for s in seeds}
    for name, data in sorted(unique.items()):
        (folder / f'seed-{name}').write_bytes(data)
    print(f'{target}: {len(unique)} seeds')


def main():
    vectors = json.loads((REPO / 'Fixtures' / 'vectors' / 'vectors.json').read_text())
    all_frames = list(frames(vectors))
    parts = [p for p in map(split_frame, all_frames) if p]
    packify = [bytes.fromhex(v['expected_hex']) for v in vectors if v['kind'] == 'packify.pack']
    packify += [bytes.fromhex(v['input_hex']) for v in vectors
                if v['kind'] in ('packify.unpack_reject', 'packify.unpack_lenient')]
    write('FuzzPackifyDecode', packify + [p[1] for p in parts])
    write('FuzzFrameDecode', all_frames)
    write('FuzzHeaderDecode', [p[0] for p in parts] + [f[:9] for f in all_frames])
    write('FuzzAuthFieldsDecode', [p[1] for p in parts])
    write('FuzzBodyDecode', [p[2] for p in parts])
    # FuzzMessageTypeSet: no custom types, then one and two custom types, each followed
    # by a frame of a custom type (values 31 and 200).
    table = [b'\x00', b'\x01\x40\x06CUSTOM\x00\x29', b'\x02\x40\x02AA\x00\x29\x40\x05ERROR\x00\xd2']
    sets = []
    for t in table:
        for f in all_frames[:6]:
            sets.append(t + f)
            sets.append(t + bytes([0x1f]) + f[1:])
    write('FuzzMessageTypeSet', sets)
    plan_seeds(vectors, all_frames)
    tapescript_seeds()


def short(b):
    return bytes([len(b)]) + b


def long(b):
    return struct.pack('!H', len(b)) + b


def body_parts(block):
    n = struct.unpack('!H', block[:2])[0]
    return block[2:2 + n], block[2 + n:]


def plan_seeds(vectors, all_frames):
    hmac_frames = [bytes.fromhex(v['input']['message_hex']) for v in vectors
                   if v['kind'] == 'plugin.hmac.check' and v['input'].get('secret_utf8') == 'test']
    hmac = []
    for f in hmac_frames:
        parts = split_frame(f)
        if not parts:
            continue
        uri, content = body_parts(parts[2])
        for other in (b'other', b'test'):
            hmac.append(short(b'test') + short(other) + short(uri) + long(content) + long(parts[1]) + b'\x07')
    write('FuzzHMACAuth', hmac)

    stream = []
    for mode in (0, 1):
        for f in all_frames[:8]:
            parts = split_frame(f)
            if parts:
                uri, content = body_parts(parts[2]) if len(parts[2]) >= 2 else (b'', b'')
                stream.append(bytes([mode]) + short(b'test') + b'\x07' + short(uri[:255]) + long(content) + long(parts[1]) + b'\x01')
    write('FuzzStreamCipher', stream)

    seeds = [bytes(range(32)), bytes(range(32, 64)), bytes(range(64, 96))]
    data = [bytes.fromhex(v['input']['data_hex']) for v in vectors
            if v['kind'] == 'peer.pack' and v['input'].get('data_hex')]
    x = []
    for mode in (0, 1):
        for d in data[:2] + [b'']:
            x.append(bytes([mode]) + b''.join(seeds) + long(d) + short(b'123') + long(b'hello x25519')
                     + short(b'') + long(bytes(range(64))) + b'\x03')
    write('FuzzX25519Decrypt', x)

    peers = [bytes.fromhex(v['expected_hex']) for v in vectors if v['kind'] == 'peer.pack']
    peers += data
    peers += [bytes.fromhex(v['expected_hex']) for v in vectors if v['kind'] == 'peer.encode_data']
    write('FuzzPeerPlugin', peers)

    def recipe(flags, mtype, uri_choice, fields=b'', content=b'hello', record=b'', damage=b''):
        out = bytes([flags, mtype, uri_choice]) + short(fields) + short(content)
        if flags & 2:
            out += short(record)
        if flags & 32:
            out += damage
        return out

    record = peers[0] if peers else b''
    recipes = [
        recipe(0, 0, 0),                        # REQUEST_URI echo
        recipe(4, 0, 1),                        # REQUEST_URI secret with inner layers
        recipe(0, 0, 1),                        # secret without inner layers: AUTH_ERROR
        recipe(2, 9, 2, record=record),         # ADVERTISE_PEER netaio with a peer record
        recipe(2, 30, 2, record=record),        # DISCONNECT
        recipe(16, 0, 0),                       # no outer auth: auth failure
        recipe(8, 0, 0),                        # no outer cipher
        recipe(32, 0, 0, damage=b'\x00\x05\x01'),  # checksum damaged
        recipe(0, 20, 3),                       # ERROR: storm guard
        recipe(0, 5, 0),                        # SUBSCRIBE_URI
    ]
    tcp = []
    for flags in (0, 2):
        tcp.append(bytes([flags]) + short(bytes([1, 5, 9, 64])) + b''.join(all_frames[:6]))
    for flags in (1, 3):
        tcp.append(bytes([flags]) + short(bytes([3, 17])) + b''.join(recipes))
        for r in recipes:
            tcp.append(bytes([flags]) + short(b'') + r)
    write('FuzzNodeTCPServer', tcp)

    udp = [b'\x00' + b''.join(bytes([i % 4, 0]) + long(f) for i, f in enumerate(all_frames[:6]))]
    udp.append(b'\x00' + b'\xff\x00' + long(all_frames[0]))    # from the node's own host
    udp.append(b'\x01' + b''.join(bytes([i % 4, 50 if i % 3 == 0 else 0]) + r for i, r in enumerate(recipes)))
    for r in recipes:
        udp.append(b'\x01' + b'\x01\x00' + r)
    write('FuzzNodeUDP', udp)


def tapescript_seeds():
    """FuzzTapescript plans from Fixtures/vectors/tapescript.json: witness, lock,
    sigfield1..3, then a seed byte, uri and content for the plugin part. Every auth
    vector (single-sig, taproot, multisig, merkleval, the RETURN quirk) and each
    opcode's first success and first failure run vector become seeds."""
    vectors = json.loads((REPO / 'Fixtures' / 'vectors' / 'tapescript.json').read_text())
    seeds = []
    ops_seen = set()
    for i, v in enumerate(vectors):
        if v['kind'] == 'tapescript.auth':
            scripts = [bytes.fromhex(h) for h in v['input']['scripts_hex']]
            sf = {k: bytes.fromhex(x) for k, x in v['input']['sigfields'].items()}
        elif v['kind'] == 'tapescript.run' and (v['op'], v['path']) not in ops_seen:
            ops_seen.add((v['op'], v['path']))
            scripts = [bytes.fromhex(h) for h in v['input']['scripts_hex']]
            sf = {k: bytes.fromhex(x['bytes']) for k, x in v['input']['cache'].items() if 'bytes' in x}
        else:
            continue
        witness, lock = (scripts + [b''])[:2] if len(scripts) > 1 else (b'', scripts[0])
        if len(witness) + len(lock) > 600:  # keep the corpus small: no 1 KiB pushes
            continue
        seeds.append(long(witness) + long(lock) + long(sf.get('sigfield1', b'')[:1100])
                     + short(sf.get('sigfield2', b'')[:255]) + short(sf.get('sigfield3', b'')[:8])
                     + bytes([i % 256]) + short(b'uri') + long(b'content %d' % i))
    write('FuzzTapescript', seeds)


if __name__ == '__main__':
    main()
