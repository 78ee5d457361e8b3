#!/usr/bin/env python3
"""Writes the codec fuzz targets' seed corpora from the golden vectors.

Every seed is bytes the real Python netaio 0.0.9 / packify 0.4.0 produced or judged
(Fixtures/vectors/vectors.json), so fuzzing starts from real frames, auth blocks,
bodies and packify values, accepted and rejected ones alike.

Usage: python3 scripts/python/seed_corpus.py        (rewrites seed-* files only)
The plugin and node targets' seeds come from their Swift checks instead
(`scripts/fuzz --seeds`), because their inputs are structured plans, not wire bytes.
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


if __name__ == '__main__':
    main()
