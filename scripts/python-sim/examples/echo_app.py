"""An example user module for the Python external-node adapter (`config.module`).

A netaio app of your own, run inside the deterministic simulator: `build(ctx)` builds
the netaio node and registers its handlers; the adapter starts it, turns on peer
management when the scenario asks for it, and drives it on virtual time.

This app answers every REQUEST_URI with RESPOND_URI "echo:" + the uri (+ " " + the
request's content, if any), counts PUBLISH_URI/NOTIFY_URI (so `received` expectations
work), and keeps netaio's own default handler for everything else. It works for the
`udp` and `tcp_server` roles.

    {"op": "init", ..., "config": {..., "module": "scripts/python-sim/examples/echo_app.py"}}
"""
from netaio import MessageType, make_respond_uri_msg


def build(ctx):
    node = ctx.make_node()  # UDPNode / TCPServer with the scenario's address, peer and plugins

    @node.on(MessageType.REQUEST_URI)
    def echo(message, origin):
        answer = b"echo:" + message.body.uri
        if message.body.content:
            answer += b" " + message.body.content
        return make_respond_uri_msg(answer, message.body.uri)

    def counted(message, origin):
        ctx.report_received(message.body.uri, message.header.message_type.name)
        return None

    node.on(MessageType.PUBLISH_URI)(counted)
    node.on(MessageType.NOTIFY_URI)(counted)

    ctx.reference_handlers = False  # the default: only this module's handlers
    return node
