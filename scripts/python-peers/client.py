#!/usr/bin/env python3
"""The `netaio request|create|update|delete|publish|subscribe` commands on the real
Python netaio 0.0.9 (TCPClient for tcp://, UDPNode for udp://), same arguments, output
and exit codes as the Swift CLI.

    .venv/bin/python scripts/python-peers/client.py COMMAND tcp://HOST:PORT|udp://HOST:PORT URI
        [--content TEXT | --content-file F] [--hmac-secret S] [--cipher-key K]
        [--timeout SEC] [--count N] [--json] [-v]
        [--inner-hmac-secret S] [--inner-cipher-key K | --x25519-seed HEX]
        [--manage-peers] [--app-id ID] [--peer-id ID]

Output: one line `TYPE_NAME[ CONTENT]` for the reply (content as UTF-8 text, or 0x + hex
when it is not UTF-8; --json: one JSON object per message); `subscribe` prints `CONFIRM_SUBSCRIBE` and then one `NOTIFY_URI CONTENT`
line per notification until SIGINT/SIGTERM (exit 0), `--count N` notifications (exit
0), or the connection ends (exit 3).
Exit codes (Sources/NetaioCLI/ExitCodes.swift): 0 OK / RESPOND_URI / CONFIRM_*,
1 any other reply type, 2 no reply within --timeout, 3 connection failed,
64 bad arguments, 66 unreadable --content-file.

The last two lines' flags go beyond the Swift CLI (interop tests of netaio's layering):
inner plugins on the request and its reply handlers, and netaio's automatic peer
management (TCP: ADVERTISE_PEER on connect; UDP: ADVERTISE_PEER by unicast to the
server; then we wait up to --timeout for the server's PEER_DISCOVERED before sending,
and send DISCONNECT at the end; X25519 needs the server's pubkey, so it needs
--manage-peers).

Workarounds for netaio 0.0.9 (none changes a byte on the wire):
  * netaio's request() only accepts replies carrying the request's uri, so error
    replies with uri 'ERROR' or '' (make_error_msg, auth errors, netaio's default
    NOT_FOUND) make it time out (Q5).  Like the Swift client we also listen for
    NOT_FOUND/NOT_PERMITTED/ERROR/AUTH_ERROR with uri 'ERROR' or '' from the server,
    and NOT_PERMITTED with the request's uri, and report them as error replies
    (exit 1).  A plain AUTH_ERROR fails our outer HMAC check; our auth_error_handler
    reports it instead of dropping it.
  * TCP: a receive loop without inner plugins is started before request(): when
    request() starts the loop itself with inner plugins, the loop and the ephemeral
    handler both decrypt the reply (Q7).
  * request() has no key for CONFIRM_SUBSCRIBE, so `subscribe` sends SUBSCRIBE_URI with
    send() and waits on its own ephemeral handler.
  * UDP: `ignore_own_ip=False` (Q32), and the node never answers anything (netaio's
    default handler would answer NOT_FOUND, Q1).  Host names are resolved first:
    replies are matched by the sender's (ip, port).
"""
from __future__ import annotations

import asyncio
import json
import sys

from netaio import Message, MessageType, TCPClient, UDPNode
from netaio.common import Body

import peercommon as pc

COMMANDS = {
    "request": MessageType.REQUEST_URI,
    "create": MessageType.CREATE_URI,
    "update": MessageType.UPDATE_URI,
    "delete": MessageType.DELETE_URI,
    "publish": MessageType.PUBLISH_URI,
    "subscribe": MessageType.SUBSCRIBE_URI,
}
SUCCESS = {MessageType.OK, MessageType.RESPOND_URI,
           MessageType.CONFIRM_SUBSCRIBE, MessageType.CONFIRM_UNSUBSCRIBE}
ERROR_TYPES = (MessageType.NOT_FOUND, MessageType.NOT_PERMITTED,
               MessageType.ERROR, MessageType.AUTH_ERROR)
ERROR_URIS = (b"ERROR", b"")


def parse_args(argv):
    parser = pc.ArgumentParser(prog="client.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("url", help="tcp://HOST:PORT or udp://HOST:PORT")
    parser.add_argument("uri")
    content = parser.add_mutually_exclusive_group()
    content.add_argument("--content", metavar="TEXT", help="message content (UTF-8)")
    content.add_argument("--content-file", metavar="F", help="message content from a file ('-' = stdin)")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="SEC",
                        help="seconds to wait for the connection and the reply (default 5)")
    parser.add_argument("--json", action="store_true",
                        help="print each message as one JSON object (type, type_value, uri, uri_hex, "
                             "content, content_hex), as the Swift CLI")
    parser.add_argument("--count", type=int, default=0, metavar="N",
                        help="subscribe: exit 0 after N notifications (default: run until stopped)")
    pc.add_plugin_flags(parser)
    pc.add_layer_flags(parser)
    peers = parser.add_argument_group("peer management (Python test peers only)")
    peers.add_argument("--manage-peers", action="store_true",
                       help="netaio's automatic peer management; wait for the server's PEER_DISCOVERED")
    peers.add_argument("--app-id", default="netaio", help="peer-management app id")
    peers.add_argument("--peer-id", metavar="ID", help="local peer id, its UTF-8 bytes (default: random)")
    args = parser.parse_args(argv)
    try:
        args.inner = pc.inner_plugins(args)
    except (pc.UsageError, ValueError) as error:
        parser.error(str(error))
    scheme, sep, rest = args.url.partition("://")
    if not sep or scheme not in ("tcp", "udp"):
        parser.error(f"URL must be tcp://HOST:PORT or udp://HOST:PORT, got {args.url!r}")
    try:
        args.scheme, (args.host, args.port) = scheme, pc.parse_host_port(rest)
    except pc.UsageError as error:
        parser.error(str(error))
    if args.timeout <= 0:
        parser.error("--timeout must be positive")
    if args.x25519_seed is not None and not args.manage_peers:
        parser.error("--x25519-seed needs --manage-peers (the server's pubkey comes from its PEER_DISCOVERED)")
    return args


def read_content(args) -> bytes:
    if args.content is not None:
        return args.content.encode()
    if args.content_file is not None:
        if args.content_file == "-":
            return sys.stdin.buffer.read()
        with open(args.content_file, "rb") as f:
            return f.read()
    return b""


JSON_OUTPUT = False


def describe(message) -> str:
    """`TYPE content` (UTF-8 text, or 0x + hex when not UTF-8), or with --json one object:
    the Swift CLI's MessageOutput."""
    try:
        name = MessageType(message.header.message_type).name
    except ValueError:
        name = str(int(message.header.message_type))
    uri, content = message.body.uri, message.body.content
    if JSON_OUTPUT:
        obj = {"type": name, "type_value": int(message.header.message_type),
               "uri_hex": uri.hex(), "content_hex": content.hex()}
        for key, raw in (("uri", uri), ("content", content)):
            try:
                obj[key] = raw.decode("utf-8")
            except UnicodeDecodeError:
                pass
        return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if not content:
        return name
    try:
        return f"{name} {content.decode('utf-8')}"
    except UnicodeDecodeError:
        return f"{name} 0x{content.hex()}"


class Outcome:
    """The first reply (or error reply) wins; later ones are ignored."""

    def __init__(self):
        self.future: asyncio.Future = asyncio.get_running_loop().create_future()

    def settle(self, message) -> None:
        if not self.future.done():
            self.future.set_result(message)


def watch_error_replies(node, server, outcome: Outcome, request_uri: bytes) -> None:
    """Error replies netaio's request() cannot match: uri 'ERROR' or '' (Q5), and
    NOT_PERMITTED with the request's uri (request() has no key for it)."""
    def handler(message, _source):
        outcome.settle(message)

    for message_type in ERROR_TYPES:
        for uri in ERROR_URIS:
            node.add_handler((message_type, uri, server), handler)
    node.add_handler((MessageType.NOT_PERMITTED, request_uri, server), handler)


def auth_error_handler(outcome: Outcome):
    """Called when a reply fails our outer HMAC check: netaio sends auth errors plain."""
    def handle(_node, _plugin, message):
        if message is not None and message.header.message_type in ERROR_TYPES \
                and message.body.uri in ERROR_URIS:
            outcome.settle(message)
        return None  # never answer (a UDP node would send it)
    return handle


def finish(reply) -> int:
    print(describe(reply), flush=True)
    return pc.EXIT_OK if reply.header.message_type in SUCCESS else pc.EXIT_ERROR_REPLY


async def one_request(node, request_coro, outcome: Outcome, timeout: float) -> int:
    task = asyncio.ensure_future(request_coro)
    done, _ = await asyncio.wait({task, outcome.future}, timeout=timeout + 1,
                                 return_when=asyncio.FIRST_COMPLETED)
    if outcome.future in done:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return finish(outcome.future.result())
    if task in done:
        try:
            return finish(task.result())
        except TimeoutError:
            pass
    else:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    print(f"timeout: no reply within {timeout:g}s", file=sys.stderr)
    return pc.EXIT_TIMEOUT


async def subscribe(args, node, send, server, outcome: Outcome, connection_closed) -> int:
    uri = args.uri.encode()
    auth, cipher = args.inner
    confirmed = Outcome()
    notifications = asyncio.Queue()
    layers = dict(auth_plugin=auth, cipher_plugin=cipher)
    node.add_ephemeral_handler((MessageType.CONFIRM_SUBSCRIBE, uri, server),
                               lambda m, _s: confirmed.settle(m), **layers)
    node.add_ephemeral_handler((MessageType.NOT_FOUND, uri, server), lambda m, _s: outcome.settle(m), **layers)
    node.add_ephemeral_handler((MessageType.ERROR, uri, server), lambda m, _s: outcome.settle(m), **layers)
    node.add_handler((MessageType.NOTIFY_URI, uri, server), lambda m, _s: notifications.put_nowait(m), **layers)
    await send(Message.prepare(Body.prepare(b"", uri), MessageType.SUBSCRIBE_URI))
    done, _ = await asyncio.wait({confirmed.future, outcome.future}, timeout=args.timeout,
                                 return_when=asyncio.FIRST_COMPLETED)
    if outcome.future in done:
        return finish(outcome.future.result())
    if not done:
        print(f"timeout: no reply within {args.timeout:g}s", file=sys.stderr)
        return pc.EXIT_TIMEOUT
    print(describe(confirmed.future.result()), flush=True)

    stop = asyncio.Event()
    pc.install_stop_signals(stop)
    stopped = asyncio.ensure_future(stop.wait())
    seen = 0
    while args.count == 0 or seen < args.count:
        next_one = asyncio.ensure_future(notifications.get())
        waits = {next_one, stopped} | ({connection_closed} if connection_closed else set())
        done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        if next_one not in done:
            next_one.cancel()
            if stopped in done:
                return pc.EXIT_OK
            print("connection closed by the server", file=sys.stderr)
            return pc.EXIT_CONNECTION_FAILED
        print(describe(next_one.result()), flush=True)
        seen += 1
    return pc.EXIT_OK


async def wait_for_peer(client: TCPClient, server, timeout: float) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while server not in client.peer_addrs:
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


async def run_tcp(args, content: bytes) -> int:
    outcome = Outcome()
    auth, cipher = pc.outer_plugins(args)
    host = pc.resolve_ipv4(args.host)
    server = (host, args.port)
    inner_auth, inner_cipher = args.inner
    client = TCPClient(host, args.port, auth_plugin=auth, cipher_plugin=cipher,
                       local_peer=pc.make_local_peer(args.peer_id, pc.local_peer_data(inner_cipher)),
                       auth_error_handler=auth_error_handler(outcome))
    if args.manage_peers:
        await client.manage_peers_automatically(args.app_id.encode())
    try:
        await asyncio.wait_for(client.connect(host, args.port), timeout=args.timeout)
    except (OSError, asyncio.TimeoutError) as error:
        print(f"connection failed: {pc.format_host_port(args.host, args.port)}: {error}", file=sys.stderr)
        return pc.EXIT_CONNECTION_FAILED
    watch_error_replies(client, server, outcome, args.uri.encode())
    try:
        message_type = COMMANDS[args.command]
        uri = args.uri.encode()
        loop_task, _ = await client.start_receive_loop(server)
        if args.manage_peers and not await wait_for_peer(client, server, args.timeout):
            print(f"timeout: no PEER_DISCOVERED within {args.timeout:g}s", file=sys.stderr)
            return pc.EXIT_TIMEOUT
        if message_type == MessageType.SUBSCRIBE_URI:
            return await subscribe(
                args, client,
                lambda m: client.send(m, server=server, auth_plugin=inner_auth, cipher_plugin=inner_cipher),
                server, outcome, loop_task)
        request = client.request(uri, server=server, timeout=args.timeout,
                                 message_type=message_type, content=content,
                                 auth_plugin=inner_auth, cipher_plugin=inner_cipher)
        return await one_request(client, request, outcome, args.timeout)
    finally:
        if args.manage_peers:
            await client.close(server)  # stops the loop, sends DISCONNECT
        else:
            await client.stop_all_receive_loops()
            client.hosts[server][1].close()


async def run_udp(args, content: bytes) -> int:
    outcome = Outcome()
    auth, cipher = pc.outer_plugins(args)
    server = (pc.resolve_ipv4(args.host), args.port)
    inner_auth, inner_cipher = args.inner
    node = UDPNode(port=0, interface="0.0.0.0", auth_plugin=auth, cipher_plugin=cipher,
                   local_peer=pc.make_local_peer(args.peer_id, pc.local_peer_data(inner_cipher)),
                   default_handler=lambda *_: None, ignore_own_ip=False,
                   auth_error_handler=auth_error_handler(outcome))
    try:
        await node.start()
    except OSError as error:
        print(f"connection failed: cannot bind a UDP socket: {error}", file=sys.stderr)
        return pc.EXIT_CONNECTION_FAILED
    app_id = args.app_id.encode()
    if args.manage_peers:
        # As node.py: the bound port, not 0, for the advertisement loop's multicasts.
        node.port = node.transport.get_extra_info("sockname")[1]
        await node.manage_peers_automatically(advertise_every=3600, app_id=app_id, peer_timeout=3600)
    watch_error_replies(node, server, outcome, args.uri.encode())
    try:
        if args.manage_peers:
            node.send(pc.peer_message(node, MessageType.ADVERTISE_PEER, app_id), server)
            if not await wait_for_peer(node, server, args.timeout):
                print(f"timeout: no PEER_DISCOVERED within {args.timeout:g}s", file=sys.stderr)
                return pc.EXIT_TIMEOUT
        message_type = COMMANDS[args.command]
        uri = args.uri.encode()

        async def send(message):
            node.send(message, server, auth_plugin=inner_auth, cipher_plugin=inner_cipher)

        if message_type == MessageType.SUBSCRIBE_URI:
            return await subscribe(args, node, send, server, outcome, None)
        request = node.request(uri, server, timeout=args.timeout,
                               message_type=message_type, content=content,
                               auth_plugin=inner_auth, cipher_plugin=inner_cipher)
        return await one_request(node, request, outcome, args.timeout)
    finally:
        if args.manage_peers:
            node.send(pc.peer_message(node, MessageType.DISCONNECT, app_id), server)
            advertiser = node._advertise_peer_tasks.pop(app_id, None)
            if advertiser is not None:
                advertiser.cancel()  # multicasts DISCONNECT (Q16: before the socket closes)
                await asyncio.gather(advertiser, return_exceptions=True)
        node.transport.close()


def main(argv) -> int:
    global JSON_OUTPUT
    args = parse_args(argv)
    JSON_OUTPUT = args.json
    pc.silence_netaio_logs(args.verbose)
    try:
        content = read_content(args)
    except OSError as error:
        print(f"client.py: cannot read --content-file: {error}", file=sys.stderr)
        return pc.EXIT_NO_INPUT
    runner = run_tcp if args.scheme == "tcp" else run_udp
    return asyncio.run(runner(args, content))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
