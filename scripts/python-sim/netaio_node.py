#!/usr/bin/env python3
"""The real, unmodified netaio 0.0.9 as an external node of the deterministic
simulator: JSON lines on stdin/stdout, the contract of docs/external-nodes.md.

    PYTHONHASHSEED=0 .venv/bin/python scripts/python-sim/netaio_node.py

(without PYTHONHASHSEED=0 the adapter re-executes itself with it). Each stdin line is
one input; each gets exactly one reply line on stdout. netaio runs on a virtual-time
asyncio loop (virtual_loop.py); time, randomness and netaio's own-IP lookup are patched
(determinism.py). docs/external-nodes.md, "The Python adapter", documents what is
patched, the user-module interface (`config.module`) and the known limits.

Environment:
    NETAIO_SIM_VERBOSE=1   netaio's and asyncio's logs (and loop exceptions) on stderr
    NETAIO_SIM_STATS=PATH  at exit, write per-op processing times (µs) as JSON to PATH
"""
from __future__ import annotations

import os
import sys

if os.environ.get("PYTHONHASHSEED") != "0":
    # Set and str hashing must not vary between runs: netaio iterates sets of
    # addresses (subscriptions, peer addresses).
    env = dict(os.environ, PYTHONHASHSEED="0")
    try:
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)
    except OSError as exc:
        sys.stderr.write(f"netaio_node: PYTHONHASHSEED must be 0 and re-executing failed: {exc}\n")
        sys.exit(2)

import asyncio
import base64
import binascii
import importlib.util
import json
import logging
import math
import time as _real_time  # perf_counter only, for NETAIO_SIM_STATS
import traceback
import warnings

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
sys.path.insert(1, os.path.join(os.path.dirname(_HERE), "python-peers"))

_STDOUT = sys.stdout.buffer
sys.stdout = sys.stderr  # anything netaio or a user module prints goes to stderr

try:
    import nacl.public  # noqa: F401  (imported before determinism.install patches it)
    import netaio
    import netaio.asymmetric
    import tapescript
    from nacl.signing import SigningKey
    from netaio import (
        Body,
        HMACAuthPlugin,
        Message,
        MessageType,
        Peer,
        Sha256StreamCipherPlugin,
        TCPClient,
        TCPServer,
        UDPNode,
        make_error_msg,
        make_not_found_msg,
        make_ok_msg,
        make_respond_uri_msg,
    )
except ImportError as _exc:  # pragma: no cover - wrong interpreter
    sys.stderr.write(f"netaio_node: {_exc}; run scripts/setup, then use .venv/bin/python\n")
    sys.exit(2)

import determinism
import peercommon
from virtual_loop import VirtualEventLoop

_PERF = _real_time.perf_counter
VERBOSE = os.environ.get("NETAIO_SIM_VERBOSE") == "1"


class ConnHashedStreamWriter(asyncio.streams.StreamWriter):
    """asyncio's StreamWriter hashed by its virtual connection id instead of its memory
    address: netaio keeps writers in sets (TCPServer.clients, subscriptions) and
    iterates them to broadcast and notify, so their order must not depend on where
    the allocator put them."""

    def __hash__(self):
        conn = getattr(self._transport, "conn", None)
        return hash(("netaio-sim conn", conn)) if conn is not None else object.__hash__(self)

    def __eq__(self, other):
        return self is other


asyncio.streams.StreamWriter = ConnHashedStreamWriter  # used by start_server/open_connection


def _configure_logging() -> None:
    level = logging.DEBUG if VERBOSE else logging.CRITICAL + 1
    for name in ("netaio", "netaio.server", "netaio.client", "netaio.node", "asyncio"):
        logging.getLogger(name).setLevel(level)
    if not VERBOSE:
        warnings.simplefilter("ignore")


class InputError(Exception):
    """A malformed or out-of-place input line."""


# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------

def text(data: bytes) -> str:
    """Contents and uris cross the pipe as UTF-8 text (invalid bytes become U+FFFD)."""
    return bytes(data).decode("utf-8", errors="replace")


def hex_id(peer_id) -> str:
    if isinstance(peer_id, (bytes, bytearray, memoryview)):
        return bytes(peer_id).hex()
    return str(peer_id).encode().hex()


def field(msg: dict, name: str, kind=None, optional: bool = False):
    if name not in msg or msg[name] is None:
        if optional:
            return None
        raise InputError(f"missing field {name!r}")
    value = msg[name]
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InputError(f"field {name!r} must be a finite number")
        return float(value)
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"field {name!r} must be an integer")
        return value
    if kind is str and not isinstance(value, str):
        raise InputError(f"field {name!r} must be a string")
    if kind is bool and not isinstance(value, bool):
        raise InputError(f"field {name!r} must be true or false")
    if kind is dict and not isinstance(value, dict):
        raise InputError(f"field {name!r} must be an object")
    return value


def address(msg: dict, name: str) -> tuple[str, int]:
    value = field(msg, name, dict)
    host, port = value.get("host"), value.get("port")
    if not isinstance(host, str) or isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise InputError(f"field {name!r} must be {{\"host\": str, \"port\": 0...65535}}")
    return host, port


def b64(msg: dict, name: str) -> bytes:
    value = field(msg, name, str)
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InputError(f"field {name!r} is not base64: {exc}")


def unhex(value, name: str) -> bytes:
    if not isinstance(value, str):
        raise InputError(f"{name} must be a hex string")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise InputError(f"{name} is not hex: {value!r}")


def make_message(message_type: MessageType, uri: bytes, content: bytes = b"") -> Message:
    return Message.prepare(Body.prepare(content, uri), message_type)


# ---------------------------------------------------------------------------
# plugins from the init config
# ---------------------------------------------------------------------------

def build_auth_plugin(spec, where: str, warn):
    if spec is None:
        return None
    if not isinstance(spec, dict) or len(spec) != 1:
        raise InputError(f"{where}: a plugin is one of {{\"hmac\": …}}, {{\"tapescript\": …}}")
    (kind, opts), = spec.items()
    opts = opts or {}
    if kind == "hmac":
        if "secret" not in opts:
            raise InputError(f"{where}.hmac: missing secret")
        config = {"secret": opts["secret"]}
        for key in ("hmac_field", "nonce_field", "ts_field"):
            if opts.get(key) is not None:
                config[key] = opts[key]
        for key in ("max_age", "max_future_skew"):
            if opts.get(key) is not None:
                warn(f"{where}.hmac.{key} ignored: netaio 0.0.9's HMACAuthPlugin has no freshness check (Q8)")
        return HMACAuthPlugin(config)
    if kind == "tapescript":
        seed = unhex(opts.get("seed"), f"{where}.tapescript.seed")
        if len(seed) != 32:
            raise InputError(f"{where}.tapescript.seed must be 32 bytes")
        lock = opts.get("lock")
        lock = unhex(lock, f"{where}.tapescript.lock") if lock is not None else \
            tapescript.make_single_sig_lock(SigningKey(seed).verify_key)
        config = {"seed": seed, "lock": lock}
        for key in ("nonce_field", "ts_field", "witness_field"):
            if opts.get(key) is not None:
                config[key] = opts[key]
        return netaio.asymmetric.TapescriptAuthPlugin(config)
    raise InputError(f"{where}: unknown auth plugin {kind!r} (hmac, tapescript)")


def build_cipher_plugin(spec, where: str, warn):
    if spec is None:
        return None
    if not isinstance(spec, dict) or len(spec) != 1:
        raise InputError(f"{where}: a plugin is one of {{\"sha256_stream\": …}}, {{\"x25519\": …}}")
    (kind, opts), = spec.items()
    opts = opts or {}
    if kind == "sha256_stream":
        if "key" not in opts:
            raise InputError(f"{where}.sha256_stream: missing key")
        config = {"key": opts["key"]}
        if opts.get("encrypt_uri") is not None:
            config["encrypt_uri"] = bool(opts["encrypt_uri"])
        if opts.get("iv_field") is not None:
            config["iv_field"] = opts["iv_field"]
        return Sha256StreamCipherPlugin(config)
    if kind == "x25519":
        seed = unhex(opts.get("seed"), f"{where}.x25519.seed")
        if len(seed) != 32:
            raise InputError(f"{where}.x25519.seed must be 32 bytes")
        return netaio.asymmetric.X25519CipherPlugin({"seed": seed})
    raise InputError(f"{where}: unknown cipher plugin {kind!r} (sha256_stream, x25519)")


# ---------------------------------------------------------------------------
# the reference resource behaviour (the simulator's Swift nodes,
# Sources/NetaioScenario/ScenarioRun+Nodes.swift)
# ---------------------------------------------------------------------------

def install_reference_handlers(node, store: dict, report_stored, report_received, auth_plugin=None,
                               cipher_plugin=None) -> None:
    """REQUEST/CREATE/UPDATE/DELETE_URI on `store` (uri bytes -> content bytes),
    SUBSCRIBE/UNSUBSCRIBE_URI, PUBLISH/NOTIFY_URI counted (`received`, no answer),
    OK/CONFIRM_* silent; the role's netaio default handler stays, but never answers an
    error-type message (Q1). Every reply carries the request's uri."""

    def on(message_type):
        return node.on(message_type, auth_plugin=auth_plugin, cipher_plugin=cipher_plugin)

    @on(MessageType.REQUEST_URI)
    def request(msg, origin):
        uri = msg.body.uri
        if uri not in store:
            return make_not_found_msg(uri=uri)
        return make_respond_uri_msg(store[uri], uri)

    @on(MessageType.CREATE_URI)
    def create(msg, origin):
        store[msg.body.uri] = msg.body.content
        report_stored(msg.body.uri, msg.body.content)
        return make_ok_msg(uri=msg.body.uri)

    @on(MessageType.UPDATE_URI)
    def update(msg, origin):
        uri = msg.body.uri
        if uri not in store:
            return make_not_found_msg(uri=uri)
        store[uri] = msg.body.content
        report_stored(uri, msg.body.content)
        return make_ok_msg(uri=uri)

    @on(MessageType.DELETE_URI)
    def delete(msg, origin):
        uri = msg.body.uri
        if store.pop(uri, None) is None:
            return make_not_found_msg(uri=uri)
        return make_ok_msg(uri=uri)

    @on(MessageType.SUBSCRIBE_URI)
    def subscribe(msg, origin):
        if hasattr(node, "subscribe"):  # a TCPClient has no subscriptions
            node.subscribe(msg.body.uri, origin)
        return make_message(MessageType.CONFIRM_SUBSCRIBE, msg.body.uri)

    @on(MessageType.UNSUBSCRIBE_URI)
    def unsubscribe(msg, origin):
        # netaio's unsubscribe raises KeyError for a sender that is not subscribed
        if origin in getattr(node, "subscriptions", {}).get(msg.body.uri, ()):
            node.unsubscribe(msg.body.uri, origin)
        return make_message(MessageType.CONFIRM_UNSUBSCRIBE, msg.body.uri)

    for message_type in (MessageType.PUBLISH_URI, MessageType.NOTIFY_URI):
        def counted(msg, origin, message_type=message_type):
            report_received(msg.body.uri, message_type.name)
            return None
        on(message_type)(counted)

    for message_type in (MessageType.OK, MessageType.CONFIRM_SUBSCRIBE, MessageType.CONFIRM_UNSUBSCRIBE):
        on(message_type)(lambda msg, origin: None)

    if isinstance(node, (UDPNode, TCPServer)):
        netaio_default = node.default_handler

        def default_handler(msg, origin):
            if peercommon.is_silent_type(msg.header.message_type):
                return None  # Q1: no error answers to error-type messages
            return netaio_default(msg, origin)

        node.default_handler = default_handler


# ---------------------------------------------------------------------------
# the user-module context
# ---------------------------------------------------------------------------

class BuildContext:
    """What `build(ctx)` of a `config.module` gets. docs/external-nodes.md, "The Python
    adapter", documents every attribute."""

    def __init__(self, adapter: "Adapter", initial: list):
        self._adapter = adapter
        self.node = adapter.name
        self.role = adapter.role
        self.address = adapter.address
        self.multicast = adapter.multicast
        self.incarnation = adapter.incarnation
        self.seed = adapter.seed
        self.config = adapter.config
        self.local_peer = adapter.local_peer
        self.auth_plugin = adapter.auth_plugin
        self.cipher_plugin = adapter.cipher_plugin
        self.peer_auth_plugin = adapter.peer_auth_plugin
        self.peer_cipher_plugin = adapter.peer_cipher_plugin
        self.request_timeout = adapter.request_timeout
        self.resources = {uri.decode(): content.decode() for uri, content in initial}
        self.reference_handlers = False
        self.manage_peers = True

    def make_node(self, **overrides):
        """The role's netaio class (UDPNode, TCPServer or TCPClient) built as the
        reference node is: port/interface/multicast group from the contract, the
        local peer, the outer plugins; keyword arguments override any of those."""
        return self._adapter.make_node(**overrides)

    def install_reference_handlers(self, node, auth_plugin=None, cipher_plugin=None) -> None:
        self._adapter.install_reference(node, auth_plugin, cipher_plugin)

    def report_received(self, uri, type: str = "NOTIFY_URI") -> None:
        self._adapter.report_received(uri, type)

    def report_stored(self, uri, content) -> None:
        self._adapter.report_stored(uri, content)

    def log(self, message: str) -> None:
        sys.stderr.write(f"{self.node}: {message}\n")
        sys.stderr.flush()


def load_user_module(path: str):
    full = os.path.abspath(path)
    if not os.path.isfile(full):
        raise InputError(f"config.module: no such file {path!r}")
    name = "netaio_sim_user_" + os.path.splitext(os.path.basename(full))[0]
    spec = importlib.util.spec_from_file_location(name, full)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    if not callable(getattr(module, "build", None)):
        raise InputError(f"config.module {path!r} has no build(ctx) function")
    return module


# ---------------------------------------------------------------------------
# the adapter
# ---------------------------------------------------------------------------

REQUEST_TYPES = {
    "request": MessageType.REQUEST_URI,
    "create": MessageType.CREATE_URI,
    "update": MessageType.UPDATE_URI,
    "delete": MessageType.DELETE_URI,
}
ROLES = ("udp", "tcp_server", "tcp_client")


class Adapter:
    def __init__(self):
        self.loop: VirtualEventLoop | None = None
        self.node = None
        self.role = None
        self.actions: list = []
        self.events: list = []
        self.known_peers: list = []
        self.removal_reasons: dict = {}
        self.store: dict[bytes, bytes] = {}
        self.stopped = False
        self.clock = 0.0
        self.host = "127.0.0.1"
        self.loop_exceptions = 0
        self.tasks: set = set()
        self.stats: dict[str, list[float]] = {}

    # --- reply plumbing ------------------------------------------------------
    def timer(self):
        if self.loop is None or self.stopped:
            return None
        return self.loop.next_deadline()

    def reply(self, error: str | None = None, state=None) -> dict:
        out = {"out": self.actions, "events": self.events, "timer": self.timer()}
        if state is not None:
            out["state"] = state
        if error is not None:
            out["error"] = error
        self.actions, self.events = [], []
        if self.loop is not None:
            self.loop.emit = self.actions.append
        return out

    def report_stored(self, uri, content) -> None:
        self.events.append({"stored": {"uri": text(_bytes(uri)), "content": text(_bytes(content))}})

    def report_received(self, uri, type_name: str = "NOTIFY_URI") -> None:
        self.events.append({"received": {"type": str(type_name), "uri": text(_bytes(uri))}})

    def warn(self, message: str) -> None:
        sys.stderr.write(f"netaio_node: {getattr(self, 'name', '?')}: {message}\n")
        sys.stderr.flush()

    def _loop_exception(self, loop, context) -> None:
        # What asyncio's default handler would log: an exception inside netaio's own
        # callbacks (e.g. Q20/Q21). It is the simulated program's behaviour, not an
        # adapter error: counted, and logged only when verbose.
        self.loop_exceptions += 1
        if VERBOSE:
            exc = context.get("exception")
            detail = f": {type(exc).__name__}: {exc}" if exc is not None else ""
            sys.stderr.write(f"netaio_node: loop exception: {context.get('message')}{detail}\n")

    def spawn(self, coro):
        task = self.loop.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    # --- peers -------------------------------------------------------------------
    def _watch_removals(self, node) -> None:
        """Record why a peer leaves the table: netaio removes peers only through
        `remove_peer`, called by the DISCONNECT handler and by the UDP timeout sweep."""
        original = getattr(node, "remove_peer", None)
        if original is None:
            return
        reasons = self.removal_reasons

        def remove_peer(*args, **kwargs):
            peer_id = args[1] if len(args) > 1 else kwargs.get("peer_id")
            caller = sys._getframe(1).f_code.co_name
            if caller == "handle_disconnect":
                reason = "disconnect"
            elif caller == "remove_timed_out_peers":
                reason = "timed_out"
            else:
                reason = "removed"
            if peer_id is not None:
                reasons.setdefault(hex_id(peer_id), reason)
            return original(*args, **kwargs)

        node.remove_peer = remove_peer

    def peer_events(self) -> None:
        peers = getattr(self.node, "peers", None)
        if peers is None:
            return
        current = [hex_id(p) for p in list(peers.keys())]
        current_set = set(current)
        known_set = set(self.known_peers)
        for pid in self.known_peers:
            if pid not in current_set:
                self.events.append({"peer_removed": {"id": pid, "reason": self.removal_reasons.get(pid, "unknown")}})
        for pid in current:
            if pid not in known_set:
                self.events.append({"peer_added": {"id": pid}})
        self.known_peers = current
        self.removal_reasons.clear()

    def run(self, now: float) -> None:
        self.clock = now
        self.loop.run_until_idle(now)
        self.peer_events()

    # --- building --------------------------------------------------------------------
    def make_node(self, **overrides):
        host, port = self.address
        if self.role == "udp":
            kwargs = dict(port=port, interface=host, local_peer=self.local_peer,
                          auth_plugin=self.auth_plugin, cipher_plugin=self.cipher_plugin)
            if self.multicast is not None:
                kwargs["multicast_group"] = self.multicast[0]
            kwargs.update(overrides)
            return UDPNode(**kwargs)
        if self.role == "tcp_server":
            kwargs = dict(port=port, interface=host, local_peer=self.local_peer,
                          auth_plugin=self.auth_plugin, cipher_plugin=self.cipher_plugin)
            kwargs.update(overrides)
            return TCPServer(**kwargs)
        kwargs = dict(local_peer=self.local_peer, auth_plugin=self.auth_plugin, cipher_plugin=self.cipher_plugin)
        if self.connect_to:
            kwargs["host"], kwargs["port"] = self.connect_to[0]
        kwargs.update(overrides)
        return TCPClient(**kwargs)

    def install_reference(self, node, auth_plugin=None, cipher_plugin=None) -> None:
        install_reference_handlers(node, self.store, self.report_stored, self.report_received,
                                   auth_plugin, cipher_plugin)

    def op_init(self, msg: dict) -> dict:
        if self.loop is not None:
            raise InputError("init twice")
        now = field(msg, "now", float)
        self.name = str(field(msg, "node", optional=True) or "?")
        self.role = field(msg, "role", str)
        if self.role not in ROLES:
            raise InputError(f"role must be one of {', '.join(ROLES)}")
        self.address = address(msg, "address")
        self.multicast = address(msg, "multicast") if msg.get("multicast") is not None else None
        self.incarnation = field(msg, "incarnation", int, optional=True) or 1
        seed_hex = field(msg, "seed", str)
        self.seed = unhex(seed_hex, "seed")
        peer = field(msg, "peer", dict)
        self.config = config = field(msg, "config", dict, optional=True) or {}
        self.host = self.address[0]
        self.clock = now

        determinism.set_seed(self.seed)
        self.loop = loop = VirtualEventLoop(local_host=self.host, now=now)
        loop.emit = self.actions.append
        loop.set_exception_handler(self._loop_exception)
        asyncio.set_event_loop(loop)

        self.local_peer = Peer(addrs=set(), id=unhex(peer.get("id"), "peer.id"),
                               data=unhex(peer.get("data", ""), "peer.data"))
        self.auth_plugin = build_auth_plugin(config.get("auth"), "config.auth", self.warn)
        self.cipher_plugin = build_cipher_plugin(config.get("cipher"), "config.cipher", self.warn)
        peers = config.get("peers")
        if peers is not None and not isinstance(peers, dict):
            raise InputError("config.peers must be an object or null")
        self.peers_config = peers
        self.peer_auth_plugin = build_auth_plugin(peers.get("auth"), "config.peers.auth", self.warn) if peers else None
        self.peer_cipher_plugin = build_cipher_plugin(peers.get("cipher"), "config.peers.cipher", self.warn) if peers else None
        timeout = config.get("request_timeout")
        self.request_timeout = float(timeout) if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) else 10.0
        if config.get("max_peers") is not None:
            self.warn("config.max_peers ignored: netaio 0.0.9's peer table is unbounded (Q12)")
        if self.multicast is not None and self.role == "udp" and self.multicast[1] != self.address[1]:
            self.warn(f"multicast port {self.multicast[1]} ignored: netaio multicasts to the node's own port {self.address[1]}")
        self.connect_to = [address({"a": a}, "a") for a in (config.get("connect") or [])]
        resources = config.get("resources") or []
        initial = []
        for entry in resources:
            if not isinstance(entry, dict) or not isinstance(entry.get("uri"), str):
                raise InputError("config.resources entries are {\"uri\": str, \"content\": str}")
            initial.append((entry["uri"].encode(), str(entry.get("content", "")).encode()))

        module_path = config.get("module")
        built, reference, manage = None, True, True
        if module_path is not None:
            module = load_user_module(str(module_path))
            ctx = BuildContext(self, initial)
            built = module.build(ctx)
            reference, manage = bool(ctx.reference_handlers), bool(ctx.manage_peers)
        if reference:
            for uri, content in initial:
                self.store[uri] = content
                self.report_stored(uri, content)
        start = self.spawn(self._start(built, reference, manage))
        self.run(now)
        if not start.done():
            start.cancel()
            raise RuntimeError("the node did not finish starting at its start instant")
        if start.exception() is not None:
            exc = start.exception()
            raise RuntimeError(f"start failed: {type(exc).__name__}: {exc}")
        return self.reply()

    async def _start(self, built, reference: bool, manage: bool) -> None:
        try:
            if built is not None and asyncio.iscoroutine(built):
                built = await built
            node = built if built is not None else self.make_node()
            if not isinstance(node, (UDPNode, TCPServer, TCPClient)):
                raise TypeError(f"build(ctx) must return a netaio UDPNode, TCPServer or TCPClient, got {type(node).__name__}")
            expected = {"udp": UDPNode, "tcp_server": TCPServer, "tcp_client": TCPClient}[self.role]
            if not isinstance(node, expected):
                raise TypeError(f"role {self.role} needs a {expected.__name__}, build(ctx) returned {type(node).__name__}")
            self._watch_removals(node)
            if reference:
                self.install_reference(node)
            peers = self.peers_config if manage else None
            app_id = unhex(peers.get("app_id", b"netaio".hex()), "config.peers.app_id") if peers else None
            plugins = dict(auth_plugin=self.peer_auth_plugin, cipher_plugin=self.peer_cipher_plugin)
            if self.role == "udp":
                await node.start()
                if peers:
                    await node.manage_peers_automatically(
                        advertise_every=peers.get("advertise_every", 20),
                        app_id=app_id, peer_timeout=peers.get("timeout", 60), **plugins)
            elif self.role == "tcp_server":
                if peers:
                    await node.manage_peers_automatically(app_id, **plugins)
                self.spawn(node.start())  # start_server, then serve_forever until stop
            else:
                if peers:
                    await node.manage_peers_automatically(app_id, **plugins)
                for host, port in self.connect_to:
                    self.spawn(self._connect(node, host, port))
            self.node = node
        except Exception:
            if VERBOSE:
                traceback.print_exc()
            raise

    async def _connect(self, node, host: str, port: int) -> None:
        try:
            await node.connect(host, port)
            await node.start_receive_loop(server=(host, port))
        except Exception as exc:
            if VERBOSE:
                sys.stderr.write(f"netaio_node: connect to {host}:{port} failed: {type(exc).__name__}: {exc}\n")

    # --- inputs ---------------------------------------------------------------------
    def need_node(self) -> None:
        if self.loop is None:
            raise InputError("no init yet")
        if self.node is None:
            raise InputError("the node did not start (see the init reply's error)")
        if self.stopped:
            raise InputError("the node is stopped")

    def op_datagram(self, msg):
        now = field(msg, "now", float)
        data, origin = b64(msg, "data"), address(msg, "from")
        self.loop.deliver_datagram(data, origin)
        self.run(now)
        return self.reply()

    def op_accepted(self, msg):
        now = field(msg, "now", float)
        conn, origin = field(msg, "conn", int), address(msg, "from")
        if not self.loop.accept(conn, origin):
            self.actions.append({"close": {"conn": conn}})  # nothing listens
        self.run(now)
        return self.reply()

    def op_connect_result(self, msg):
        now = field(msg, "now", float)
        self.loop.connect_result(field(msg, "conn", int), field(msg, "ok", bool))
        self.run(now)
        return self.reply()

    def op_data(self, msg):
        now = field(msg, "now", float)
        self.loop.deliver_data(field(msg, "conn", int), b64(msg, "data"))
        self.run(now)
        return self.reply()

    def op_closed(self, msg):
        now = field(msg, "now", float)
        self.loop.remote_closed(field(msg, "conn", int))
        self.run(now)
        return self.reply()

    def op_timer(self, msg):
        self.run(field(msg, "now", float))
        return self.reply()

    def _writer_for(self, to: tuple):
        """TCP server: the connection of the client at `to` (matched by host, as the
        simulator does: a server sees only its clients' ephemeral ports)."""
        for writer in list(getattr(self.node, "clients", ())):
            peer = writer.get_extra_info("peername")
            if peer is not None and tuple(peer) == tuple(to):
                return writer
        for writer in list(getattr(self.node, "clients", ())):
            peer = writer.get_extra_info("peername")
            if peer is not None and peer[0] == to[0] and not writer.is_closing():
                return writer
        return None

    def op_request(self, msg):
        now = field(msg, "now", float)
        rid = field(msg, "id")
        if isinstance(rid, bool) or not isinstance(rid, (int, str)):
            raise InputError("field 'id' must be an integer or a string")
        kind = field(msg, "kind", str)
        if kind not in REQUEST_TYPES:
            raise InputError(f"kind must be one of {', '.join(REQUEST_TYPES)}")
        uri = field(msg, "uri", str).encode()
        content = (field(msg, "content", str, optional=True) or "").encode()
        to = address(msg, "to")
        timeout = field(msg, "timeout", float, optional=True)
        self.spawn(self._request(rid, kind, uri, content, to, self.request_timeout if timeout is None else timeout))
        self.run(now)
        return self.reply()

    def _done(self, rid, ok: bool, error: str | None = None, message=None) -> None:
        outcome = {"id": rid, "ok": ok}
        if error is not None:
            outcome["error"] = error
        if message is not None:
            mt = message.header.message_type
            outcome["type"] = mt.name if hasattr(mt, "name") else str(mt)
            outcome["content"] = text(message.body.content)
        self.events.append({"request_done": outcome})

    async def _request(self, rid, kind, uri, content, to, timeout) -> None:
        node, message_type = self.node, REQUEST_TYPES[kind]
        try:
            if self.role == "udp":
                reply = await node.request(uri, to, timeout=timeout, message_type=message_type, content=content)
            elif self.role == "tcp_client":
                if to not in node.hosts:
                    self._done(rid, False, "send_failed")
                    return
                reply = await node.request(uri, server=to, timeout=timeout, message_type=message_type,
                                           content=content)
            else:
                self._done(rid, False, "send_failed")  # netaio's TCPServer has no request()
                return
        except (TimeoutError, asyncio.TimeoutError):
            self._done(rid, False, "timeout")
            return
        except ConnectionError:
            self._done(rid, False, "connection_closed")
            return
        except Exception as exc:
            if VERBOSE:
                sys.stderr.write(f"netaio_node: request {rid}: {type(exc).__name__}: {exc}\n")
            self._done(rid, False, "send_failed")
            return
        success = MessageType.RESPOND_URI if kind == "request" else MessageType.OK
        if reply.header.message_type == success:
            self._done(rid, True, message=reply)
        else:
            self._done(rid, False, "error_reply", message=reply)

    def _send_to(self, to: tuple, message) -> None:
        node = self.node
        if self.role == "udp":
            node.send(message, to)
        elif self.role == "tcp_client":
            if to in node.hosts:
                self.spawn(self._quiet(node.send(message, server=to)))
            elif VERBOSE:
                sys.stderr.write(f"netaio_node: no connection to {to}\n")
        else:
            writer = self._writer_for(to)
            if writer is not None:
                self.spawn(self._quiet(node.send(writer, message)))
            elif VERBOSE:
                sys.stderr.write(f"netaio_node: no client connection from {to}\n")

    async def _quiet(self, coro):
        try:
            await coro
        except Exception as exc:
            if VERBOSE:
                sys.stderr.write(f"netaio_node: send failed: {type(exc).__name__}: {exc}\n")

    def op_subscribe(self, msg):
        now = field(msg, "now", float)
        uri = field(msg, "uri", str).encode()
        self._send_to(address(msg, "to"), make_message(MessageType.SUBSCRIBE_URI, uri))
        self.run(now)
        return self.reply()

    def op_publish(self, msg):
        now = field(msg, "now", float)
        uri = field(msg, "uri", str).encode()
        content = (field(msg, "content", str, optional=True) or "").encode()
        self._send_to(address(msg, "to"), make_message(MessageType.PUBLISH_URI, uri, content))
        self.run(now)
        return self.reply()

    def op_notify(self, msg):
        now = field(msg, "now", float)
        uri = field(msg, "uri", str).encode()
        content = (field(msg, "content", str, optional=True) or "").encode()
        message = make_message(MessageType.NOTIFY_URI, uri, content)
        if self.role == "udp":
            self.node.notify(uri, message)
        elif self.role == "tcp_server":
            self.spawn(self._quiet(self.node.notify(uri, message)))
        self.run(now)
        return self.reply()

    def state(self) -> dict:
        peers = sorted(hex_id(p) for p in list(getattr(self.node, "peers", {}).keys()))
        subscribers = []
        for key, members in list(getattr(self.node, "subscriptions", {}).items()):
            uri = text(key) if isinstance(key, (bytes, bytearray)) else str(key)
            subscribers.append({"uri": uri, "count": len(members)})
        subscribers.sort(key=lambda s: s["uri"])
        return {"peers": peers, "subscribers": subscribers}

    def op_state(self, msg):
        field(msg, "now", float)
        return self.reply(state=self.state())  # read-only: the loop does not run

    def op_stop(self, msg):
        now = field(msg, "now", float)
        task = self.spawn(self._stop())
        self.run(now)
        self.stopped = True
        if not task.done():
            raise RuntimeError("stop did not finish at its instant")
        if task.exception() is not None:
            exc = task.exception()
            raise RuntimeError(f"stop failed: {type(exc).__name__}: {exc}")
        return self.reply()

    async def _stop(self) -> None:
        node = self.node
        if self.role == "udp":
            # Q16: UDPNode.stop() closes the socket before the cancelled advertisement
            # task multicasts DISCONNECT. Cancel and await that task first (netaio's own
            # cancellation path sends the DISCONNECT), then stop().
            tasks = list(getattr(node, "_advertise_peer_tasks", {}).values())
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await node.stop()
        elif self.role == "tcp_server":
            await node.stop()
            for writer in list(node.clients):
                writer.close()
        else:
            for server in list(node.hosts):
                try:
                    await node.close(server)  # DISCONNECT with peer management, then close
                except Exception as exc:
                    if VERBOSE:
                        sys.stderr.write(f"netaio_node: close {server}: {type(exc).__name__}: {exc}\n")

    OPS = {
        "datagram": op_datagram, "accepted": op_accepted, "connect_result": op_connect_result,
        "data": op_data, "closed": op_closed, "timer": op_timer, "request": op_request,
        "subscribe": op_subscribe, "publish": op_publish, "notify": op_notify, "state": op_state,
        "stop": op_stop,
    }

    def handle(self, line: bytes) -> dict:
        try:
            msg = json.loads(line)
        except (ValueError, UnicodeDecodeError) as exc:
            return self.failed(f"not JSON: {exc}")
        if not isinstance(msg, dict) or not isinstance(msg.get("op"), str):
            return self.failed("an input is a JSON object with a string \"op\"")
        op = msg["op"]
        started = _PERF()
        try:
            if op == "init":
                result = self.op_init(msg)
            elif op in self.OPS:
                self.need_node()
                result = self.OPS[op](self, msg)
            else:
                raise InputError(f"unknown op {op!r}")
        except InputError as exc:
            result = self.failed(f"{op}: {exc}")
        except Exception as exc:
            result = self.failed(f"{op}: {type(exc).__name__}: {exc}", exc)
        elapsed = (_PERF() - started) * 1e6
        if op == "datagram":
            op = "datagram:" + _type_name(msg.get("data"))
        self.stats.setdefault(op, []).append(elapsed)
        return result

    def failed(self, message: str, exc: BaseException | None = None) -> dict:
        sys.stderr.write(f"netaio_node: {message}\n")
        if exc is not None and VERBOSE:
            traceback.print_exception(exc)
        sys.stderr.flush()
        if self.loop is not None and not self.stopped:
            try:
                self.peer_events()
            except Exception:
                pass
        return self.reply(error=message)

    def write_stats(self, path: str) -> None:
        summary = {}
        for op, values in self.stats.items():
            ordered = sorted(values)
            summary[op] = {"count": len(ordered), "median_us": ordered[len(ordered) // 2],
                           "max_us": ordered[-1]}
        with open(path, "w") as fh:
            json.dump({"ops": summary, "loop_exceptions": self.loop_exceptions,
                       "callbacks": self.loop.callbacks_run if self.loop else 0}, fh, indent=1)


def _type_name(data) -> str:
    """The message type of a datagram (its first byte), for NETAIO_SIM_STATS."""
    try:
        return MessageType(base64.b64decode(data or "")[0]).name
    except Exception:
        return "other"


def _bytes(value) -> bytes:
    if isinstance(value, str):
        return value.encode()
    return bytes(value)


def main() -> int:
    _configure_logging()
    adapter = Adapter()
    determinism.install(lambda: adapter.clock, lambda: adapter.host)
    stdin = sys.stdin.buffer
    while True:
        line = stdin.readline()
        if not line:
            break
        if not line.strip():
            reply = adapter.failed("empty line")
        else:
            reply = adapter.handle(line)
        _STDOUT.write(json.dumps(reply, separators=(",", ":"), ensure_ascii=False).encode() + b"\n")
        _STDOUT.flush()
    stats = os.environ.get("NETAIO_SIM_STATS")
    if stats:
        adapter.write_stats(stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
