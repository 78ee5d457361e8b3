"""Shared pieces of the Python netaio peers (serve.py, node.py, client.py).

Everything here is built from the real netaio 0.0.9 classes; nothing on the wire is
hand-made.  See README.md in this folder for the command-line interface.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import socket
import sys

from netaio import (
    DefaultPeerPlugin,
    HMACAuthPlugin,
    Message,
    MessageType,
    Peer,
    Sha256StreamCipherPlugin,
)
from netaio.common import Body

# Same values as Sources/NetaioCLI/ExitCodes.swift (the Swift `netaio` CLI).
EXIT_OK = 0
EXIT_ERROR_REPLY = 1
EXIT_TIMEOUT = 2
EXIT_CONNECTION_FAILED = 3
EXIT_USAGE = 64
EXIT_NO_INPUT = 66

# Types whose replies a well-behaved node never answers: the Swift engine's
# `isSilentType` (docs/differences.md, Q1).  netaio answers them, which makes two
# default UDP nodes bounce NOT_FOUND forever.
def is_silent_type(message_type: int) -> bool:
    try:
        name = MessageType(message_type).name
    except ValueError:
        return False
    return name in ("NOT_FOUND", "NOT_PERMITTED") or "ERROR" in name


def silence_netaio_logs(verbose: bool) -> None:
    """netaio logs to stderr at INFO/WARNING; keep stderr for our own diagnostics."""
    level = logging.DEBUG if verbose else logging.CRITICAL
    for name in ("netaio", "netaio.server", "netaio.client", "netaio.node"):
        logging.getLogger(name).setLevel(level)
    logging.basicConfig(level=level, stream=sys.stderr)


class UsageError(Exception):
    """A bad command line: exit EXIT_USAGE with one line on stderr."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse that exits with EXIT_USAGE (64) like the Swift CLI, not argparse's 2
    (which is our timeout code)."""

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        sys.exit(EXIT_USAGE)


def add_plugin_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hmac-secret", metavar="S",
                        help="outer HMACAuthPlugin({'secret': S}) on every message")
    parser.add_argument("--cipher-key", metavar="K",
                        help="outer Sha256StreamCipherPlugin({'key': K}) on every message "
                             "(encrypt_uri true, netaio's default)")
    parser.add_argument("--tapescript-seed", metavar="HEX64",
                        help="outer netaio.asymmetric.TapescriptAuthPlugin instead of HMAC: "
                             "netaio's README set-up, a single-signature lock on this Ed25519 "
                             "seed's verify key and witnesses signed with the seed")
    parser.add_argument("--tapescript-lock", metavar="HEX",
                        help="with --tapescript-seed: check against this lock (byte code) instead")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="netaio's debug log on stderr")


def add_peer_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--peer-id", metavar="ID",
                        help="local peer id, its UTF-8 bytes (default: 16 random bytes as 32 hex characters, "
                             "as `netaio serve`)")
    parser.add_argument("--print-peers", action="store_true",
                        help="print `peer up ID HOST:PORT` / `peer down ID` lines as the peer table changes")


def parse_once(texts: list[str]) -> list[tuple[bytes, bytes]]:
    """`--once URI=TEXT` values."""
    pairs = []
    for text in texts:
        uri, sep, answer = text.partition("=")
        if not sep:
            raise UsageError(f"--once expects URI=TEXT, got {text!r}")
        pairs.append((uri.encode(), answer.encode()))
    return pairs


def add_layer_flags(parser: argparse.ArgumentParser, server: bool = False) -> None:
    """Python-side test flags beyond the Swift CLI's: inner (per-handler / per-request)
    plugins and ephemeral handlers, for the interop tests of netaio's layering."""
    group = parser.add_argument_group("inner layers")
    group.add_argument("--inner-hmac-secret", metavar="S",
                       help="inner HMACAuthPlugin({'secret': S, 'hmac_field': 'hmac2'}) on the "
                            "resource handlers / request")
    cipher = group.add_mutually_exclusive_group()
    cipher.add_argument("--inner-cipher-key", metavar="K",
                        help="inner Sha256StreamCipherPlugin({'key': K, 'iv_field': 'iv2', "
                             "'encrypt_uri': False})")
    cipher.add_argument("--x25519-seed", metavar="HEX",
                        help="inner X25519CipherPlugin({'seed': HEX}); the local peer data carries its "
                             "pubkey; needs peer management on both sides")
    if server:
        group.add_argument("--once", action="append", default=[], metavar="URI=TEXT",
                           help="ephemeral handler (netaio `once`) on (REQUEST_URI, URI) answering "
                                "RESPOND_URI TEXT the first time (repeatable)")


INNER_HMAC_FIELD = "hmac2"
INNER_IV_FIELD = "iv2"


def inner_plugins(args):
    # Inner plugins write their own field names (netaio's test-suite convention, vector
    # encapsulation/two_layers_send): with the defaults the outer layer would overwrite
    # the inner `hmac`/`iv` fields and every inner check would fail.
    auth = None
    if args.inner_hmac_secret is not None:
        auth = HMACAuthPlugin({"secret": args.inner_hmac_secret, "hmac_field": INNER_HMAC_FIELD})
    cipher = None
    if args.inner_cipher_key is not None:
        cipher = Sha256StreamCipherPlugin(
            {"key": args.inner_cipher_key, "iv_field": INNER_IV_FIELD, "encrypt_uri": False})
    elif args.x25519_seed is not None:
        from netaio.asymmetric import X25519CipherPlugin
        seed = bytes.fromhex(args.x25519_seed)
        if len(seed) != 32:
            raise UsageError("--x25519-seed must be 32 bytes of hex")
        cipher = X25519CipherPlugin({"seed": seed})
    return auth, cipher


def local_peer_data(inner_cipher) -> dict:
    """Peer data (a packify dict): the X25519 public key when that plugin is used, as
    netaio's X25519CipherPlugin docstring prescribes."""
    if inner_cipher is not None and hasattr(inner_cipher, "pubk"):
        return {"pubkey": bytes(inner_cipher.pubk)}
    return {}


def tapescript_plugin(seed_hex: str, lock_hex: str | None):
    """netaio's README TapescriptAuthPlugin: single-sig lock on the seed's verify key."""
    import tapescript
    from nacl.signing import SigningKey
    from netaio.asymmetric import TapescriptAuthPlugin
    try:
        seed = bytes.fromhex(seed_hex)
        lock = bytes.fromhex(lock_hex) if lock_hex is not None else None
    except ValueError:
        raise SystemExit(EXIT_USAGE)
    if len(seed) != 32:
        sys.stderr.write("--tapescript-seed must be 64 hex digits\n")
        raise SystemExit(EXIT_USAGE)
    if lock is None:
        lock = tapescript.make_single_sig_lock(SigningKey(seed).verify_key)
    return TapescriptAuthPlugin({"seed": seed, "lock": lock})


def outer_plugins(args) -> tuple[HMACAuthPlugin | None, Sha256StreamCipherPlugin | None]:
    if getattr(args, "tapescript_seed", None) is not None and args.hmac_secret is not None:
        sys.stderr.write("--tapescript-seed and --hmac-secret are both outer auth plugins: pick one\n")
        raise SystemExit(EXIT_USAGE)
    if getattr(args, "tapescript_lock", None) is not None and getattr(args, "tapescript_seed", None) is None:
        sys.stderr.write("--tapescript-lock needs --tapescript-seed\n")
        raise SystemExit(EXIT_USAGE)
    auth = HMACAuthPlugin({"secret": args.hmac_secret}) if args.hmac_secret is not None else None
    if getattr(args, "tapescript_seed", None) is not None:
        auth = tapescript_plugin(args.tapescript_seed, args.tapescript_lock)
    cipher = Sha256StreamCipherPlugin({"key": args.cipher_key}) if args.cipher_key is not None else None
    return auth, cipher


def parse_host_port(text: str) -> tuple[str, int]:
    """HOST:PORT or [IPv6]:PORT."""
    if text.startswith("["):
        host, sep, port = text[1:].partition("]:")
    else:
        host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise UsageError(f"expected HOST:PORT, got {text!r}")
    return host, int(port)


def format_host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def resolve_ipv4(host: str) -> str:
    """netaio matches replies by (ip, port) of the sender, so names must become the
    address the reply will come from (docs/PROTOCOL.md §8.2, Q13)."""
    return socket.gethostbyname(host)


def make_local_peer(peer_id: str | None, data: dict | None = None) -> Peer:
    """Same convention as the Swift CLI's PeerOptions: the id is the text's UTF-8 bytes."""
    peer_id = (peer_id or os.urandom(16).hex()).encode()
    return Peer(set(), peer_id, DefaultPeerPlugin().encode_data(data or {}))


def peer_message(node, message_type: MessageType, app_id: bytes) -> Message:
    """ADVERTISE_PEER / DISCONNECT for unicast, built exactly as netaio's advertisement
    loop builds it (fresh each time)."""
    return Message.prepare(Body.prepare(node.peer_plugin.pack(node.local_peer), app_id), message_type)


def reply(message_type: MessageType, uri: bytes, content: bytes = b"") -> Message:
    """Every reply of the reference resource server carries the request's uri, so
    netaio's request() (which matches on (type, uri, server)) sees it."""
    return Message.prepare(Body.prepare(content, uri), message_type)


class ResourceStore:
    """The reference resource behaviour shared by `serve` (TCP) and `node` (UDP):
    CREATE/REQUEST/UPDATE/DELETE on an in-memory uri → content table,
    SUBSCRIBE/UNSUBSCRIBE/PUBLISH with NOTIFY_URI to subscribers."""

    def __init__(self):
        self.contents: dict[bytes, bytes] = {}

    def create(self, msg) -> Message:
        self.contents[msg.body.uri] = msg.body.content
        return reply(MessageType.OK, msg.body.uri)

    def request(self, msg) -> Message:
        uri = msg.body.uri
        if uri in self.contents:
            return reply(MessageType.RESPOND_URI, uri, self.contents[uri])
        return reply(MessageType.NOT_FOUND, uri, b"not found")

    def update(self, msg) -> tuple[Message, bool]:
        """Returns the reply and whether subscribers must be notified."""
        uri = msg.body.uri
        if uri not in self.contents:
            return reply(MessageType.NOT_FOUND, uri, b"not found"), False
        self.contents[uri] = msg.body.content
        return reply(MessageType.OK, uri), True

    def delete(self, msg) -> Message:
        uri = msg.body.uri
        if self.contents.pop(uri, None) is None:
            return reply(MessageType.NOT_FOUND, uri, b"not found")
        return reply(MessageType.OK, uri)

    # Replies, notifications and peer messages: answering them only starts loops
    # (the Swift ResourceService's `isAnswerType`).
    ANSWER_TYPES = {MessageType.RESPOND_URI, MessageType.OK, MessageType.CONFIRM_SUBSCRIBE,
                    MessageType.CONFIRM_UNSUBSCRIBE, MessageType.NOTIFY_URI,
                    MessageType.ADVERTISE_PEER, MessageType.PEER_DISCOVERED, MessageType.DISCONNECT}

    @staticmethod
    def not_found(msg) -> Message | None:
        """The default handler: NOT_FOUND with the request's uri; silent for answer types
        and error-ish messages (no NOT_FOUND ping-pong, Q1)."""
        if msg.header.message_type in ResourceStore.ANSWER_TYPES or is_silent_type(msg.header.message_type):
            return None
        return reply(MessageType.NOT_FOUND, msg.body.uri, b"not found")


def install_stop_signals(stop: asyncio.Event) -> None:
    # A child inherits its parent's signal mask; a parent thread that blocks SIGTERM
    # (e.g. a Swift concurrency thread spawning us) would make us unstoppable.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)


async def print_peer_changes(node, every: float = 0.05) -> None:
    """`--print-peers`: one stdout line per change of the node's peer table,
    `peer up ID_HEX HOST:PORT` / `peer down ID_HEX` (polled; nothing is patched)."""
    known: dict[bytes, tuple] = {}
    while True:
        current = {pid: tuple(sorted(peer.addrs)) for pid, peer in list(node.peers.items())}
        for pid in known.keys() - current.keys():
            print(f"peer down {pid.hex()}", flush=True)
        for pid, addrs in current.items():
            if known.get(pid) != addrs:
                where = " ".join(format_host_port(h, p) for h, p in addrs)
                print(f"peer up {pid.hex()} {where}", flush=True)
        known = current
        await asyncio.sleep(every)


def announce_listening(host: str, port: int) -> None:
    """The one line scripts wait for (same as `netaio serve`/`netaio node`)."""
    print(f"listening on {format_host_port(host, port)}", flush=True)
