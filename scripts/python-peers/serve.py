#!/usr/bin/env python3
"""`netaio serve` on the real Python netaio 0.0.9: a TCPServer running the reference
resource behaviour, with the same flags and the same `listening on HOST:PORT` line.

    .venv/bin/python scripts/python-peers/serve.py [--host H] [--port P]
        [--hmac-secret S] [--cipher-key K] [--app-id ID] [--manage-peers]
        [--peer-id ID] [--print-peers] [-v]
        [--inner-hmac-secret S] [--inner-cipher-key K | --x25519-seed HEX] [--once URI=TEXT]...

Resource behaviour (README.md in this folder): CREATE_URI stores (OK), REQUEST_URI
answers RESPOND_URI or NOT_FOUND, UPDATE_URI replaces (OK, NOT_FOUND) and sends
NOTIFY_URI with the new content to the uri's subscribers, DELETE_URI removes (OK,
NOT_FOUND), SUBSCRIBE_URI/UNSUBSCRIBE_URI answer CONFIRM_SUBSCRIBE/CONFIRM_UNSUBSCRIBE,
PUBLISH_URI notifies the subscribers and answers OK.  Every reply carries the
request's uri.  Stops cleanly (exit 0) on SIGINT/SIGTERM.

The last line's flags are for the interop tests of netaio's layering (`netaio serve` has
all of them but `--once`): the
resource handlers are registered with those inner plugins, and `--once` registers an
ephemeral handler on (REQUEST_URI, URI) that answers TEXT once, after which the
type-level handler answers again (netaio's dispatch order).

Workarounds for netaio 0.0.9 (none changes a byte on the wire):
  * `TCPServer.start()` only returns when the server stops, so the real port of
    `--port 0` cannot be read from it; we make the same `asyncio.start_server` call
    start() makes (same handle_client, same use_auth/use_cipher) and read the port.
  * The default handler answers NOT_FOUND with the request's uri (netaio's uses uri
    '', which its own request() never matches, Q5/Q24) and stays silent for
    replies, notifications, peer messages and NOT_FOUND/NOT_PERMITTED/*ERROR* (as the
    Swift ResourceService does, Q1).
  * `TCPServer.unsubscribe` raises KeyError for a connection that is not subscribed
    (it would close the connection, Q21); we only call it for subscribers.
  * Notifications are sent after the handler's reply (a task scheduled from the
    handler), so a publisher that is also a subscriber sees its OK first.
"""
from __future__ import annotations

import asyncio
import sys

from netaio import MessageType, TCPServer

import peercommon as pc


def parse_args(argv):
    parser = pc.ArgumentParser(prog="serve.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8888, help="TCP port; 0 picks a free one (default 8888)")
    parser.add_argument("--app-id", default="netaio", help="peer-management app id (uri of ADVERTISE_PEER etc.)")
    parser.add_argument("--manage-peers", action="store_true",
                        help="netaio's automatic peer management (ADVERTISE_PEER / PEER_DISCOVERED / DISCONNECT)")
    pc.add_peer_flags(parser)
    pc.add_plugin_flags(parser)
    pc.add_layer_flags(parser, server=True)
    args = parser.parse_args(argv)
    try:
        args.once = pc.parse_once(args.once)
        args.inner = pc.inner_plugins(args)
    except (pc.UsageError, ValueError) as error:
        parser.error(str(error))
    if not 0 <= args.port <= 65535:
        parser.error("--port must be 0...65535")
    return args


def register_once_handlers(server: TCPServer, pairs, inner) -> None:
    auth, cipher = inner
    for uri, answer in pairs:
        server.add_ephemeral_handler(
            (MessageType.REQUEST_URI, uri),
            lambda msg, writer, answer=answer: pc.reply(MessageType.RESPOND_URI, msg.body.uri, answer),
            auth_plugin=auth, cipher_plugin=cipher)


def register_resource_handlers(server: TCPServer, store: pc.ResourceStore, inner) -> None:
    tasks: set[asyncio.Task] = set()
    auth, cipher = inner

    def on(key):
        return server.on(key, auth_plugin=auth, cipher_plugin=cipher)

    def notify_later(uri: bytes, content: bytes) -> None:
        task = asyncio.get_running_loop().create_task(server.notify(
            uri, pc.reply(MessageType.NOTIFY_URI, uri, content), auth_plugin=auth, cipher_plugin=cipher))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    @on(MessageType.CREATE_URI)
    def create(msg, writer):
        return store.create(msg)

    @on(MessageType.REQUEST_URI)
    def request(msg, writer):
        return store.request(msg)

    @on(MessageType.UPDATE_URI)
    def update(msg, writer):
        answer, changed = store.update(msg)
        if changed:
            notify_later(msg.body.uri, msg.body.content)
        return answer

    @on(MessageType.DELETE_URI)
    def delete(msg, writer):
        return store.delete(msg)

    @on(MessageType.SUBSCRIBE_URI)
    def subscribe(msg, writer):
        server.subscribe(msg.body.uri, writer)
        return pc.reply(MessageType.CONFIRM_SUBSCRIBE, msg.body.uri)

    @on(MessageType.UNSUBSCRIBE_URI)
    def unsubscribe(msg, writer):
        if writer in server.subscriptions.get(msg.body.uri, ()):
            server.unsubscribe(msg.body.uri, writer)
        return pc.reply(MessageType.CONFIRM_UNSUBSCRIBE, msg.body.uri)

    @on(MessageType.PUBLISH_URI)
    def publish(msg, writer):
        notify_later(msg.body.uri, msg.body.content)
        return pc.reply(MessageType.OK, msg.body.uri)


async def main(args) -> int:
    auth, cipher = pc.outer_plugins(args)
    server = TCPServer(
        port=args.port, interface=args.host,
        local_peer=pc.make_local_peer(args.peer_id, pc.local_peer_data(args.inner[1])),
        auth_plugin=auth, cipher_plugin=cipher,
        default_handler=lambda msg, writer: pc.ResourceStore.not_found(msg),
    )
    register_resource_handlers(server, pc.ResourceStore(), args.inner)
    register_once_handlers(server, args.once, args.inner)
    if args.manage_peers:
        await server.manage_peers_automatically(args.app_id.encode())

    # What TCPServer.start() does, minus serve_forever, so we can read the port.
    try:
        server.server = await asyncio.start_server(
            lambda r, w: server.handle_client(r, w, use_auth=True, use_cipher=True),
            args.host, args.port)
    except OSError as error:
        print(f"serve.py: cannot listen on {pc.format_host_port(args.host, args.port)}: {error}",
              file=sys.stderr)
        return pc.EXIT_CONNECTION_FAILED
    port = server.server.sockets[0].getsockname()[1]
    server.port = port
    stop = asyncio.Event()
    pc.install_stop_signals(stop)
    watcher = asyncio.create_task(pc.print_peer_changes(server)) if args.print_peers else None
    pc.announce_listening(args.host, port)
    await stop.wait()
    server.server.close()
    for writer in list(server.clients):
        writer.close()
    return pc.EXIT_OK


if __name__ == "__main__":
    arguments = parse_args(sys.argv[1:])
    pc.silence_netaio_logs(arguments.verbose)
    sys.exit(asyncio.run(main(arguments)))
