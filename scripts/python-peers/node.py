#!/usr/bin/env python3
"""`netaio node` on the real Python netaio 0.0.9: a UDPNode running the reference
resource behaviour (the same as serve.py, over datagrams), with the same flags and the
same `listening on HOST:PORT` line.

    .venv/bin/python scripts/python-peers/node.py [--host H] [--port P]
        [--hmac-secret S] [--cipher-key K] [--app-id ID] [--manage-peers]
        [--peer HOST:PORT]... [--advertise-every SEC] [--peer-timeout SEC]
        [--multicast-group G] [--multicast-interface ADDR] [--no-multicast]
        [--peer-id ID] [--print-peers] [-v]
        [--inner-hmac-secret S] [--inner-cipher-key K | --x25519-seed HEX]

Peer management (`--manage-peers`, implied by `--peer`) is netaio's
`manage_peers_automatically(advertise_every, app_id, peer_timeout)`: ADVERTISE_PEER
multicast to GROUP:PORT every SEC seconds, PEER_DISCOVERED replies, DISCONNECT when
stopping, peers dropped after --peer-timeout seconds of silence.  Each `--peer`
address also gets every ADVERTISE_PEER (and the final DISCONNECT) by unicast: the
same frames, for hosts where nodes cannot share a port or multicast is unavailable.

The last line's flags are serve.py's (and `netaio node`'s): the resource handlers and
their notifications get those inner plugins.  `--x25519-seed` needs peer management
(`--manage-peers` or `--peer`): netaio opens the box with the sender's pubkey from its
advertisement, so a request from an unknown address cannot be decrypted.

Workarounds for netaio 0.0.9 (none changes a byte on the wire):
  * `ignore_own_ip=False`: netaio's default drops every datagram whose source is the
    host's "primary" IP, i.e. all traffic from other processes on the same host (Q32).
  * `--port 0`: UDPNode keeps port 0 in `node.port`, so its multicasts would go to
    GROUP:0; we store the bound port there after start().
  * Unicast advertisements to `--peer` addresses are sent by this script (same
    message construction as netaio's advertisement loop); netaio only multicasts.
  * On SIGINT/SIGTERM the advertisement task is cancelled and awaited (it multicasts
    DISCONNECT), DISCONNECT is unicast to the --peer and known peer addresses, and
    only then is the socket closed; netaio's stop() closes first and loses it (Q16).
  * The default handler answers NOT_FOUND with the request's uri (netaio's uses uri
    'ERROR', Q24) and never answers replies, notifications, peer messages or
    NOT_FOUND/NOT_PERMITTED/*ERROR*, so two nodes cannot bounce NOT_FOUND forever (Q1).
  * `--multicast-interface` / `--no-multicast` (flags of `netaio node`): netaio joins
    the group on `interface` in connection_made; our subclass joins on the given
    address (and sends multicasts from it) or not at all.  A failed join is a warning
    on stderr, not an error, as in the Swift node.
  * Handlers are synchronous: netaio's UDPNode never awaits coroutine handlers (Q3).
"""
from __future__ import annotations

import asyncio
import socket
import sys

from netaio import MessageType, UDPNode

import peercommon as pc


def parse_args(argv):
    parser = pc.ArgumentParser(prog="node.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="0.0.0.0", help="IPv4 address to bind (default 0.0.0.0)")
    parser.add_argument("--port", type=int, default=8888, help="UDP port; 0 picks a free one (default 8888)")
    parser.add_argument("--app-id", default="netaio", help="peer-management app id")
    parser.add_argument("--manage-peers", action="store_true", help="netaio's automatic peer management")
    parser.add_argument("--peer", action="append", default=[], metavar="HOST:PORT",
                        help="also advertise to this node by unicast (repeatable; implies --manage-peers)")
    parser.add_argument("--advertise-every", type=float, default=20.0, metavar="SEC",
                        help="advertisement interval in seconds (default 20)")
    parser.add_argument("--peer-timeout", type=float, default=60.0, metavar="SEC",
                        help="drop peers silent for longer than this (default 60)")
    parser.add_argument("--multicast-group", default="224.0.0.1", metavar="G",
                        help="IPv4 multicast group to join and advertise to (default 224.0.0.1)")
    parser.add_argument("--multicast-interface", metavar="ADDR",
                        help="IPv4 address of the interface to join the group on and multicast from "
                             "(default: --host, as netaio)")
    parser.add_argument("--no-multicast", action="store_true", help="do not join the multicast group")
    pc.add_peer_flags(parser)
    pc.add_plugin_flags(parser)
    pc.add_layer_flags(parser)
    args = parser.parse_args(argv)
    try:
        args.inner = pc.inner_plugins(args)
    except (pc.UsageError, ValueError) as error:
        parser.error(str(error))
    if args.x25519_seed is not None and not (args.manage_peers or args.peer):
        parser.error("--x25519-seed needs --manage-peers or --peer")
    if not 0 <= args.port <= 65535:
        parser.error("--port must be 0...65535")
    if args.advertise_every <= 0 or args.peer_timeout <= 0:
        parser.error("--advertise-every and --peer-timeout must be positive")
    try:
        args.peer = [pc.parse_host_port(p) for p in args.peer]
    except pc.UsageError as error:
        parser.error(str(error))
    return args


class ReferenceUDPNode(UDPNode):
    """UDPNode whose multicast join follows --multicast-interface / --no-multicast."""

    def __init__(self, *args, multicast_interface: str | None, join_multicast: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.multicast_interface = multicast_interface
        self.join_multicast = join_multicast

    def connection_made(self, transport):
        if not self.join_multicast:
            return
        interface = self.multicast_interface or self.interface
        sock = transport.get_extra_info("socket")
        try:
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                            socket.inet_aton(self.multicast_group) + socket.inet_aton(interface))
            if self.multicast_interface:
                sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(interface))
        except OSError as error:
            print(f"warning: could not join multicast group {self.multicast_group}: {error}; unicast only",
                  file=sys.stderr)


def register_resource_handlers(node: UDPNode, store: pc.ResourceStore, inner) -> None:
    auth, cipher = inner

    def on(key):
        return node.on(key, auth_plugin=auth, cipher_plugin=cipher)

    def notify(uri: bytes, content: bytes) -> None:
        node.notify(uri, pc.reply(MessageType.NOTIFY_URI, uri, content), auth_plugin=auth, cipher_plugin=cipher)

    @on(MessageType.CREATE_URI)
    def create(msg, addr):
        return store.create(msg)

    @on(MessageType.REQUEST_URI)
    def request(msg, addr):
        return store.request(msg)

    @on(MessageType.UPDATE_URI)
    def update(msg, addr):
        answer, changed = store.update(msg)
        if changed:
            # After the reply: call_soon runs once datagram_received has sent it.
            asyncio.get_running_loop().call_soon(notify, msg.body.uri, msg.body.content)
        return answer

    @on(MessageType.DELETE_URI)
    def delete(msg, addr):
        return store.delete(msg)

    @on(MessageType.SUBSCRIBE_URI)
    def subscribe(msg, addr):
        node.subscribe(msg.body.uri, addr)
        return pc.reply(MessageType.CONFIRM_SUBSCRIBE, msg.body.uri)

    @on(MessageType.UNSUBSCRIBE_URI)
    def unsubscribe(msg, addr):
        if addr in node.subscriptions.get(msg.body.uri, ()):
            node.unsubscribe(msg.body.uri, addr)
        return pc.reply(MessageType.CONFIRM_UNSUBSCRIBE, msg.body.uri)

    @on(MessageType.PUBLISH_URI)
    def publish(msg, addr):
        asyncio.get_running_loop().call_soon(notify, msg.body.uri, msg.body.content)
        return pc.reply(MessageType.OK, msg.body.uri)


async def unicast_advertisements(node: UDPNode, peers, app_id: bytes, every: float) -> None:
    while True:
        for addr in peers:
            node.send(pc.peer_message(node, MessageType.ADVERTISE_PEER, app_id), addr)
        await asyncio.sleep(every)


async def main(args) -> int:
    auth, cipher = pc.outer_plugins(args)
    node = ReferenceUDPNode(
        multicast_interface=args.multicast_interface, join_multicast=not args.no_multicast,
        port=args.port, interface=args.host, multicast_group=args.multicast_group,
        local_peer=pc.make_local_peer(args.peer_id, pc.local_peer_data(args.inner[1])),
        auth_plugin=auth, cipher_plugin=cipher,
        default_handler=lambda msg, addr: pc.ResourceStore.not_found(msg),
        ignore_own_ip=False,
    )
    register_resource_handlers(node, pc.ResourceStore(), args.inner)
    try:
        await node.start()
    except OSError as error:
        print(f"node.py: cannot bind {pc.format_host_port(args.host, args.port)}: {error}", file=sys.stderr)
        return pc.EXIT_CONNECTION_FAILED
    node.port = node.transport.get_extra_info("sockname")[1]
    app_id = args.app_id.encode()
    peers = [(pc.resolve_ipv4(host), port) for host, port in args.peer]
    unicast_task = None
    managing = args.manage_peers or bool(peers)
    if managing:
        await node.manage_peers_automatically(
            advertise_every=args.advertise_every, app_id=app_id, peer_timeout=args.peer_timeout)
        if peers:
            unicast_task = asyncio.create_task(
                unicast_advertisements(node, peers, app_id, args.advertise_every))

    stop = asyncio.Event()
    pc.install_stop_signals(stop)
    watcher = asyncio.create_task(pc.print_peer_changes(node)) if args.print_peers else None
    pc.announce_listening(args.host, node.port)
    await stop.wait()

    if managing:
        if unicast_task is not None:
            unicast_task.cancel()
        advertiser = node._advertise_peer_tasks.pop(app_id, None)
        if advertiser is not None:
            advertiser.cancel()  # its cancellation path multicasts DISCONNECT
            await asyncio.gather(advertiser, return_exceptions=True)
        targets = dict.fromkeys(peers + list(node.peer_addrs))
        for addr in targets:
            node.send(pc.peer_message(node, MessageType.DISCONNECT, app_id), addr)
    node.transport.close()
    return pc.EXIT_OK


if __name__ == "__main__":
    arguments = parse_args(sys.argv[1:])
    pc.silence_netaio_logs(arguments.verbose)
    sys.exit(asyncio.run(main(arguments)))
