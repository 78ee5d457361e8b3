"""An asyncio event loop on virtual time, with virtual UDP and TCP transports.

Part of the Python external-node adapter (docs/external-nodes.md, "The Python adapter").
Nothing here opens a socket or reads a clock: `time()` is whatever the driver last set,
and every datagram, connect, write and close becomes an *action* (a plain dict, the
contract's JSON shape) handed to `loop.emit`.

    loop = VirtualEventLoop(local_host="10.0.0.3")
    loop.emit = actions.append          # where actions go
    loop.create_task(main())
    loop.run_until_idle(now)            # every ready callback, every timer <= now
    loop.next_deadline()                # earliest pending timer, or None

Inputs from the network are handed in with `deliver_datagram`, `accept`,
`connect_result`, `deliver_data` and `remote_closed`, followed by `run_until_idle`.

What a transport does, compared with asyncio's selector transports:
  * UDP `sendto` emits `{"send": ...}` at once; after `close()` it is dropped silently.
  * TCP `write` emits `{"write": ...}` at once (nothing is ever buffered, so `drain()`
    never waits); `close()`/`abort()` emit `{"close": ...}` and call `connection_lost`
    soon. After the simulator said `closed`, the node sends nothing more on that
    connection: no write, no close; the first write after it is dropped and loses the
    connection with ConnectionResetError (as a socket that gets a RST would).
  * `closed` from the simulator is an end of stream (FIN): `eof_received()`, then the
    transport closes itself unless the protocol asks to stay half-open (streams do;
    the application then sees EOF and closes).
  * `pause_reading()` holds incoming data in the transport until `resume_reading()`.
"""
from __future__ import annotations

import asyncio
import base64
import collections
import errno
import heapq
import socket
import threading
from asyncio import events, futures


def _b64(data: bytes) -> str:
    return base64.b64encode(bytes(data)).decode("ascii")


def _addr(host: str, port: int) -> dict:
    return {"host": host, "port": int(port)}


class FakeSocket:
    """What `transport.get_extra_info("socket")` returns: options are accepted and
    ignored (netaio's UDPNode joins its multicast group with setsockopt)."""

    def __init__(self, family: int, type_: int, sockname: tuple, peername: tuple | None = None):
        self.family = family
        self.type = type_
        self.proto = 0
        self._sockname = sockname
        self._peername = peername
        self.options: list[tuple] = []

    def setsockopt(self, level, optname, value=None, optlen=None):
        self.options.append((level, optname, value))

    def getsockopt(self, level, optname, buflen=None):
        return 0

    def getsockname(self):
        return self._sockname

    def getpeername(self):
        if self._peername is None:
            raise OSError(errno.ENOTCONN, "Transport endpoint is not connected")
        return self._peername

    def fileno(self):
        return -1

    def setblocking(self, flag):
        pass

    def settimeout(self, value):
        pass

    def close(self):
        pass


class VirtualDatagramTransport(asyncio.DatagramTransport):
    def __init__(self, loop: "VirtualEventLoop", protocol, sockname: tuple):
        super().__init__()
        self._loop = loop
        self._protocol = protocol
        self._sockname = sockname
        self._closing = False
        self._sock = FakeSocket(socket.AF_INET, socket.SOCK_DGRAM, sockname)

    def get_extra_info(self, name, default=None):
        if name == "socket":
            return self._sock
        if name == "sockname":
            return self._sockname
        if name == "peername":
            return None
        return default

    def sendto(self, data, addr=None):
        if addr is None:
            raise ValueError("virtual datagram transport: sendto needs an address")
        if not data:
            return
        if self._closing:
            return  # asyncio drops (and eventually logs) sends on a closed transport
        host, port = addr[0], addr[1]
        self._loop.emit({"send": {"to": _addr(host, port), "data": _b64(data)}})

    def is_closing(self):
        return self._closing

    def close(self):
        if self._closing:
            return
        self._closing = True
        self._loop._datagram_closed(self)
        self._loop.call_soon(self._protocol.connection_lost, None)

    def abort(self):
        self.close()

    def get_write_buffer_size(self):
        return 0

    def get_protocol(self):
        return self._protocol

    def set_protocol(self, protocol):
        self._protocol = protocol

    def _deliver(self, data: bytes, addr: tuple):
        if not self._closing:
            self._protocol.datagram_received(data, addr)


class VirtualStreamTransport(asyncio.Transport):
    def __init__(self, loop: "VirtualEventLoop", conn: int, protocol, sockname: tuple, peername: tuple):
        super().__init__()
        self._loop = loop
        self.conn = conn
        self._protocol = protocol
        self._sockname = sockname
        self._peername = peername
        self._closing = False       # closed by us (close/abort)
        self._remote_closed = False  # the simulator said `closed`
        self._lost = False           # connection_lost scheduled
        self._paused = False
        self._held: list[bytes] = []
        self._sock = FakeSocket(socket.AF_INET, socket.SOCK_STREAM, sockname, peername)

    def __repr__(self):
        return f"<VirtualStreamTransport conn={self.conn} peer={self._peername}>"

    def get_extra_info(self, name, default=None):
        if name == "peername":
            return self._peername
        if name == "sockname":
            return self._sockname
        if name == "socket":
            return self._sock
        return default

    # --- writing --------------------------------------------------------------
    def write(self, data):
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data argument must be a bytes-like object, not {type(data).__name__!r}")
        if not data:
            return
        if self._closing or self._lost:
            return  # asyncio: writes after close are dropped
        if self._remote_closed:
            self._lose(ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"))
            return
        self._loop.emit({"write": {"conn": self.conn, "data": _b64(data)}})

    def writelines(self, list_of_data):
        self.write(b"".join(list_of_data))

    def can_write_eof(self):
        return False

    def write_eof(self):
        raise NotImplementedError("virtual TCP connections have no half-close")

    def get_write_buffer_size(self):
        return 0

    def get_write_buffer_limits(self):
        return (0, 0)

    def set_write_buffer_limits(self, high=None, low=None):
        pass

    # --- reading --------------------------------------------------------------
    def is_reading(self):
        return not self._paused and not self._closing and not self._lost

    def pause_reading(self):
        self._paused = True

    def resume_reading(self):
        if not self._paused:
            return
        self._paused = False
        held, self._held = self._held, []
        for chunk in held:
            self._loop.call_soon(self._feed, chunk)

    def _incoming(self, data: bytes):
        if self._closing or self._lost or self._remote_closed:
            return  # data for a connection we closed: dropped (a kernel would reset)
        if self._paused:
            self._held.append(data)
        else:
            self._loop.call_soon(self._feed, data)

    def _feed(self, data: bytes):
        if self._closing or self._lost:
            return
        if self._paused:
            self._held.append(data)
            return
        self._protocol.data_received(data)

    def _remote_close(self):
        if self._remote_closed:
            return
        self._remote_closed = True
        if self._closing or self._lost:
            return
        self._loop.call_soon(self._eof)

    def _eof(self):
        if self._closing or self._lost:
            return
        # Held data first, then the end of stream.
        held, self._held = self._held, []
        for chunk in held:
            self._protocol.data_received(chunk)
        keep_open = self._protocol.eof_received()
        if not keep_open:
            self.close()

    # --- closing --------------------------------------------------------------
    def is_closing(self):
        return self._closing or self._lost

    def close(self):
        if self._closing:
            return
        self._closing = True
        if not self._remote_closed and not self._lost:
            self._loop.emit({"close": {"conn": self.conn}})
        if not self._lost:
            self._lost = True
            self._loop.call_soon(self._connection_lost, None)

    def abort(self):
        self.close()

    def _lose(self, exc):
        if self._lost:
            return
        self._lost = True
        self._loop.call_soon(self._connection_lost, exc)

    def _connection_lost(self, exc):
        try:
            self._protocol.connection_lost(exc)
        finally:
            self._loop._stream_finished(self)

    def get_protocol(self):
        return self._protocol

    def set_protocol(self, protocol):
        self._protocol = protocol


class VirtualServer(asyncio.AbstractServer):
    """What `create_server` returns (asyncio.Server's behaviour, minus sockets)."""

    def __init__(self, loop: "VirtualEventLoop", protocol_factory, sockname: tuple):
        self._loop = loop
        self._protocol_factory = protocol_factory
        self._sockname = sockname
        self._serving = False
        self._closed = False
        self._serving_forever_fut = None
        self._sockets = [FakeSocket(socket.AF_INET, socket.SOCK_STREAM, sockname)]

    def __repr__(self):
        return f"<VirtualServer {self._sockname}>"

    @property
    def sockets(self):
        return () if self._closed else tuple(self._sockets)

    def get_loop(self):
        return self._loop

    def is_serving(self):
        return self._serving and not self._closed

    async def start_serving(self):
        if self._closed:
            raise RuntimeError(f"server {self!r} is closed")
        self._serving = True

    async def serve_forever(self):
        if self._serving_forever_fut is not None:
            raise RuntimeError(f"server {self!r} is already being awaited on serve_forever()")
        if self._closed:
            raise RuntimeError(f"server {self!r} is closed")
        self._serving = True
        self._serving_forever_fut = self._loop.create_future()
        try:
            await self._serving_forever_fut
        except asyncio.CancelledError:
            try:
                self.close()
                await self.wait_closed()
            finally:
                raise
        finally:
            self._serving_forever_fut = None

    def close(self):
        if self._closed:
            return
        self._closed = True
        self._serving = False
        self._loop._server_closed(self)
        if self._serving_forever_fut is not None and not self._serving_forever_fut.done():
            self._serving_forever_fut.cancel()
            self._serving_forever_fut = None

    async def wait_closed(self):
        # Python 3.11 semantics: returns once the listening side is closed; open
        # connections are not waited for.
        return


class VirtualEventLoop(asyncio.BaseEventLoop):
    """asyncio loop whose clock is set by the driver and whose I/O is virtual.

    `local_host` is the node's own IPv4 address: UDP endpoints and servers are bound
    to it whatever address the application asks for (the simulator gives a node one
    address), and a client connection's sockname is (local_host, 0).
    """

    #: ready callbacks run at one instant before run_until_idle gives up (a busy loop
    #: such as `while True: await asyncio.sleep(0)` never lets virtual time advance)
    MAX_CALLBACKS_PER_INSTANT = 1_000_000

    def __init__(self, local_host: str = "127.0.0.1", now: float = 0.0):
        super().__init__()
        self._now = float(now)
        self.local_host = local_host
        self.emit = lambda action: None
        self._datagram: VirtualDatagramTransport | None = None
        self._server: VirtualServer | None = None
        self._streams: dict[int, VirtualStreamTransport] = {}
        self._pending_connects: dict[int, tuple[asyncio.Future, tuple]] = {}
        self._next_conn = 1
        self.callbacks_run = 0

    # --- time -------------------------------------------------------------------
    def time(self):
        return self._now

    def set_time(self, now: float):
        self._now = float(now)

    def next_deadline(self) -> float | None:
        """Earliest `when` of a pending, non-cancelled timer, or None."""
        self._drop_cancelled_timers()
        return self._scheduled[0]._when if self._scheduled else None

    def _drop_cancelled_timers(self):
        sched = self._scheduled
        if len(sched) > 100 and self._timer_cancelled_count * 2 > len(sched):
            kept = []
            for handle in sched:
                if handle._cancelled:
                    handle._scheduled = False
                else:
                    kept.append(handle)
            heapq.heapify(kept)
            self._scheduled = kept
            self._timer_cancelled_count = 0
            sched = kept
        while sched and sched[0]._cancelled:
            self._timer_cancelled_count -= 1
            handle = heapq.heappop(sched)
            handle._scheduled = False

    # --- running ----------------------------------------------------------------
    def run_until_idle(self, now: float | None = None) -> int:
        """Set the clock to `now`, then run every ready callback and every timer due
        at or before `now`, again and again until nothing is left at `now`. Returns
        the number of callbacks run."""
        if now is not None:
            self._now = float(now)
        if self._closed:
            raise RuntimeError("Event loop is closed")
        previous = events._get_running_loop()
        if previous is not None and previous is not self:
            raise RuntimeError("another event loop is running in this thread")
        events._set_running_loop(self)
        self._thread_id = threading.get_ident()
        ran = 0
        try:
            while True:
                self._drop_cancelled_timers()
                sched = self._scheduled
                while sched and sched[0]._when <= self._now:
                    handle = heapq.heappop(sched)
                    handle._scheduled = False
                    if handle._cancelled:
                        self._timer_cancelled_count -= 1
                        continue
                    self._ready.append(handle)
                if not self._ready:
                    break
                ntodo = len(self._ready)
                for _ in range(ntodo):
                    handle = self._ready.popleft()
                    if handle._cancelled:
                        continue
                    self._current_handle = handle
                    try:
                        handle._run()
                    finally:
                        self._current_handle = None
                    ran += 1
                handle = None
                if ran > self.MAX_CALLBACKS_PER_INSTANT:
                    raise RuntimeError(
                        f"more than {self.MAX_CALLBACKS_PER_INSTANT} callbacks at t={self._now!r}: "
                        "a busy loop never lets virtual time advance")
        finally:
            self._thread_id = None
            events._set_running_loop(previous)
            self.callbacks_run += ran
        return ran

    def run_forever(self):
        raise RuntimeError("VirtualEventLoop runs only through run_until_idle(now)")

    def run_until_complete(self, future):
        raise RuntimeError("VirtualEventLoop runs only through run_until_idle(now)")

    def _write_to_self(self):
        pass  # call_soon_threadsafe: nothing to wake, the driver runs the loop

    def _process_events(self, event_list):
        pass

    # --- UDP ----------------------------------------------------------------------
    async def create_datagram_endpoint(self, protocol_factory, local_addr=None, remote_addr=None, *,
                                       family=0, proto=0, flags=0, reuse_address=None, reuse_port=None,
                                       allow_broadcast=None, sock=None):
        if remote_addr is not None or sock is not None:
            raise NotImplementedError("virtual UDP: only local_addr endpoints (as netaio's UDPNode)")
        if self._datagram is not None:
            raise OSError(errno.EADDRINUSE, "virtual UDP: this node already has a datagram endpoint")
        port = int(local_addr[1]) if local_addr else 0
        protocol = protocol_factory()
        transport = VirtualDatagramTransport(self, protocol, (self.local_host, port))
        self._datagram = transport
        waiter = self.create_future()
        self.call_soon(protocol.connection_made, transport)
        self.call_soon(futures._set_result_unless_cancelled, waiter, None)
        await waiter
        return transport, protocol

    def _datagram_closed(self, transport):
        if self._datagram is transport:
            self._datagram = None

    def deliver_datagram(self, data: bytes, addr: tuple) -> bool:
        """A datagram arrived; False when no endpoint is open (then it is dropped)."""
        transport = self._datagram
        if transport is None:
            return False
        self.call_soon(transport._deliver, bytes(data), (addr[0], int(addr[1])))
        return True

    # --- TCP server -------------------------------------------------------------
    async def create_server(self, protocol_factory, host=None, port=None, *, family=socket.AF_UNSPEC,
                            flags=socket.AI_PASSIVE, sock=None, backlog=100, ssl=None,
                            reuse_address=None, reuse_port=None, ssl_handshake_timeout=None,
                            ssl_shutdown_timeout=None, start_serving=True):
        if ssl is not None or sock is not None:
            raise NotImplementedError("virtual TCP: no ssl, no sock")
        if self._server is not None:
            raise OSError(errno.EADDRINUSE, "virtual TCP: this node already listens")
        server = VirtualServer(self, protocol_factory, (self.local_host, int(port or 0)))
        self._server = server
        if start_serving:
            await server.start_serving()
            await asyncio.sleep(0)  # as asyncio: let the server start before returning
        return server

    def _server_closed(self, server):
        if self._server is server:
            self._server = None

    def accept(self, conn: int, peer: tuple) -> bool:
        """A client connected (simulator's `accepted`). False when nothing listens
        (the caller then closes `conn`)."""
        server = self._server
        old = self._streams.get(conn)
        if old is not None and not old.is_closing():
            return False
        if server is None or not server.is_serving():
            return False
        protocol = server._protocol_factory()
        transport = VirtualStreamTransport(self, conn, protocol, server._sockname, (peer[0], int(peer[1])))
        self._streams[conn] = transport
        self.call_soon(protocol.connection_made, transport)
        return True

    # --- TCP client -----------------------------------------------------------------
    def _new_conn_id(self) -> int:
        while self._next_conn in self._streams or self._next_conn in self._pending_connects:
            self._next_conn += 1
        conn = self._next_conn
        self._next_conn += 1
        return conn

    async def create_connection(self, protocol_factory, host=None, port=None, *, ssl=None, family=0,
                                proto=0, flags=0, sock=None, local_addr=None, server_hostname=None,
                                ssl_handshake_timeout=None, ssl_shutdown_timeout=None,
                                happy_eyeballs_delay=None, interleave=None):
        if ssl is not None or sock is not None:
            raise NotImplementedError("virtual TCP: no ssl, no sock")
        if host is None or port is None:
            raise ValueError("host and port must be given")
        target = (str(host), int(port))
        conn = self._new_conn_id()
        fut = self.create_future()
        self._pending_connects[conn] = (fut, target)
        self.emit({"connect": {"conn": conn, "to": _addr(*target)}})
        ok = await fut  # connect_result; a cancelled wait leaves the entry for cleanup
        if not ok:
            raise ConnectionRefusedError(errno.ECONNREFUSED, f"Connect call failed {target}")
        protocol = protocol_factory()
        transport = VirtualStreamTransport(self, conn, protocol, (self.local_host, 0), target)
        self._streams[conn] = transport
        waiter = self.create_future()
        self.call_soon(protocol.connection_made, transport)
        self.call_soon(futures._set_result_unless_cancelled, waiter, None)
        await waiter
        return transport, protocol

    def connect_result(self, conn: int, ok: bool) -> bool:
        """The simulator answered a connect. False for an unknown conn."""
        entry = self._pending_connects.pop(conn, None)
        if entry is None:
            return False
        fut, _ = entry
        if fut.done():
            # Nobody waits any more (the connect was cancelled): hang up at once.
            if ok:
                self.emit({"close": {"conn": conn}})
            return True
        fut.set_result(bool(ok))
        return True

    # --- TCP both ends -----------------------------------------------------------------
    def deliver_data(self, conn: int, data: bytes) -> bool:
        transport = self._streams.get(conn)
        if transport is None:
            return False
        transport._incoming(bytes(data))
        return True

    def remote_closed(self, conn: int) -> bool:
        transport = self._streams.get(conn)
        if transport is None:
            entry = self._pending_connects.pop(conn, None)
            if entry is not None and not entry[0].done():
                entry[0].set_result(False)
                return True
            return False
        transport._remote_close()
        if transport._closing or transport._lost:
            self._streams.pop(conn, None)
        return True

    def _stream_finished(self, transport):
        # Forget the connection once both directions are done with it.
        if transport._remote_closed and self._streams.get(transport.conn) is transport:
            del self._streams[transport.conn]

    def open_connections(self) -> list[VirtualStreamTransport]:
        return [t for t in self._streams.values() if not t.is_closing()]
