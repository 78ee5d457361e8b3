#!/usr/bin/env python3
"""Self-test for oracle.py: replays Fixtures/vectors/vectors.json through it.

Run (after scripts/setup):  .venv/bin/python scripts/python/oracle_selftest.py

Spawns the oracle as a subprocess exactly like the Swift tests do (one
request line, wait for its response line) and checks every vector kind the
oracle covers, plus a few garbage lines.  Prints 'N passed, N failed'.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
VECTORS = os.path.join(REPO, 'Fixtures', 'vectors', 'vectors.json')


class Oracle:
    def __init__(self):
        self.p = subprocess.Popen(
            [sys.executable, os.path.join(HERE, 'oracle.py')],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.next_id = 0

    def raw(self, line: str) -> dict:
        self.p.stdin.write(line + '\n')
        self.p.stdin.flush()
        out = self.p.stdout.readline()
        if not out:
            raise RuntimeError('oracle exited')
        return json.loads(out)

    def call(self, op: str, **args) -> dict:
        self.next_id += 1
        resp = self.raw(json.dumps({'id': self.next_id, 'op': op, **args}))
        assert resp['id'] == self.next_id, resp
        return resp

    def close(self):
        self.p.stdin.close()
        self.p.wait(10)


def canon(t):
    """Typed value with dict entries in a canonical order (decode order is
    the encoded order, input order is insertion order)."""
    if isinstance(t, dict):
        if t.get('type') == 'dict':
            es = [[canon(k), canon(v)] for k, v in t['entries']]
            return {'type': 'dict', 'entries': sorted(es, key=json.dumps)}
        if 'items' in t:
            return {**t, 'items': [canon(i) for i in t['items']]}
    return t


def main() -> int:
    vectors = json.load(open(VECTORS))
    o = Oracle()
    passed = failed = 0

    def check(name, cond, detail=''):
        nonlocal passed, failed
        if cond:
            passed += 1
        else:
            failed += 1
            print(f'FAIL {name} {detail}')

    for v in vectors:
        k, n = v['kind'], v['name']
        if k == 'packify.pack':
            r = o.call('pack', value=v['input'])
            check(n + ' pack', r['ok'] and r['result']['hex'] == v['expected_hex'], r)
            r = o.call('unpack', hex=v['expected_hex'])
            check(n + ' unpack', r['ok'] and canon(r['result']['value']) == canon(v['input']), r)
        elif k == 'packify.unpack_lenient':
            r = o.call('unpack', hex=v['input_hex'])
            check(n, r['ok'] and canon(r['result']['value']) == canon(v['expected']), r)
        elif k == 'packify.unpack_reject':
            r = o.call('unpack', hex=v['input_hex'])
            check(n, r['ok'] is not v['rejected'], r)
        elif k == 'message.encode':
            r = o.call('message_encode', **v['input'])
            check(n, r['ok'] and r['result']['hex'] == v['expected_hex'], r)
            if n != 'message/custom_type_50':
                r = o.call('message_decode', hex=v['expected_hex'])
                res = r.get('result') or {}
                check(n + ' decode', r['ok'] and {
                    'message_type': res['message_type'], 'auth_fields': canon(res['auth_fields']),
                    'uri_hex': res['uri_hex'], 'content_hex': res['content_hex'],
                } == {**v['input'], 'auth_fields': canon(v['input']['auth_fields'])}, r)
            else:
                r = o.call('message_decode', hex=v['expected_hex'],
                           custom_types={'CUSTOM_ACTION': 50})
                check(n + ' decode custom', r['ok'] and r['result']['message_type'] == 50, r)
        elif k == 'message.decode_reject':
            r = o.call('message_decode', hex=v['input_hex'])
            check(n, r['ok'] is not v['rejected'], r)
        elif k == 'message.decode_lenient':
            r = o.call('message_decode', hex=v['input_hex'])
            e = v['expected']
            res = r.get('result') or {}
            check(n, r['ok'] and res['message_type'] == e['message_type']
                  and res['header']['auth_length'] == e['auth_length']
                  and res['header']['body_length'] == e['body_length']
                  and canon(res['auth_fields']) == canon(e['auth_fields'])
                  and res['uri_hex'] == e['uri_hex']
                  and res['content_hex'] == e['content_hex'], r)
        elif k == 'tcp.stream_read':
            r = o.call('tcp_read', hex=v['input_hex'])
            check(n, r['ok'] and r['result'] == v['expected'], r)
        elif k == 'udp.datagram_parse':
            r = o.call('udp_parse', hex=v['input_hex'])
            check(n, r['ok'] and r['result'] == v['expected'], r)
        elif k == 'body.prepare_limit':
            r = o.call('body_prepare_ok', content_len=v['input']['content_len'],
                       uri_len=v['input']['uri_len'])
            check(n, r['ok'] and r['result'] is v['accepted'], r)

    # garbage must produce error lines, never kill the oracle
    for line in ('not json', '[]', '{"id": 1}', '{"id": 2, "op": "pack"}',
                 '{"id": 3, "op": "unpack", "hex": 5}', '\udcff'.encode(
                     'utf-8', 'surrogateescape').decode('latin-1'),
                 '{"id": 4, "op": "pack", "value": {"type": "set", "items": '
                 '[{"type": "list", "items": []}]}}'):
        r = o.raw(line)
        check(f'garbage {line!r}', r['ok'] is False and 'error' in r, r)
    check('alive', o.call('ping')['result'] == 'pong')
    # The tapescript ops against Fixtures/vectors/tapescript.json: every run vector whose
    # cache holds only byte sigfields and needs no test contract, and the plugin checks.
    ts_path = os.path.join(REPO, 'Fixtures', 'vectors', 'tapescript.json')
    for v in json.load(open(ts_path)) if os.path.exists(ts_path) else []:
        k, n = v['kind'], v['name']
        if k == 'tapescript.run':
            inp, exp = v['input'], v['expected']
            if inp.get('test_contracts') or any('bytes' not in c for c in inp['cache'].values()):
                continue
            r = o.call('tapescript_run', scripts_hex=inp['scripts_hex'], now=inp['now'],
                       sigfields={key: c['bytes'] for key, c in inp['cache'].items()})
            res = r.get('result') or {}
            check(n, r['ok'] and res['stack_hex'] == exp['stack_hex'] and res['error'] == exp['error']
                  and res['auth'] == exp['auth'], r)
    o.close()
    print(f'oracle: {passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
