"""Golden vectors for the tapescript 0.7.3 VM and netaio.asymmetric's
TapescriptAuthPlugin, made by running the real libraries (imported by
scripts/gen-vectors.py, which writes Fixtures/vectors/tapescript.json).

Every run vector executes byte code with tapescript's own `run_tape` on its own
`Tape`/`Stack` objects, exactly as `run_script`/`run_auth_scripts` set them up,
so the stack and cache left behind by an error are recorded too. The clock
(`tapescript.functions.time`) is fixed so time-dependent opcodes are
deterministic. Each vector names the opcode it is about and whether it is a
success or a failure path; `coverage()` checks every opcode has both.
"""
from __future__ import annotations

import struct

import tapescript
import tapescript.functions as F
from nacl.signing import SigningKey
from tapescript import Script, Stack, Tape, compile_script

NOW = 1_700_000_000
SEED_A = bytes(range(32))
SEED_B = bytes(range(32, 64))
SEED_C = bytes(range(64, 96))
VK_A = bytes(SigningKey(SEED_A).verify_key)
VK_B = bytes(SigningKey(SEED_B).verify_key)
VK_C = bytes(SigningKey(SEED_C).verify_key)
SIGFIELDS = {'sigfield1': b'hello world', 'sigfield2': bytes(range(16)),
             'sigfield3': NOW.to_bytes(4, 'big')}

VECTORS: list[dict] = []


def P(b: bytes) -> str:
    return f'push x{b.hex()}'


def Fl(x: float) -> str:
    return P(struct.pack('!f', x))


def code(*parts) -> bytes:
    """Source strings are compiled; bytes are used raw."""
    out = b''
    for p in parts:
        out += p if isinstance(p, bytes) else compile_script(p)
    return out


FULL = ' '.join(['push x01 copy xff'] * 4)      # 1024 items: a full stack
EMPTY = 'push x01 push d0 split pop0'            # leaves one empty item
BIG = P(b'\x7f' + b'\xff' * 1023)                 # the largest positive 1024-byte int


def ser_cache(cache: dict) -> dict:
    out = {}
    for k, v in cache.items():
        if k == 'timestamp' or (isinstance(k, str) and k.startswith('sigfield')):
            continue
        key = ('b:' + k.hex()) if isinstance(k, bytes) else ('s:' + k)
        if isinstance(v, (list, tuple)):
            out[key] = {'list': [x.hex() for x in v]}
        elif isinstance(v, bool):
            out[key] = {'bool': v}
        elif isinstance(v, bytes):
            out[key] = {'bytes': v.hex()}
        else:
            raise AssertionError(f'unexpected cache value {k!r}: {v!r}')
    return out


class HashInvoke:
    """Test contract for OP_INVOKE (Swift has the same): returns sha256 of the joined
    args, plus the arg count as one byte; no args returns None."""
    def abi(self, args: list[bytes]):
        import hashlib
        if not args:
            return None
        return [hashlib.sha256(b''.join(args)).digest(), bytes([len(args)])]


class ToyLedger:
    """Test contract for OP_CHECK_TRANSFER (Swift has the same): a proof is
    b'ok' + source + b'>' + destination; each valid proof moves 10; a constraint
    must be a prefix of the proof."""
    def verify_txn_proof(self, proof: bytes) -> bool:
        return proof.startswith(b'ok') and b'>' in proof

    def verify_transfer(self, proof: bytes, source: bytes, destination: bytes) -> bool:
        return proof == b'ok' + source + b'>' + destination

    def verify_txn_constraint(self, proof: bytes, constraint: bytes) -> bool:
        return proof.startswith(constraint)

    def calc_txn_aggregates(self, proofs: list[bytes], scope: bytes = None) -> dict:
        return {scope: 10 * sum(1 for p in proofs if p.endswith(b'>' + scope))}


TEST_CONTRACTS = {b'inv': HashInvoke(), b'led': ToyLedger()}


def run_capture(scripts: list[bytes], cache_vals: dict, contracts: dict | None = None):
    """run_script + the rest of run_auth_scripts, keeping the state on error."""
    stack = Stack()
    cache = {'timestamp': NOW, **cache_vals}
    tape = Tape(scripts[0])
    tape.contracts = {**F._contracts, **(contracts or {})}
    tape.plugins = {**F._plugins}
    err = None
    try:
        F.run_tape(tape, stack, cache)
        for s in scripts[1:]:
            tape = Tape(s, callstack_limit=tape.callstack_limit,
                        callstack_count=tape.callstack_count,
                        definitions=tape.definitions)
            tape.contracts = {**F._contracts, **(contracts or {})}
            tape.plugins = {**F._plugins}
            F.run_tape(tape, stack, cache)
    except BaseException as e:  # noqa: BLE001 - tapescript raises BaseException subclasses
        err = e
    return stack.list(), cache, err


def cache_json(cache_vals: dict) -> dict:
    out = {}
    for k, v in cache_vals.items():
        if isinstance(v, bytes):
            out[k] = {'bytes': v.hex()}
        elif isinstance(v, int):
            out[k] = {'int': v}
        else:
            raise AssertionError(v)
    return out


def run(name: str, op: str, scripts, cache_vals: dict | None = None, *, expect: str,
        note: str | None = None, contracts: bool = False) -> dict:
    """Record one run. `expect` is 'ok' or 'error' (asserted, to keep the table honest)."""
    if not isinstance(scripts, list):
        scripts = [scripts]
    scripts = [s if isinstance(s, bytes) else code(s) for s in scripts]
    cache_vals = dict(SIGFIELDS if cache_vals is None else cache_vals)
    cs = TEST_CONTRACTS if contracts else {}
    stack, cache, err = run_capture(scripts, cache_vals, cs)
    got = 'ok' if err is None else 'error'
    assert got == expect, (name, err)
    auth = tapescript.run_auth_scripts(scripts, cache_vals, cs)
    assert auth == (err is None and stack == [b'\xff']), name
    if len(scripts) == 1 and err is None and not isinstance(cache_vals.get('timestamp', 0), bytes):
        _, s2, _ = tapescript.run_script(scripts[0], cache_vals, cs)
        assert s2.list() == stack, name
    v = {'name': f'tapescript/run/{name}', 'kind': 'tapescript.run', 'op': op,
         'path': expect,
         'input': {'scripts_hex': [s.hex() for s in scripts], 'cache': cache_json(cache_vals),
                   'now': NOW, 'test_contracts': contracts},
         'expected': {'stack_hex': [x.hex() for x in stack], 'cache': ser_cache(cache),
                      'error': None if err is None else {
                          'class': type(err).__name__, 'message': str(err)},
                      'auth': auth}}
    if note:
        v['note'] = note
    VECTORS.append(v)
    return v


def sig(seed: bytes, msg: bytes) -> bytes:
    return SigningKey(seed).sign(msg).signature


def gen_opcodes():
    msg_all = b''.join(SIGFIELDS.values())
    sig_a = sig(SEED_A, msg_all)
    sig_a_no2 = sig(SEED_A, SIGFIELDS['sigfield1'] + SIGFIELDS['sigfield3'])
    big_field = {**SIGFIELDS, 'sigfield1': b'x' * 1025}

    run('false', 'OP_FALSE', 'false', expect='ok')
    run('false_full', 'OP_FALSE', f'{FULL} false', expect='error')
    run('true', 'OP_TRUE', 'true', expect='ok')
    run('true_full', 'OP_TRUE', f'{FULL} true', expect='error')
    run('push0', 'OP_PUSH0', 'push x05', expect='ok')
    run('push0_short', 'OP_PUSH0', b'\x02', expect='error')
    run('push1', 'OP_PUSH1', 'push x0102', expect='ok')
    run('push1_short', 'OP_PUSH1', bytes.fromhex('0305aa'), expect='error')
    run('push2', 'OP_PUSH2', bytes.fromhex('040003aabbcc'), expect='ok')
    run('push2_short', 'OP_PUSH2', bytes.fromhex('0400'), expect='error')
    run('push2_item_too_large', 'OP_PUSH2', b'\x04\x04\x01' + b'\x00' * 1025, expect='error')
    run('push2_1024', 'OP_PUSH2', b'\x04\x04\x00' + b'\x01' * 1024 + b'\x08', expect='ok')
    run('get_message_all', 'OP_GET_MESSAGE', 'msg x00', expect='ok')
    run('get_message_skip2', 'OP_GET_MESSAGE', 'msg x02', expect='ok')
    run('get_message_ff', 'OP_GET_MESSAGE', 'msg xff', expect='ok')
    run('get_message_no_flag', 'OP_GET_MESSAGE', b'\x05', expect='error')
    run('get_message_too_large', 'OP_GET_MESSAGE', 'msg x00', big_field, expect='error',
        note='sigfields over 1024 bytes in total cannot be put on the stack')
    run('pop0', 'OP_POP0', 'push x01 push x02 pop0 read_cache s"P"', expect='ok')
    run('pop0_empty', 'OP_POP0', 'pop0', expect='error')
    run('pop1', 'OP_POP1', 'push x01 push x02 push x03 pop1 d2 read_cache s"P"', expect='ok',
        note='read_cache puts the popped items back in pop order: reversed')
    run('pop1_underflow', 'OP_POP1', 'push x01 pop1 d2', expect='error')
    run('size', 'OP_SIZE', 'push x010203 size', expect='ok')
    run('size_empty_item', 'OP_SIZE', f'{EMPTY} size', expect='ok')
    run('size_empty', 'OP_SIZE', 'size', expect='error')
    run('write_cache', 'OP_WRITE_CACHE',
        'push x01 push x02 write_cache s"k" d2 read_cache s"k" rcz s"k"', expect='ok')
    run('write_cache_underflow', 'OP_WRITE_CACHE', 'push x01 write_cache s"k" d2', expect='error')
    run('write_cache_short', 'OP_WRITE_CACHE', bytes.fromhex('0901'), expect='error')
    run('read_cache_missing', 'OP_READ_CACHE', 'read_cache s"zz"', expect='error')
    run('read_cache_sig', 'OP_READ_CACHE', f'{P(SEED_A)} sign x00 pop0 read_cache s"s"', expect='ok')
    run('read_cache_short', 'OP_READ_CACHE', bytes.fromhex('0a03'), expect='error')
    run('rcz_missing', 'OP_READ_CACHE_SIZE', 'rcz s"none"', expect='ok')
    run('rcz_bytes_value', 'OP_READ_CACHE_SIZE', f'{P(SEED_A)} sign x00 rcz s"s"', expect='ok',
        note='the signature is cached as bytes, so its "size" is 64, not 1')
    run('rcz_short', 'OP_READ_CACHE_SIZE', bytes.fromhex('0b05'), expect='error')
    run('rcs', 'OP_READ_CACHE_STACK', 'push x01 write_cache s"k" d1 push s"k" rcs', expect='ok')
    run('rcs_missing', 'OP_READ_CACHE_STACK', 'push s"q" rcs', expect='error')
    run('rcs_empty', 'OP_READ_CACHE_STACK', 'rcs', expect='error')
    run('rcsz', 'OP_READ_CACHE_STACK_SIZE',
        'push x01 push x02 write_cache s"k" d2 push s"k" rcsz push s"q" rcsz', expect='ok')
    run('rcsz_empty', 'OP_READ_CACHE_STACK_SIZE', 'rcsz', expect='error')

    run('add_ints', 'OP_ADD_INTS', 'push d5 push d-7 add_ints d2', expect='ok')
    run('add_ints_zero_count', 'OP_ADD_INTS', 'add_ints d0', expect='ok')
    run('add_ints_2p63', 'OP_ADD_INTS', f'{P(bytes.fromhex("7fffffffffffffff"))} push x01 add_ints d2', expect='ok')
    run('add_ints_2p63_minus_1', 'OP_ADD_INTS', f'{P(bytes.fromhex("7ffffffffffffffe"))} push x01 add_ints d2',
        expect='ok', note='int_to_bytes(2**63-1) is 9 bytes: floor(log2()) on a rounded float')
    run('add_ints_negative_boundary', 'OP_ADD_INTS', 'push x80 push xff add_ints d2 push x80 push x00 add_ints d2',
        expect='ok')
    run('add_ints_underflow', 'OP_ADD_INTS', 'push d1 add_ints d2', expect='error')
    run('add_ints_empty_item', 'OP_ADD_INTS', f'{EMPTY} add_ints d1', expect='error')
    run('add_ints_too_large', 'OP_ADD_INTS', f'{BIG} copy d1 add_ints d2', expect='error')
    run('sub', 'OP_SUBTRACT_INTS', 'push d3 push d10 sub d2', expect='ok')
    run('sub_count0', 'OP_SUBTRACT_INTS', 'push d5 sub d0', expect='ok')
    run('sub_big', 'OP_SUBTRACT_INTS', f'{BIG} push d-1 sub d2', expect='ok')
    run('sub_empty', 'OP_SUBTRACT_INTS', 'sub d1', expect='error')
    run('mult', 'OP_MULT_INTS', 'push d-3 push d7 mult d2', expect='ok')
    run('mult_big', 'OP_MULT_INTS', f'{P(bytes([0x01]) + bytes(7))} {P(bytes([0x7f]) + bytes(7))} mult d2', expect='ok')
    run('mult_too_large', 'OP_MULT_INTS', f'{BIG} copy d3 mult d4', expect='error')
    run('mult_zero_after_huge', 'OP_MULT_INTS', f'push d0 {BIG} copy d3 mult d5', expect='ok')
    run('mult_empty', 'OP_MULT_INTS', 'mult d1', expect='error')
    run('div_int', 'OP_DIV_INT', 'push d-7 div_int d2', expect='ok')
    run('div_int_zero', 'OP_DIV_INT', 'push d1 div_int d0', expect='error')
    run('div_int_empty_divisor', 'OP_DIV_INT', bytes.fromhex('020511' + '00'), expect='error')
    run('div_ints', 'OP_DIV_INTS', 'push d2 push d-7 div', expect='ok')
    run('div_ints_big', 'OP_DIV_INTS', f'push d-3 {BIG} div', expect='ok')
    run('div_ints_zero', 'OP_DIV_INTS', 'push d0 push d5 div', expect='error')
    run('mod_int', 'OP_MOD_INT', 'push d-7 mod_int d3', expect='ok')
    run('mod_int_zero', 'OP_MOD_INT', 'push d5 mod_int d0', expect='error')
    run('mod_ints', 'OP_MOD_INTS', 'push d3 push d-7 mod push d-3 push d7 mod', expect='ok')
    run('mod_ints_zero', 'OP_MOD_INTS', 'push d0 push d5 mod', expect='error')

    run('add_floats', 'OP_ADD_FLOATS', f'{Fl(1.5)} {Fl(2.25)} add_floats d2', expect='ok')
    run('add_floats_rounding', 'OP_ADD_FLOATS', f'{Fl(0.1)} {Fl(0.2)} {Fl(1e-8)} add_floats d3', expect='ok')
    run('add_floats_malformed', 'OP_ADD_FLOATS', 'push x01 push x01 add_floats d2', expect='error')
    run('add_floats_nan', 'OP_ADD_FLOATS', f'{Fl(float("inf"))} {Fl(float("-inf"))} add_floats d2', expect='error')
    run('add_floats_overflow', 'OP_ADD_FLOATS', f'{Fl(3e38)} {Fl(3e38)} add_floats d2', expect='error')
    run('add_floats_inf', 'OP_ADD_FLOATS', f'{Fl(float("inf"))} {Fl(1.0)} add_floats d2', expect='ok')
    run('subf', 'OP_SUBTRACT_FLOATS', f'{Fl(1.0)} {Fl(5.0)} subf d2', expect='ok')
    run('subf_malformed', 'OP_SUBTRACT_FLOATS', 'push x01 subf d1', expect='error')
    run('subf_nan', 'OP_SUBTRACT_FLOATS', f'{Fl(float("inf"))} {Fl(float("inf"))} subf d2', expect='error')
    div_f = lambda x: b'\x17' + struct.pack('!f', x)  # noqa: E731
    mod_f = lambda x: b'\x19' + struct.pack('!f', x)  # noqa: E731
    run('div_float', 'OP_DIV_FLOAT', [code(Fl(7.0), div_f(2.0))], expect='ok')
    run('div_float_zero', 'OP_DIV_FLOAT', [code(Fl(7.0), div_f(0.0))], expect='error')
    run('div_float_nan', 'OP_DIV_FLOAT', [code(Fl(float('nan')), div_f(2.0))], expect='error')
    run('div_float_malformed', 'OP_DIV_FLOAT', [code('push x01', div_f(2.0))], expect='error')
    run('div_float_short', 'OP_DIV_FLOAT', [code(Fl(1.0), b'\x17\x00')], expect='error')
    run('div_floats', 'OP_DIV_FLOATS', f'{Fl(2.0)} {Fl(7.0)} div_floats', expect='ok')
    run('div_floats_zero', 'OP_DIV_FLOATS', f'{Fl(0.0)} {Fl(7.0)} div_floats', expect='error')
    run('div_floats_malformed', 'OP_DIV_FLOATS', f'push x01 {Fl(7.0)} div_floats', expect='error')
    run('mod_float', 'OP_MOD_FLOAT', [code(Fl(-7.0), mod_f(3.0))], expect='ok')
    run('mod_float_negative_divisor', 'OP_MOD_FLOAT', [code(Fl(7.0), mod_f(-3.0), Fl(6.0), mod_f(-3.0))], expect='ok')
    run('mod_float_zero', 'OP_MOD_FLOAT', [code(Fl(7.0), mod_f(0.0))], expect='error')
    run('mod_float_nan', 'OP_MOD_FLOAT', [code(Fl(float('inf')), mod_f(3.0))], expect='error')
    run('mod_floats', 'OP_MOD_FLOATS', f'{Fl(-7.5)} {Fl(2.0)} mod_floats', expect='ok')
    run('mod_floats_zero', 'OP_MOD_FLOATS', f'{Fl(1.0)} {Fl(0.0)} mod_floats', expect='error')
    run('mod_floats_malformed', 'OP_MOD_FLOATS', 'push x0102 mod_floats', expect='error')
    run('fless', 'OP_FLOAT_LESS', f'{Fl(1.0)} {Fl(2.0)} fless {Fl(2.0)} {Fl(1.0)} fless', expect='ok')
    run('fless_malformed', 'OP_FLOAT_LESS', f'push x01 {Fl(1.0)} fless', expect='error')
    run('fleq', 'OP_FLOAT_LESS_OR_EQUAL', f'{Fl(1.0)} {Fl(1.0)} fleq', expect='ok')
    run('fleq_empty', 'OP_FLOAT_LESS_OR_EQUAL', f'{Fl(1.0)} fleq', expect='error')
    run('i2f', 'OP_INT_TO_FLOAT', f'push d-3 i2f {P(bytes.fromhex("7fffffffffffffff"))} i2f', expect='ok')
    run('i2f_empty', 'OP_INT_TO_FLOAT', 'i2f', expect='error')
    run('i2f_int_overflow', 'OP_INT_TO_FLOAT', f'{P(bytes([0x7f]) + bytes([0xff]) * 200)} i2f', expect='error')
    run('i2f_pack_overflow', 'OP_INT_TO_FLOAT', f'{P(bytes([0x01]) + bytes(25))} i2f', expect='error')
    run('f2i', 'OP_FLOAT_TO_INT', f'{Fl(-2.75)} f2i {Fl(3e38)} f2i {Fl(0.5)} f2i', expect='ok')
    run('f2i_inf', 'OP_FLOAT_TO_INT', f'{Fl(float("inf"))} f2i', expect='error')
    run('f2i_nan', 'OP_FLOAT_TO_INT', f'{Fl(float("nan"))} f2i', expect='error')
    run('f2i_malformed', 'OP_FLOAT_TO_INT', 'push x0102 f2i', expect='error')

    zero_pt = bytes(32)
    run('add_points', 'OP_ADD_POINTS', f'{P(VK_A)} {P(VK_B)} add_points d2', expect='ok')
    run('add_points_invalid', 'OP_ADD_POINTS', f'{P(VK_A)} {P(zero_pt)} add_points d2', expect='error')
    run('add_points_length', 'OP_ADD_POINTS', f'{P(VK_A)} push x01 add_points d2', expect='error')
    run('add_points_zero_count', 'OP_ADD_POINTS', 'add_points d0', expect='error')
    run('copy', 'OP_COPY', 'push x01 copy d2', expect='ok')
    run('copy_empty', 'OP_COPY', 'copy d1', expect='error')
    run('copy_full', 'OP_COPY', f'{FULL} copy d1', expect='error')
    run('dup', 'OP_DUP', 'push x01 dup', expect='ok')
    run('dup_empty', 'OP_DUP', 'dup', expect='error')
    run('sha256', 'OP_SHA256', 'push s"abc" sha256', expect='ok')
    run('sha256_empty', 'OP_SHA256', 'sha256', expect='error')
    run('shake256', 'OP_SHAKE256', 'push s"abc" shake256 d20 push s"abc" shake256 xc8', expect='ok')
    run('shake256_empty', 'OP_SHAKE256', 'shake256 d20', expect='error')
    run('shake256_short', 'OP_SHAKE256', bytes.fromhex('02011f'), expect='error')
    run('verify', 'OP_VERIFY', 'push x0001 verify', expect='ok')
    run('verify_false', 'OP_VERIFY', 'push x0000 verify', expect='error')
    run('verify_empty_item', 'OP_VERIFY', f'{EMPTY} verify', expect='error')
    run('equal', 'OP_EQUAL', 'push x01 push x01 equal push x01 push x0001 equal', expect='ok')
    run('equal_empty', 'OP_EQUAL', 'push x01 equal', expect='error')
    run('eqv', 'OP_EQUAL_VERIFY', 'push x01 push x01 equal_verify', expect='ok')
    run('eqv_mismatch', 'OP_EQUAL_VERIFY', 'push x01 push x02 equal_verify', expect='error')

    run('check_sig', 'OP_CHECK_SIG', f'{P(sig_a)} {P(VK_A)} check_sig x00', expect='ok')
    run('check_sig_wrong_key', 'OP_CHECK_SIG', f'{P(sig_a)} {P(VK_B)} check_sig x00', expect='ok')
    run('check_sig_sigflag', 'OP_CHECK_SIG', f'{P(sig_a_no2 + bytes([0x02]))} {P(VK_A)} check_sig x02', expect='ok')
    run('check_sig_zero_flag_byte', 'OP_CHECK_SIG', f'{P(sig_a + bytes([0]))} {P(VK_A)} check_sig x00', expect='ok',
        note='a 65-byte signature whose flag byte is 0 verifies like the 64-byte one: two encodings of one witness')
    run('check_sig_disallowed_flag', 'OP_CHECK_SIG', f'{P(sig_a_no2 + bytes([0x02]))} {P(VK_A)} check_sig x01', expect='error')
    run('check_sig_bad_vkey', 'OP_CHECK_SIG', f'{P(sig_a)} push x0102 check_sig x00', expect='error')
    run('check_sig_bad_sig', 'OP_CHECK_SIG', f'push x0102 {P(VK_A)} check_sig x00', expect='error')
    run('check_sig_empty', 'OP_CHECK_SIG', f'{P(VK_A)} check_sig x00', expect='error')
    run('check_sig_no_flags', 'OP_CHECK_SIG', f'{P(sig_a)} {P(VK_A)}', expect='ok')
    run('check_sig_message_too_large', 'OP_CHECK_SIG', f'{P(sig_a)} {P(VK_A)} check_sig x00', big_field,
        expect='error')
    run('check_sig_short', 'OP_CHECK_SIG', code(P(sig_a), P(VK_A)) + b'\x23', expect='error')
    run('csv', 'OP_CHECK_SIG_VERIFY', f'{P(sig_a)} {P(VK_A)} csv x00 true', expect='ok')
    run('csv_wrong', 'OP_CHECK_SIG_VERIFY', f'{P(sig_a)} {P(VK_B)} csv x00', expect='error')
    ts_cache = {**SIGFIELDS}
    run('cts', 'OP_CHECK_TIMESTAMP', f'{P((NOW - 5).to_bytes(4, "big"))} cts {P((NOW + 5).to_bytes(4, "big"))} cts',
        ts_cache, expect='ok')
    run('cts_future_cache', 'OP_CHECK_TIMESTAMP', 'push d1 cts push d1 cts', {**SIGFIELDS, 'timestamp': NOW + 60},
        expect='ok')
    run('cts_threshold_edge', 'OP_CHECK_TIMESTAMP', 'push d1 cts', {**SIGFIELDS, 'timestamp': NOW + 59}, expect='ok')
    run('cts_malformed', 'OP_CHECK_TIMESTAMP', f'{EMPTY} cts', expect='error')
    run('cts_cache_not_int', 'OP_CHECK_TIMESTAMP', 'push d1 cts', {**SIGFIELDS, 'timestamp': b'\x01'},
        expect='error')
    run('ctsv', 'OP_CHECK_TIMESTAMP_VERIFY', 'push d1 ctsv', expect='ok')
    run('ctsv_fail', 'OP_CHECK_TIMESTAMP_VERIFY', f'{P((NOW + 5).to_bytes(4, "big"))} ctsv', expect='error')
    run('check_epoch', 'OP_CHECK_EPOCH',
        f'{P((NOW + 59).to_bytes(4, "big"))} check_epoch {P((NOW + 60).to_bytes(4, "big"))} check_epoch', expect='ok')
    run('check_epoch_empty', 'OP_CHECK_EPOCH', 'check_epoch', expect='error')
    run('check_epoch_malformed', 'OP_CHECK_EPOCH', f'{EMPTY} check_epoch', expect='error')
    run('cev', 'OP_CHECK_EPOCH_VERIFY', 'push d1 cev', expect='ok')
    run('cev_fail', 'OP_CHECK_EPOCH_VERIFY', f'{P((NOW + 100).to_bytes(4, "big"))} cev', expect='error')

    run('def_call', 'OP_DEF', 'def 0 { push d1 } call d0 call d0', expect='ok')
    run('def_short', 'OP_DEF', bytes.fromhex('2900'), expect='error')
    run('def_overrun', 'OP_DEF', bytes.fromhex('29000005'), expect='error')
    run('call_missing', 'OP_CALL', 'call d1', expect='error')
    run('call_limit_sequential', 'OP_CALL', 'def 0 { } ' + 'call d0 ' * 129, expect='error',
        note='every OP_CALL on a tape counts towards callstack_limit, not only nested ones')
    run('call_128_sequential', 'OP_CALL', 'def 0 { } ' + 'call d0 ' * 128 + 'true', expect='ok')
    run('call_recursion', 'OP_CALL', 'def 0 { call d0 } call d0', expect='error')
    run('call_return', 'OP_CALL', 'def 0 { push x01 return push x02 } call d0 push x03', expect='ok')
    run('if_true', 'OP_IF', 'true if { push x01 }', expect='ok')
    run('if_false', 'OP_IF', 'false if { push x01 }', expect='ok')
    run('if_empty', 'OP_IF', 'if { push x01 }', expect='error')
    run('if_short', 'OP_IF', bytes.fromhex('012b0005'), expect='error')
    run('if_return', 'OP_IF', 'true if { push x01 return } push x02', expect='ok')
    run('if_def_scoped', 'OP_IF', 'true if { def 1 { push x01 } } call d1', expect='error',
        note='definitions made inside IF are dropped with its copy of the table')
    run('if_else_true', 'OP_IF_ELSE', 'true if { push x01 } else { push x02 }', expect='ok')
    run('if_else_false', 'OP_IF_ELSE', 'false if { push x01 } else { push x02 }', expect='ok')
    run('if_else_empty', 'OP_IF_ELSE', 'if { push x01 } else { push x02 }', expect='error')
    run('if_else_branch_error', 'OP_IF_ELSE', 'false if { push x01 } else { false verify }', expect='error')
    run('eval', 'OP_EVAL', f'{P(code("push x07 push x08"))} eval', expect='ok')
    run('eval_return', 'OP_EVAL', f'{P(code("push x07 return"))} eval push x09', expect='ok')
    run('eval_empty_script', 'OP_EVAL', f'{EMPTY} eval', expect='error')
    run('eval_empty_stack', 'OP_EVAL', 'eval', expect='error')
    run('eval_self_recursion', 'OP_EVAL', f'{P(code("dup eval"))} dup eval', expect='error')
    run('eval_inner_error', 'OP_EVAL', f'{P(code("false verify"))} eval', expect='error')
    run('not', 'OP_NOT', 'push x0f00 not', expect='ok')
    run('not_empty_item', 'OP_NOT', f'{EMPTY} not', expect='ok')
    run('not_empty', 'OP_NOT', 'not', expect='error')
    run('random', 'OP_RANDOM', 'push d8 random size push d0 random size', expect='ok')
    run('random_negative', 'OP_RANDOM', 'push d-1 random', expect='error')
    run('random_too_large', 'OP_RANDOM', f'{P(bytes([0x04, 0x01]))} random', expect='error')
    run('random_empty', 'OP_RANDOM', 'random', expect='error')
    run('return', 'OP_RETURN', 'push x01 return push x02', expect='ok')
    run('return_then_lock_if', 'OP_RETURN', ['true return', 'push x01 if { } push x02'], expect='ok',
        note='a witness ending in RETURN leaves "returned" in the cache, so the lock stops at its first IF')
    run('set_flag', 'OP_SET_FLAG', 'set_flag s"ts_threshold"', expect='error',
        note='flags are read as bytes but the flag table has str/int keys: no flag is ever recognised')
    run('set_flag_short', 'OP_SET_FLAG', bytes.fromhex('3105'), expect='error')
    run('unset_flag', 'OP_UNSET_FLAG', 'unset_flag s"ts_threshold" push x01', expect='ok')
    run('unset_flag_short', 'OP_UNSET_FLAG', bytes.fromhex('3205'), expect='error')
    run('depth', 'OP_DEPTH', 'push x01 push x02 depth', expect='ok')
    run('depth_full', 'OP_DEPTH', f'{FULL} depth', expect='error')
    run('swap', 'OP_SWAP', 'push x01 push x02 push x03 swap d0 d2 swap d1 d1', expect='ok')
    run('swap_out_of_range', 'OP_SWAP', 'push x01 swap d0 d1', expect='error')
    run('swap_short', 'OP_SWAP', bytes.fromhex('020134'), expect='error')
    run('swap2', 'OP_SWAP2', 'push x01 push x02 swap2', expect='ok')
    run('swap2_underflow', 'OP_SWAP2', 'push x01 swap2', expect='error')
    run('reverse', 'OP_REVERSE', 'push x01 push x02 push x03 push x04 reverse d3', expect='ok')
    run('reverse_underflow', 'OP_REVERSE', 'push x01 reverse d2', expect='error')
    run('concat', 'OP_CONCAT', 'push x01 push x0203 cat', expect='ok')
    run('concat_too_large', 'OP_CONCAT', f'{BIG} push x01 cat', expect='error')
    run('concat_underflow', 'OP_CONCAT', 'push x01 cat', expect='error')
    run('split', 'OP_SPLIT', 'push x010203 push d1 split push x0405 push d0 split', expect='ok')
    run('split_negative', 'OP_SPLIT', 'push x0102 push d-1 split', expect='error')
    run('split_index_too_large', 'OP_SPLIT', 'push x0102 push d2 split', expect='error')
    run('split_empty_index', 'OP_SPLIT', f'push x0102 {EMPTY} split', expect='error')
    run('concat_str', 'OP_CONCAT_STR', 'push s"ab" push s"cd" cats', expect='ok')
    run('concat_str_invalid_start', 'OP_CONCAT_STR', 'push xff push s"a" cats', expect='error')
    run('concat_str_truncated', 'OP_CONCAT_STR', 'push s"a" push xe282 cats', expect='error')
    run('concat_str_bad_continuation', 'OP_CONCAT_STR', 'push s"a" push xe28241 cats', expect='error')
    run('concat_str_surrogate', 'OP_CONCAT_STR', 'push s"a" push xeda080 cats', expect='error')
    heh = 'héllo ✓'.encode()
    run('split_str', 'OP_SPLIT_STR', f'{P(heh)} push d2 split_str', expect='ok')
    run('split_str_index_too_large', 'OP_SPLIT_STR', f'{P(heh)} push d7 split_str', expect='error')
    run('split_str_negative', 'OP_SPLIT_STR', f'{P(heh)} push d-2 split_str', expect='error')
    run('split_str_invalid', 'OP_SPLIT_STR', 'push xc328 push d1 split_str', expect='error')
    run('check_transfer_no_contract', 'OP_CHECK_TRANSFER',
        'push x0a push x0b push d1 push x01 push x02 push d5 push x63 check_transfer', expect='error')
    run('check_transfer_underflow', 'OP_CHECK_TRANSFER',
        'push x0a push d3 push x01 push x02 push d5 push x63 check_transfer', expect='error')
    tree = tapescript.make_script_tree_balanced(['true', 'false'])
    left = tree.left
    run('merkleval', 'OP_MERKLEVAL', [left.unlocking_script().bytes, tree.locking_script().bytes], expect='ok')
    run('merkleval_wrong_root', 'OP_MERKLEVAL',
        [left.unlocking_script().bytes, b'\x3c' + bytes(32)], expect='error')
    run('merkleval_underflow', 'OP_MERKLEVAL', ['push x01', tree.locking_script().bytes], expect='error')
    run('try_ok', 'OP_TRY_EXCEPT', 'try { push x01 } except { push x02 }', expect='ok')
    run('try_sert', 'OP_TRY_EXCEPT', 'try { push x01 false verify } except { read_cache s"E" }', expect='ok')
    run('try_key_error', 'OP_TRY_EXCEPT', 'try { call d5 } except { read_cache s"E" }', expect='ok')
    run('try_index_error', 'OP_TRY_EXCEPT', 'try { dup } except { read_cache s"E" }', expect='ok')
    run('try_unicode_error', 'OP_TRY_EXCEPT', 'try { push xff push s"a" cats } except { read_cache s"E" }',
        expect='ok')
    run('try_zero_division', 'OP_TRY_EXCEPT', 'try { push d0 push d1 div } except { read_cache s"E" }', expect='ok')
    run('try_nacl_type_error', 'OP_TRY_EXCEPT', 'try { push x01 derive_point } except { read_cache s"E" }',
        expect='ok')
    run('try_except_fails', 'OP_TRY_EXCEPT', 'try { false verify } except { false verify }', expect='error')
    run('try_short', 'OP_TRY_EXCEPT', bytes.fromhex('3d0001'), expect='error')
    run('try_return', 'OP_TRY_EXCEPT', 'try { return } except { } push x01', expect='ok')
    run('less', 'OP_LESS', 'push d1 push d2 less push d2 push d1 less', expect='ok')
    run('less_empty', 'OP_LESS', 'push d1 less', expect='error')
    run('leq', 'OP_LESS_OR_EQUAL', 'push d2 push d2 leq push d-1 push d0 leq', expect='ok')
    run('leq_empty_item', 'OP_LESS_OR_EQUAL', f'push d1 {EMPTY} leq', expect='error')
    run('get_value', 'OP_GET_VALUE', 'val s"sigfield1" val s"sigfield3" val s"timestamp"', expect='ok')
    run('get_value_missing', 'OP_GET_VALUE', 'val s"nope"', expect='error')
    run('get_value_bad_utf8', 'OP_GET_VALUE', bytes.fromhex('4001ff'), expect='error')
    run('get_value_returned', 'OP_GET_VALUE', ['return', 'val s"returned" depth'], expect='ok',
        note='"returned" holds True, a bool: OP_GET_VALUE pushes nothing for it')
    run('loop', 'OP_LOOP', 'push d3 loop { push d-1 add_ints d2 dup }', expect='ok')
    run('loop_false', 'OP_LOOP', 'false loop { push x01 }', expect='ok')
    run('loop_limit', 'OP_LOOP', 'true loop { }', expect='error')
    run('loop_empty', 'OP_LOOP', 'loop { }', expect='error')
    run('loop_return', 'OP_LOOP', 'true loop { push x02 return } push x03', expect='ok')

    sig_b = sig(SEED_B, msg_all)
    sig_c = sig(SEED_C, msg_all)
    ms_keys = f'{P(VK_A)} {P(VK_B)} {P(VK_C)}'
    run('cms_2_of_3', 'OP_CHECK_MULTISIG', f'{P(sig_c)} {P(sig_a)} {ms_keys} cms x00 d2 d3', expect='ok')
    run('cms_missing_sig', 'OP_CHECK_MULTISIG', f'{P(sig_c)} {P(sig_c[::-1])} {ms_keys} cms x00 d2 d3', expect='ok')
    run('cms_duplicate_sig', 'OP_CHECK_MULTISIG', f'{P(sig_a)} {P(sig_a)} {ms_keys} cms x00 d2 d3', expect='ok',
        note='a repeated signature counts once (a set), so 2-of-3 fails')
    run('cms_bad_vkey', 'OP_CHECK_MULTISIG', f'{P(sig_a)} push x01 cms x00 d1 d1', expect='error')
    run('cms_underflow', 'OP_CHECK_MULTISIG', f'{ms_keys} cms x00 d2 d3', expect='error')
    run('cms_short', 'OP_CHECK_MULTISIG', bytes.fromhex('4600'), expect='error')
    run('cmsv', 'OP_CHECK_MULTISIG_VERIFY', f'{P(sig_b)} {ms_keys} cmsv x00 d1 d3 true', expect='ok')
    run('cmsv_fail', 'OP_CHECK_MULTISIG_VERIFY', f'{P(sig_b)} {P(VK_A)} cmsv x00 d1 d1', expect='error')
    run('sign', 'OP_SIGN', f'{P(SEED_A)} sign x00 {P(SEED_A)} sign x01', expect='ok')
    run('sign_bad_seed', 'OP_SIGN', 'push x0102 sign x00', expect='error')
    run('sign_short', 'OP_SIGN', code(P(SEED_A)) + b'\x48', expect='error')
    run('sign_too_large', 'OP_SIGN', f'{P(SEED_A)} sign x00', big_field, expect='error')
    run('sign_stack', 'OP_SIGN_STACK', f'push s"msg" {P(SEED_A)} sign_stack', expect='ok')
    run('sign_stack_bad_seed', 'OP_SIGN_STACK', 'push s"msg" push x01 sign_stack', expect='error')
    ss = sig(SEED_A, b'msg')
    run('css', 'OP_CHECK_SIG_STACK', f'{P(ss)} push s"msg" {P(VK_A)} css {P(ss)} push s"msh" {P(VK_A)} css', expect='ok')
    run('css_bad_vkey', 'OP_CHECK_SIG_STACK', f'{P(ss)} push s"msg" push x01 css', expect='error')
    run('css_bad_sig', 'OP_CHECK_SIG_STACK', f'push x01 push s"msg" {P(VK_A)} css', expect='error')
    run('css_invalid_key', 'OP_CHECK_SIG_STACK', f'{P(ss)} push s"msg" {P(bytes(32))} css', expect='ok')
    run('derive_scalar', 'OP_DERIVE_SCALAR', f'{P(SEED_A)} derive_scalar push s"short" derive_scalar', expect='ok')
    run('derive_scalar_empty', 'OP_DERIVE_SCALAR', 'derive_scalar', expect='error')
    run('clamp_scalar', 'OP_CLAMP_SCALAR', f'{P(bytes([0xff]) * 40)} clamp_scalar x00 {P(bytes([0xff]) * 32)} clamp_scalar x01',
        expect='ok')
    run('clamp_scalar_short', 'OP_CLAMP_SCALAR', 'push x01 clamp_scalar x00', expect='error')
    x_a = F.derive_key_from_seed(SEED_A)
    x_b = F.derive_key_from_seed(SEED_B)
    run('add_scalars', 'OP_ADD_SCALARS', f'{P(x_a)} {P(x_b)} add_scalars d2', expect='ok')
    run('add_scalars_single_short', 'OP_ADD_SCALARS', 'push x01 add_scalars d1', expect='ok',
        note='one "scalar" is returned as is, whatever its length')
    run('add_scalars_zero', 'OP_ADD_SCALARS', 'add_scalars d0', expect='error')
    run('add_scalars_length', 'OP_ADD_SCALARS', f'{P(x_a)} push x01 add_scalars d2', expect='error')
    run('sub_scalars', 'OP_SUBTRACT_SCALARS', f'{P(x_a)} {P(x_b)} subtract_scalars d2', expect='ok')
    run('sub_scalars_length', 'OP_SUBTRACT_SCALARS', f'push x01 {P(x_b)} subtract_scalars d2', expect='error')
    run('derive_point', 'OP_DERIVE_POINT', f'{P(x_a)} derive_point', expect='ok')
    run('derive_point_zero', 'OP_DERIVE_POINT', f'{P(bytes(32))} derive_point', expect='error')
    run('derive_point_length', 'OP_DERIVE_POINT', 'push x01 derive_point', expect='error')
    run('sub_points', 'OP_SUBTRACT_POINTS', f'{P(VK_A)} {P(VK_B)} subtract_points d2', expect='ok')
    run('sub_points_invalid', 'OP_SUBTRACT_POINTS', f'{P(VK_A)} {P(bytes([2]) + bytes(31))} subtract_points d2',
        expect='error')
    run('sub_points_length', 'OP_SUBTRACT_POINTS', f'{P(VK_A)} push x01 subtract_points d2', expect='error')

    # adapter signatures: values from the VM itself, then checked and decrypted
    t = F.clamp_scalar(bytes(range(100, 132)))
    T = F.derive_point_from_scalar(t)
    _, st, _ = tapescript.run_script(code(f'push s"hello" {P(t)} {P(SEED_A)} masv'))
    T2, R, sa = st.list()
    assert T2 == T
    run('masv', 'OP_MAKE_ADAPTER_SIG_PRIVATE', f'push s"hello" {P(t)} {P(SEED_A)} masv', expect='ok')
    run('masv_short_t', 'OP_MAKE_ADAPTER_SIG_PRIVATE', f'push s"hello" push x01 {P(SEED_A)} masv', expect='error')
    run('masu', 'OP_MAKE_ADAPTER_SIG_PUBLIC', f'{P(SEED_A)} push s"hello" {P(T)} masu', expect='ok')
    run('masu_invalid_T', 'OP_MAKE_ADAPTER_SIG_PUBLIC', f'{P(SEED_A)} push s"hello" {P(bytes(32))} masu',
        expect='error')
    _, st, _ = tapescript.run_script(code(f'{P(SEED_A)} push s"hello" {P(T)} masu'))
    R_u, sa_u = st.list()
    run('cas', 'OP_CHECK_ADAPTER_SIG',
        f'{P(sa_u)} {P(R_u)} push s"hello" {P(T)} {P(VK_A)} cas {P(sa_u)} {P(R_u)} push s"hellp" {P(T)} {P(VK_A)} cas',
        expect='ok')
    run('cas_length', 'OP_CHECK_ADAPTER_SIG', f'push x01 {P(R_u)} push s"hello" {P(T)} {P(VK_A)} cas', expect='error')
    run('das', 'OP_DECRYPT_ADAPTER_SIG', f'{P(sa)} {P(R)} {P(t)} das', expect='ok')
    run('das_short_t', 'OP_DECRYPT_ADAPTER_SIG', f'{P(sa)} {P(R)} push x01 das', expect='error')
    run('invoke', 'OP_INVOKE', 'push x01 push x0203 push d2 push s"inv" invoke', expect='ok', contracts=True)
    run('invoke_none', 'OP_INVOKE', 'push d0 push s"inv" invoke depth', expect='ok', contracts=True)
    run('invoke_underflow', 'OP_INVOKE', 'push x01 push d3 push s"inv" invoke', expect='error', contracts=True)
    run('check_transfer', 'OP_CHECK_TRANSFER',
        'push s"okA>D" push s"okB>D" push s"B" push s"A" push d2 push s"D" push s"ok" push d20 push s"led" '
        'check_transfer', expect='ok', contracts=True)
    run('check_transfer_short', 'OP_CHECK_TRANSFER',
        'push s"okA>D" push s"A" push d1 push s"D" push x00 push d20 push s"led" check_transfer',
        expect='ok', contracts=True)
    run('check_transfer_wrong_interface', 'OP_CHECK_TRANSFER',
        'push d0 push s"D" push x00 push d0 push s"inv" check_transfer', expect='error', contracts=True)
    run('invoke_no_contract', 'OP_INVOKE', 'push x01 push d1 push x63 invoke', expect='error')
    run('invoke_negative', 'OP_INVOKE', 'push d-1 push x63 invoke', expect='error')
    run('xor', 'OP_XOR', 'push x0f0f push xff xor', expect='ok')
    run('xor_empty', 'OP_XOR', 'push x01 xor', expect='error')
    run('or', 'OP_OR', 'push x0f push xf000 or', expect='ok')
    run('or_empty', 'OP_OR', 'or', expect='error')
    run('and', 'OP_AND', 'push x0f0f push xff and', expect='ok')
    run('and_empty', 'OP_AND', 'push x01 and', expect='error')
    run('ct', 'OP_CHECK_TEMPLATE', f'{P(SIGFIELDS["sigfield2"])} {P(SIGFIELDS["sigfield1"])} ct x03 '
        f'{P(SIGFIELDS["sigfield1"])} push x00 ct x05', expect='ok')
    run('ct_missing_field', 'OP_CHECK_TEMPLATE', 'push x01 ct x10', expect='error')
    run('ct_underflow', 'OP_CHECK_TEMPLATE', 'ct x01', expect='error')
    run('ct_field_too_large', 'OP_CHECK_TEMPLATE', 'push x01 ct x01', big_field, expect='error')
    run('ctv', 'OP_CHECK_TEMPLATE_VERIFY', f'{P(SIGFIELDS["sigfield1"])} ctv x01 true', expect='ok')
    run('ctv_fail', 'OP_CHECK_TEMPLATE_VERIFY', 'push x01 ctv x01', expect='error')

    inner = tapescript.make_single_sig_lock(VK_B)
    tr_lock = tapescript.make_taproot_lock(VK_A, script=inner)
    tr_ks = tapescript.make_taproot_witness_keyspend(SEED_A, dict(SIGFIELDS), committed_script=inner)
    tr_ss = tapescript.make_taproot_witness_scriptspend(VK_A, inner)
    run('taproot_keyspend', 'OP_TAPROOT', [tr_ks.bytes, tr_lock.bytes], expect='ok')
    run('taproot_scriptspend', 'OP_TAPROOT', [P(sig_b) and code(P(sig_b)) + tr_ss.bytes, tr_lock.bytes], expect='ok')
    run('taproot_wrong_script', 'OP_TAPROOT',
        [code(P(sig_b)) + tapescript.make_taproot_witness_scriptspend(VK_A, Script.from_src('true')).bytes,
         tr_lock.bytes], expect='ok')
    run('taproot_root_length', 'OP_TAPROOT', 'push x01 push x0102 tr x00', expect='error')
    run('taproot_empty', 'OP_TAPROOT', f'{P(VK_A)} tr x00', expect='error')
    run('taproot_invalid_pubkey', 'OP_TAPROOT', f'push x01 {P(bytes(32))} {P(VK_A)} tr x00', expect='error')
    run('nop', 'NOP', 'push x01 push x02 push x03 NOP92 d2 NOP255 d0', expect='ok')
    run('nop_negative', 'NOP', bytes.fromhex('5cff'), expect='error')
    run('nop_underflow', 'NOP', 'NOP200 d1', expect='error')
    run('nop_short', 'NOP', b'\x5d', expect='error')
    return tree


def auth(name: str, scripts: list[bytes], sigfields: dict, note: str | None = None):
    got = tapescript.run_auth_scripts(scripts, sigfields)
    v = {'name': f'tapescript/auth/{name}', 'kind': 'tapescript.auth',
         'input': {'scripts_hex': [s.hex() for s in scripts],
                   'sigfields': {k: v.hex() for k, v in sigfields.items()}},
         'expected': got}
    if note:
        v['note'] = note
    VECTORS.append(v)


def tool(name: str, inputs: dict, output: bytes):
    VECTORS.append({'name': f'tapescript/tool/{name}', 'kind': 'tapescript.tool',
                    'tool': name.split('#')[0], 'input': inputs, 'expected_hex': output.hex()})


def gen_tools_and_auth():
    sf = dict(SIGFIELDS)
    sf_json = {k: v.hex() for k, v in sf.items()}
    lock = tapescript.make_single_sig_lock(VK_A)
    tool('make_single_sig_lock', {'pubkey_hex': VK_A.hex(), 'sigflags': 0}, lock.bytes)
    tool('make_single_sig_lock#flags', {'pubkey_hex': VK_A.hex(), 'sigflags': 2},
         tapescript.make_single_sig_lock(VK_A, '02').bytes)
    w = tapescript.make_single_sig_witness(SEED_A, sf)
    tool('make_single_sig_witness', {'seed_hex': SEED_A.hex(), 'sigfields': sf_json, 'sigflags': 0}, w.bytes)
    w2 = tapescript.make_single_sig_witness(SEED_A, sf, '02')
    tool('make_single_sig_witness#flags', {'seed_hex': SEED_A.hex(), 'sigfields': sf_json, 'sigflags': 2}, w2.bytes)
    ms = tapescript.make_multisig_lock([VK_A, VK_B, VK_C], 2)
    tool('make_multisig_lock', {'pubkeys_hex': [VK_A.hex(), VK_B.hex(), VK_C.hex()], 'quorum': 2, 'sigflags': 0},
         ms.bytes)
    inner = tapescript.make_single_sig_lock(VK_B)
    tr = tapescript.make_taproot_lock(VK_A, script=inner)
    tool('make_taproot_lock', {'pubkey_hex': VK_A.hex(), 'committed_script_hex': inner.bytes.hex(),
                               'sigflags': 0}, tr.bytes)
    ks = tapescript.make_taproot_witness_keyspend(SEED_A, sf, committed_script=inner)
    tool('make_taproot_witness_keyspend', {'seed_hex': SEED_A.hex(), 'sigfields': sf_json,
                                           'committed_script_hex': inner.bytes.hex(), 'sigflags': 0}, ks.bytes)
    ks2 = tapescript.make_taproot_witness_keyspend(SEED_A, sf, committed_script=inner, sigflags='04')
    tool('make_taproot_witness_keyspend#flags', {'seed_hex': SEED_A.hex(), 'sigfields': sf_json,
                                                 'committed_script_hex': inner.bytes.hex(), 'sigflags': 4}, ks2.bytes)
    ss = tapescript.make_taproot_witness_scriptspend(VK_A, inner)
    tool('make_taproot_witness_scriptspend', {'pubkey_hex': VK_A.hex(), 'committed_script_hex': inner.bytes.hex()},
         ss.bytes)
    # key delegation (netaio's custom witness function test): certs valid around NOW
    root_vk = VK_C
    c1 = tapescript.make_delegate_key_cert(SEED_C, VK_A, NOW - 120, NOW + 120)
    c2 = tapescript.make_delegate_key_cert(SEED_A, VK_B, NOW - 120, NOW + 120)
    tool('make_delegate_key_cert', {'root_seed_hex': SEED_C.hex(), 'delegate_pubkey_hex': VK_A.hex(),
                                    'begin_ts': NOW - 120, 'end_ts': NOW + 120, 'can_further_delegate': True},
         c1.pack())
    c_term = tapescript.make_delegate_key_cert(SEED_C, VK_A, 5, 2**31 - 1, False)
    tool('make_delegate_key_cert#terminal', {'root_seed_hex': SEED_C.hex(), 'delegate_pubkey_hex': VK_A.hex(),
                                             'begin_ts': 5, 'end_ts': 2**31 - 1, 'can_further_delegate': False},
         c_term.pack())
    chain_lock = tapescript.make_delegate_key_chain_lock(root_vk)
    tool('make_delegate_key_chain_lock', {'pubkey_hex': root_vk.hex(), 'sigflags': 0}, chain_lock.bytes)
    tool('make_delegate_key_chain_lock#flags', {'pubkey_hex': root_vk.hex(), 'sigflags': 6},
         tapescript.make_delegate_key_chain_lock(root_vk, '06').bytes)
    cw = tapescript.make_delegate_key_chain_witness(SEED_B, [c2, c1], sf)
    tool('make_delegate_key_chain_witness', {'seed_hex': SEED_B.hex(), 'sigfields': sf_json, 'sigflags': 0,
                                             'certs_hex': [c2.pack().hex(), c1.pack().hex()]}, cw.bytes)
    run('delegate_chain_two_certs', 'OP_CALL', [cw.bytes, chain_lock.bytes], sf, expect='ok',
        note="netaio's custom witness test: root -> A -> B, B signs; recursion through OP_CALL")
    cw1 = tapescript.make_delegate_key_chain_witness(SEED_A, [c1], sf)
    run('delegate_chain_one_cert', 'OP_CALL', [cw1.bytes, chain_lock.bytes], sf, expect='ok')
    old_certs = [tapescript.make_delegate_key_cert(SEED_C, VK_A, NOW - 500, NOW - 100)]
    run('delegate_chain_expired', 'OP_CHECK_TIMESTAMP',
        [tapescript.make_delegate_key_chain_witness(SEED_A, old_certs, sf).bytes, chain_lock.bytes], sf,
        expect='error')
    run('delegate_chain_terminal_cert', 'OP_IF_ELSE',
        [tapescript.make_delegate_key_chain_witness(
            SEED_B, [c2, tapescript.make_delegate_key_cert(SEED_C, VK_A, NOW - 120, NOW + 120, False)], sf).bytes,
         chain_lock.bytes], sf, expect='error',
        note='A may not delegate: the chain stops at A, whose check_sig meets the next cert instead of a signature')
    run('delegate_chain_wrong_signer', 'OP_CHECK_SIG',
        [tapescript.make_delegate_key_chain_witness(SEED_C, [c2, c1], sf).bytes, chain_lock.bytes], sf, expect='ok')

    for value in [0, 1, -1, 127, 128, -128, -129, 255, 256, 2**63 - 1, 2**63, -2**63, 2**64 - 1,
                  2**53 + 1, 2**56 - 1, 2**63 - 23040, 2**63 - 23041, 2**1024 - 1, -(2**1023) - 1, 2**2000 - 2**1900, 2**2047 - 1]:
        VECTORS.append({'name': f'tapescript/int_to_bytes/{value if abs(value) < 2**70 else hex(value)[:12]}',
                        'kind': 'tapescript.int_to_bytes', 'input_hex_twos': None,
                        'input_decimal': str(value), 'expected_hex': F.int_to_bytes(value).hex()})

    other = {**sf, 'sigfield1': b'hello worle'}
    auth('single_sig', [w.bytes, lock.bytes], sf)
    auth('single_sig_tampered_body', [w.bytes, lock.bytes], other)
    auth('single_sig_wrong_lock', [w.bytes, tapescript.make_single_sig_lock(VK_B).bytes], sf)
    auth('single_sig_flagged_witness_strict_lock', [w2.bytes, lock.bytes], sf)
    auth('single_sig_flagged', [w2.bytes, tapescript.make_single_sig_lock(VK_A, '02').bytes],
         {**sf, 'sigfield2': b'anything'}, note='sigflag 02 leaves the nonce unsigned')
    auth('taproot_keyspend', [ks.bytes, tr.bytes], sf)
    auth('taproot_keyspend_tampered', [ks.bytes, tr.bytes], other)
    sig_b = sig(SEED_B, b''.join(sf.values()))
    auth('taproot_scriptspend', [code(P(sig_b)) + ss.bytes, tr.bytes], sf)
    auth('taproot_scriptspend_tampered', [code(P(sig_b)) + ss.bytes, tr.bytes], other)
    sig_a = sig(SEED_A, b''.join(sf.values()))
    sig_c = sig(SEED_C, b''.join(sf.values()))
    auth('multisig_2_of_3', [code(P(sig_c), P(sig_a)), ms.bytes], sf)
    auth('multisig_1_of_3', [code(P(sig_a)), ms.bytes], sf)
    auth('empty_witness', [b'', lock.bytes], sf)
    auth('witness_only_true', [code('true'), b''], sf)
    auth('two_items_left', [code('true true'), b''], sf)
    auth('return_bypasses_lock_after_if', [code('true return'), code('push x01 if { } ') + lock.bytes], sf,
         note='RETURN in the witness makes the lock stop at its first IF: the signature check never runs')
    auth('return_does_not_bypass_plain_lock', [code('true return'), lock.bytes], sf)
    auth('big_message', [w.bytes, lock.bytes], {**sf, 'sigfield1': b'z' * 1005},
         note='sigfields of more than 1024 bytes cannot be checked')


def gen_plugin():
    """The netaio plugin: make (fixed nonce and clock) and check, tampering, peer lock."""
    from netaio import AuthFields, Body, DefaultPeerPlugin, Message, MessageType, Peer
    from netaio import asymmetric as A

    nonce = bytes(range(0x10, 0x20))

    class Q:
        def __init__(self):
            self.calls = 0

        def __call__(self, n):
            self.calls += 1
            return nonce

    def made(plugin, body: Body, fields: dict | None = None):
        m = Message.prepare(body, MessageType.PUBLISH_URI, AuthFields(dict(fields or {})))
        old_u, old_t = A.urandom, A.time
        A.urandom, A.time = Q(), (lambda: NOW)
        try:
            plugin.make(m.auth_data, m.body)
        finally:
            A.urandom, A.time = old_u, old_t
        return m

    from oracle import tv  # the typed JSON of packify values (scripts/python/oracle.py)

    lock_a = tapescript.make_single_sig_lock(VK_A)
    lock_b = tapescript.make_single_sig_lock(VK_B)
    single = A.TapescriptAuthPlugin({'lock': lock_a, 'seed': SEED_A})
    inner = tapescript.make_single_sig_lock(VK_B)
    taproot = A.TapescriptAuthPlugin({
        'lock': tapescript.make_taproot_lock(VK_A, script=inner), 'seed': SEED_A,
        'witness_func': lambda seed, sigfields: tapescript.make_taproot_witness_keyspend(
            seed, sigfields, committed_script=inner)})
    renamed = A.TapescriptAuthPlugin({'lock': lock_a, 'seed': SEED_A, 'nonce_field': 'n2',
                                      'ts_field': 't2', 'witness_field': 'w2'})
    bodies = [Body.prepare(b'hello world', b'123'), Body.prepare(b'', b''),
              Body.prepare(bytes(range(256)) * 3, b'uri/' * 10)]
    for pname, plugin, cfg in (('single_sig', single, {'kind': 'single_sig'}),
                               ('taproot_keyspend', taproot, {'kind': 'taproot_keyspend',
                                                              'committed_script_hex': inner.bytes.hex()}),
                               ('renamed_fields', renamed, {'kind': 'single_sig', 'nonce_field': 'n2',
                                                            'ts_field': 't2', 'witness_field': 'w2'})):
        for i, body in enumerate(bodies):
            m = made(plugin, body)
            assert plugin.check(m.auth_data, m.body)
            VECTORS.append({'name': f'tapescript/plugin/make_{pname}_{i}', 'kind': 'tapescript.plugin.make',
                            'input': {'seed_hex': SEED_A.hex(), 'config': cfg, 'nonce_hex': nonce.hex(),
                                      'time': NOW, 'uri_hex': body.uri.hex(), 'content_hex': body.content.hex(),
                                      'lock_hex': bytes(plugin.lock).hex()},
                            'expected_auth_fields': tv(m.auth_data.fields), 'expected_hex': m.encode().hex()})

    # make with existing fields: any nonce is reused, ts as int or bytes
    for name, fields in (('existing_short_nonce', {'nonce': b'\x01\x02'}),
                         ('existing_int_ts', {'ts': 1234}),
                         ('existing_bytes_ts', {'ts': b'\x00\x00\x01\x00'}),
                         ('existing_other_field', {'other': b'x'})):
        m = made(single, bodies[0], fields)
        VECTORS.append({'name': f'tapescript/plugin/make_{name}', 'kind': 'tapescript.plugin.make',
                        'input': {'seed_hex': SEED_A.hex(), 'config': {'kind': 'single_sig'},
                                  'nonce_hex': nonce.hex(), 'time': NOW, 'existing_fields': tv(fields),
                                  'uri_hex': bodies[0].uri.hex(), 'content_hex': bodies[0].content.hex(),
                                  'lock_hex': lock_a.bytes.hex()},
                        'expected_auth_fields': tv(m.auth_data.fields), 'expected_hex': m.encode().hex()})
    # make fails when the sigfields exceed the stack item size
    big = Body.prepare(b'q' * 1002, b'u')
    try:
        made(single, big)
        raise AssertionError('expected failure')
    except tapescript.ScriptExecutionError as e:
        VECTORS.append({'name': 'tapescript/plugin/make_body_too_large', 'kind': 'tapescript.plugin.make_error',
                        'input': {'seed_hex': SEED_A.hex(), 'nonce_hex': nonce.hex(), 'time': NOW,
                                  'uri_hex': big.uri.hex(), 'content_hex': big.content.hex()},
                        'expected_error': {'class': type(e).__name__, 'message': str(e)},
                        'note': 'body.encode() + 20 bytes must fit a 1024-byte stack item'})
    largest = Body.prepare(b'q' * (1004 - 2 - 1), b'u')
    assert len(largest.encode()) == 1004
    m = made(single, largest)
    assert single.check(m.auth_data, m.body)

    # check: the good frame and tampered variants
    good = made(single, bodies[0])
    pp = DefaultPeerPlugin()

    def chk(name, fields, body, plugin_cfg, peer_data=None, note=None):
        plugin = A.TapescriptAuthPlugin({'lock': lock_b if plugin_cfg.get('lock') == 'b' else lock_a,
                                         'seed': SEED_A, 'use_peer_lock': plugin_cfg.get('use_peer_lock', False)})
        peer = None
        if peer_data is not None:
            peer = Peer(set(), b'P', pp.encode_data(peer_data))
        got = plugin.check(AuthFields(dict(fields)), body, peer=peer, peer_plugin=pp if peer else None)
        v = {'name': f'tapescript/plugin/check_{name}', 'kind': 'tapescript.plugin.check',
             'input': {'fields': tv(fields), 'uri_hex': body.uri.hex(), 'content_hex': body.content.hex(),
                       'lock': 'b' if plugin_cfg.get('lock') == 'b' else 'a',
                       'use_peer_lock': plugin_cfg.get('use_peer_lock', False),
                       'peer_data_hex': None if peer is None else peer.data.hex()},
             'expected': got}
        if note:
            v['note'] = note
        VECTORS.append(v)

    f = dict(good.auth_data.fields)
    chk('good', f, bodies[0], {})
    chk('tampered_body', f, Body.prepare(b'hello worle', b'123'), {})
    chk('tampered_uri', f, Body.prepare(b'hello world', b'124'), {})
    chk('tampered_nonce', {**f, 'nonce': bytes(16)}, bodies[0], {})
    chk('tampered_ts', {**f, 'ts': (NOW + 1).to_bytes(4, 'big')}, bodies[0], {})
    chk('ts_as_int', {**f, 'ts': NOW}, bodies[0], {}, note='an int ts is encoded as 4 bytes')
    chk('ts_zero', {**f, 'ts': 0}, bodies[0], {})
    chk('ts_missing', {k: v for k, v in f.items() if k != 'ts'}, bodies[0], {})
    chk('nonce_missing', {k: v for k, v in f.items() if k != 'nonce'}, bodies[0], {})
    chk('witness_missing', {k: v for k, v in f.items() if k != 'witness'}, bodies[0], {})
    chk('witness_flipped', {**f, 'witness': f['witness'][:-1] + bytes([f['witness'][-1] ^ 1])}, bodies[0], {})
    chk('witness_true', {**f, 'witness': code('true')}, bodies[0], {},
        note='the lock still runs after the witness: true + check_sig leaves 2 items')
    chk('wrong_lock', f, bodies[0], {'lock': 'b'})
    chk('peer_lock_used', f, bodies[0], {'lock': 'b', 'use_peer_lock': True}, {'lock': lock_a.bytes})
    chk('peer_lock_wrong', f, bodies[0], {'use_peer_lock': True}, {'lock': lock_b.bytes})
    chk('peer_lock_absent', f, bodies[0], {'use_peer_lock': True}, {'pubkey': b'x' * 32})
    chk('peer_lock_off', f, bodies[0], {'use_peer_lock': False}, {'lock': lock_b.bytes})
    chk('return_bypass', {**f, 'witness': code('true return')}, bodies[0], {}, note='single-sig lock: no bypass')


def coverage():
    names = [n for n, _ in F.opcodes.values()]
    runs = [v for v in VECTORS if v['kind'] == 'tapescript.run']
    missing = []
    for n in names + ['NOP']:
        paths = {v['path'] for v in runs if v['op'] == n}
        if n == 'OP_RETURN':
            paths.add('error')  # RETURN itself cannot fail
        if n == 'OP_SET_FLAG':
            paths.add('ok')     # SET_FLAG always fails (see its vector's note)
        if paths != {'ok', 'error'}:
            missing.append((n, paths))
    assert not missing, missing


def generate() -> list[dict]:
    VECTORS.clear()
    old_time = F.time
    F.time = lambda: NOW
    try:
        gen_opcodes()
        gen_tools_and_auth()
        gen_plugin()
    finally:
        F.time = old_time
    coverage()
    return list(VECTORS)
