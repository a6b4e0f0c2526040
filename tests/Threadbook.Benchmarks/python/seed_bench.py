#!/usr/bin/env python3
"""CPython side of Threadbook's benchmarks: the notes' own primitives, timed the way a Python user meets them.

Prints one line per measurement, `name<TAB>value<TAB>unit`, and nothing else on stdout.

    /usr/bin/python3 seed_bench.py [--quick] [--list] [row ...]

With no row names every row runs. Standard library only: the C# side starts this file with the
interpreter it is given and must not depend on anything installed beside it.

To add a row, write a function taking a `Settings` and returning a `Measurement` (usually through
`time_per_op`), and register it in `ROWS`. A row that needs a library outside the standard one (greenlet,
gevent) imports it inside its function, so the other rows still run where it is missing.
"""
import argparse
import multiprocessing
import socket
import socketserver
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Settings:
    """How hard to try: a full run repeats more and times longer batches than a --quick one."""
    repeats: int
    batch_scale: float

    def ops(self, full_run_ops: int) -> int:
        return max(1, int(full_run_ops * self.batch_scale))


FULL = Settings(repeats=7, batch_scale=1.0)
QUICK = Settings(repeats=3, batch_scale=0.25)


@dataclass(frozen=True)
class Measurement:
    value: float
    unit: str


# Units are spelled exactly as the C# side declares them, so both columns can be checked to agree.
UNIT_SECONDS = {"ns": 1e-9, "µs": 1e-6, "ms": 1e-3}


def time_per_op(timed_batch: Callable[[int], float], ops: int, settings: Settings, unit: str) -> Measurement:
    """Runs `timed_batch(ops)` once to warm up, then `settings.repeats` times; reports the mean time per op.

    `timed_batch` runs `ops` operations and returns the seconds they took, so it can keep its own setup
    (starting a partner thread, say) outside the timed span. The mean over batches is the statistic the
    C# side reports (BenchmarkDotNet's mean over iterations), so the ratio compares like with like.
    `unit` is "<time unit>/<what one op is>".
    """
    timed_batch(max(1, ops // 10))
    seconds = [timed_batch(ops) / ops for _ in range(settings.repeats)]
    time_unit = unit.split("/", 1)[0]
    return Measurement(statistics.fmean(seconds) / UNIT_SECONDS[time_unit], unit)


def _do_nothing() -> None:
    pass


def thread_start_join(settings: Settings) -> Measurement:
    """threading.Thread(target=...) then start() and join(): the notes' basic thread, one at a time."""
    def timed_batch(ops: int) -> float:
        started = time.perf_counter()
        for _ in range(ops):
            thread = threading.Thread(target=_do_nothing)
            thread.start()
            thread.join()
        return time.perf_counter() - started

    return time_per_op(timed_batch, settings.ops(2_000), settings, "µs/thread")


def _uncontended_acquire_release(lock, settings: Settings) -> Measurement:
    """lock.acquire() then release() with no other thread around, per pair."""
    def timed_batch(ops: int) -> float:
        started = time.perf_counter()
        for _ in range(ops):
            lock.acquire()
            lock.release()
        return time.perf_counter() - started

    return time_per_op(timed_batch, settings.ops(1_000_000), settings, "ns/op")


def rlock_acquire_release(settings: Settings) -> Measurement:
    """RLock.acquire() then release() with no other thread around: the cost of the notes' lock itself."""
    return _uncontended_acquire_release(threading.RLock(), settings)


def lock_acquire_release(settings: Settings) -> Measurement:
    """Lock.acquire() then release() with no other thread around: Python's plain lock, which any thread may release."""
    return _uncontended_acquire_release(threading.Lock(), settings)


def event_pingpong(settings: Settings) -> Measurement:
    """Two Events and a partner thread: main sets a and waits b; the partner waits a, clears it, sets b."""
    def timed_batch(ops: int) -> float:
        ping, pong = threading.Event(), threading.Event()

        def partner() -> None:
            for _ in range(ops):
                ping.wait()
                ping.clear()
                pong.set()

        partner_thread = threading.Thread(target=partner, name="pong")
        partner_thread.start()
        started = time.perf_counter()
        for _ in range(ops):
            ping.set()
            pong.wait()
            pong.clear()
        elapsed = time.perf_counter() - started
        partner_thread.join()
        return elapsed

    return time_per_op(timed_batch, settings.ops(10_000), settings, "µs/roundtrip")


def locked_counter_4threads(settings: Settings) -> Measurement:
    """Four threads each add 1 to a shared counter, every increment under `with lock:` (an RLock, as in the notes).

    Timed from the first start() to the last join(); reported per increment. The GIL lets one thread run at a
    time, so the lock is rarely contended: the cost is the lock plus the interpreter's thread switches.
    """
    thread_count = 4
    lock = threading.RLock()

    def timed_batch(ops: int) -> float:
        per_thread = max(1, ops // thread_count)
        counter = [0]

        def work() -> None:
            for _ in range(per_thread):
                with lock:
                    counter[0] += 1

        threads = [threading.Thread(target=work, name=f"incrementer-{i}") for i in range(thread_count)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        if counter[0] != per_thread * thread_count:
            raise RuntimeError(f"counter reached {counter[0]}, not {per_thread * thread_count}")
        # time_per_op divides by ops; scale in case ops is not a multiple of the thread count.
        return elapsed * ops / (per_thread * thread_count)

    return time_per_op(timed_batch, settings.ops(400_000), settings, "ns/op")


def greenlet_switch(settings: Settings) -> Measurement:
    """Two greenlets handing control back and forth: main switches to a partner, which switches straight back.

    The notes' greenlet example reduced to its switches. Reported per switch (two per round trip). Needs greenlet
    (Debian: python3-greenlet); imported here so the other rows run without it.
    """
    from greenlet import getcurrent, greenlet

    def timed_batch(ops: int) -> float:
        rounds = max(1, ops // 2)
        main = getcurrent()

        def partner() -> None:
            while True:
                main.switch()

        partner_greenlet = greenlet(partner)
        partner_greenlet.switch()  # start it; it switches straight back
        started = time.perf_counter()
        for _ in range(rounds):
            partner_greenlet.switch()
        elapsed = time.perf_counter() - started
        partner_greenlet.throw()  # GreenletExit: the partner ends quietly and control returns here
        return elapsed * ops / (2 * rounds)

    return time_per_op(timed_batch, settings.ops(1_000_000), settings, "ns/switch")


def gevent_spawn_sleep0_joinall(settings: Settings) -> Measurement:
    """gevent.joinall over 100,000 gevent.spawn(work), each work doing gevent.sleep(0): the notes' gevent example at scale.

    Always 100,000 greenlets per batch (a --quick run only repeats fewer batches), reported per greenlet. Needs gevent
    (Debian: python3-gevent).
    """
    import gevent

    coroutines = 100_000

    def work() -> None:
        gevent.sleep(0)

    def timed_batch(ops: int) -> float:
        started = time.perf_counter()
        gevent.joinall([gevent.spawn(work) for _ in range(ops)])
        return time.perf_counter() - started

    # time_per_op warms up with a tenth of the batch, then times full batches of `coroutines`.
    return time_per_op(timed_batch, coroutines, Settings(repeats=min(settings.repeats, 5), batch_scale=1.0), "µs/coroutine")


def greenlet_memory(count: int = 10_000) -> float:
    """Bytes of resident memory per suspended greenlet: the growth of VmRSS while `count` greenlets sit in a switch.

    Not a timed row (compare reports times): run `seed_bench.py --greenlet-memory`. Linux only (/proc/self/status).
    """
    import gc
    from greenlet import getcurrent, greenlet

    def resident_kilobytes() -> int:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmRSS in /proc/self/status")

    main = getcurrent()

    def parked() -> None:
        while True:
            main.switch()

    gc.collect()
    before = resident_kilobytes()
    greenlets = [greenlet(parked) for _ in range(count)]
    for g in greenlets:
        g.switch()  # each starts and switches straight back, staying suspended
    after = resident_kilobytes()
    for g in greenlets:
        g.throw()
    return (after - before) * 1024 / count


# --- socketserver: the notes' ThreadingTCPServer and ForkingTCPServer, serving an echo handler over loopback ---

ECHO_MESSAGE = b"hello, server\n"  # the C# side (EchoClients.Message) sends the same bytes


class _EchoHandler(socketserver.BaseRequestHandler):
    """Sends back whatever arrives, chunk by chunk, until the client closes (the C# side's EchoHandler)."""

    def handle(self) -> None:
        while True:
            data = self.request.recv(1024)
            if not data:
                return
            self.request.sendall(data)


def _echo_round_trip(client: socket.socket) -> None:
    client.sendall(ECHO_MESSAGE)
    received = 0
    while received < len(ECHO_MESSAGE):
        chunk = client.recv(1024)
        if not chunk:
            raise RuntimeError("the echo server closed the connection")
        received += len(chunk)


def _connect(address) -> socket.socket:
    client = socket.create_connection(address)
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return client


def _run_server(server_class, control) -> None:
    """The server process: serve until the parent says stop, then shut down (a forking server waits for its children)."""
    server = server_class(("127.0.0.1", 0), _EchoHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="serve_forever", daemon=True)
    thread.start()
    control.send(server.server_address)
    control.recv()
    server.shutdown()
    server.server_close()


def _start_server(server_class):
    """Starts the server in a process of its own. In the measuring process, a forked server child would inherit the
    client's own socket and never see its client close; in real use server and clients are apart anyway."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    control, remote = context.Pipe()
    process = context.Process(target=_run_server, args=(server_class, remote), name="server")
    process.start()
    return control.recv(), (process, control)


def _stop_server(server) -> None:
    process, control = server
    control.send("stop")
    process.join(30)
    if process.is_alive():
        process.kill()
        raise RuntimeError("the server process did not stop within 30 s")


def _echo_client(address, requests: int, barrier, ends) -> None:
    with _connect(address) as client:
        _echo_round_trip(client)  # the server side of this connection (a thread or a forked child) is up
        barrier.wait()
        for _ in range(requests):
            _echo_round_trip(client)
        ends.put(time.perf_counter())


def echo_client_process(host: str, port: int) -> int:
    """`seed_bench.py --echo-client HOST PORT`: one echo client (the same `_echo_round_trip` as this script's own clients)
    driven over stdin/stdout, so the C# side's 8-client echo rows put exactly the same client load on its servers.

    Connects and makes one round trip, prints `ready`; then for each line N on stdin makes N round trips and prints
    `done`; exits when stdin closes.
    """
    with _connect((host, port)) as client:
        _echo_round_trip(client)
        print("ready", flush=True)
        for line in sys.stdin:
            for _ in range(int(line)):
                _echo_round_trip(client)
            print("done", flush=True)
    return 0


def _echo_8clients(server_class, settings: Settings) -> Measurement:
    """8 clients, each in a process of its own (none shares the server's GIL), make round trips at once.

    Timed from the moment all 8 are connected and released together until the last one finishes; per round trip.
    """
    import multiprocessing

    clients = 8
    context = multiprocessing.get_context("fork")
    address, server = _start_server(server_class)

    def timed_batch(ops: int) -> float:
        each = max(1, ops // clients)
        barrier = context.Barrier(clients + 1)
        ends = context.Queue()
        processes = [context.Process(target=_echo_client, args=(address, each, barrier, ends)) for _ in range(clients)]
        for process in processes:
            process.start()
        barrier.wait()
        started = time.perf_counter()
        finished = max(ends.get() for _ in processes)
        for process in processes:
            process.join()
        return (finished - started) * ops / (each * clients)

    try:
        return time_per_op(timed_batch, settings.ops(40_000), settings, "µs/roundtrip")
    finally:
        _stop_server(server)


def _sequential_connections(server_class, full_run_ops: int, settings: Settings) -> Measurement:
    """Connect, one echo round trip, close, one connection after another; per connection."""
    address, server = _start_server(server_class)

    def timed_batch(ops: int) -> float:
        started = time.perf_counter()
        for _ in range(ops):
            with _connect(address) as client:
                _echo_round_trip(client)
        return time.perf_counter() - started

    try:
        return time_per_op(timed_batch, settings.ops(full_run_ops), settings, "µs/connection")
    finally:
        _stop_server(server)


def socketserver_threading_echo_8clients(settings: Settings) -> Measurement:
    """socketserver.ThreadingTCPServer (a thread per client) under 8 clients echoing at once."""
    return _echo_8clients(socketserver.ThreadingTCPServer, settings)


def socketserver_threading_connections(settings: Settings) -> Measurement:
    """socketserver.ThreadingTCPServer: a thread started and ended per connection."""
    return _sequential_connections(socketserver.ThreadingTCPServer, 4_000, settings)


def socketserver_forking_echo_8clients(settings: Settings) -> Measurement:
    """socketserver.ForkingTCPServer (os.fork() per client) under 8 clients echoing at once."""
    return _echo_8clients(socketserver.ForkingTCPServer, settings)


def socketserver_forking_connections(settings: Settings) -> Measurement:
    """socketserver.ForkingTCPServer: a child forked, used once and reaped per connection."""
    return _sequential_connections(socketserver.ForkingTCPServer, 1_000, settings)


# --- Processes (notes: multiprocessing, Pool) ---------------------------------------------------------
# The notes' Python forks its children (the Linux default up to 3.13); the rows ask for fork explicitly so they
# measure the same thing on every Python 3.


def _identity(value):
    return value


def pool_first_result(settings: Settings) -> Measurement:
    """Pool(2), then pool.apply(f, (1,)): from nothing to a new pool's first result (its workers are forked).

    Terminating and joining the pool happen outside the timed span.
    """
    context = multiprocessing.get_context("fork")

    def timed_batch(ops: int) -> float:
        total = 0.0
        for _ in range(ops):
            started = time.perf_counter()
            pool = context.Pool(2)
            pool.apply(_identity, (1,))
            total += time.perf_counter() - started
            pool.terminate()
            pool.join()
        return total

    return time_per_op(timed_batch, settings.ops(12), settings, "ms/pool")


def pool_apply_async_callback(settings: Settings) -> Measurement:
    """The notes' apply_async(func=..., args=(i,), callback=...) loop on Pool(2), with no work in the function:
    queue `ops` calls and wait for the last callback. Per task."""
    context = multiprocessing.get_context("fork")
    pool = context.Pool(2)

    def timed_batch(ops: int) -> float:
        done = threading.Event()
        received = [0]

        def callback(_result) -> None:          # the pool's result-handler thread, one at a time
            received[0] += 1
            if received[0] == ops:
                done.set()

        started = time.perf_counter()
        for i in range(ops):
            pool.apply_async(func=_identity, args=(i,), callback=callback)
        done.wait()
        return time.perf_counter() - started

    try:
        return time_per_op(timed_batch, settings.ops(4_000), settings, "µs/task")
    finally:
        pool.terminate()
        pool.join()


_shared_counter = None


def _keep_shared_counter(counter) -> None:
    global _shared_counter
    _shared_counter = counter


def _add_locked(times: int) -> None:
    counter = _shared_counter
    for _ in range(times):
        with counter.get_lock():
            counter[0] += 1


def shared_array_locked_increments(settings: Settings) -> Measurement:
    """The notes' Array('i', ...) with its lock: two Pool workers at once, each `with counter.get_lock():
    counter[0] += 1` ops/2 times (the array reaches the workers when they are forked). Per increment."""
    context = multiprocessing.get_context("fork")
    counter = context.Array("i", 1)
    pool = context.Pool(2, initializer=_keep_shared_counter, initargs=(counter,))

    def timed_batch(ops: int) -> float:
        half = ops // 2
        before = counter[0]
        started = time.perf_counter()
        pool.map(_add_locked, [half, half], chunksize=1)
        elapsed = time.perf_counter() - started
        if counter[0] - before != 2 * half:
            raise RuntimeError(f"increments were lost: {counter[0] - before} of {2 * half}")
        return elapsed * ops / (2 * half)

    try:
        return time_per_op(timed_batch, settings.ops(100_000), settings, "ns/increment")
    finally:
        pool.terminate()
        pool.join()


def _set_many(arguments) -> None:
    dictionary, first_key, count = arguments
    for i in range(count):
        dictionary[first_key + i % 100] = i


def shared_dict_sets(settings: Settings) -> Measurement:
    """The notes' Manager().dict() written from children: two Pool workers at once, each setting ops/2 entries
    (100 integer keys of its own, cycling) through its proxy to the manager's server process. Per set."""
    context = multiprocessing.get_context("fork")
    manager = context.Manager()
    dictionary = manager.dict()
    pool = context.Pool(2)

    def timed_batch(ops: int) -> float:
        half = max(1, ops // 2)
        started = time.perf_counter()
        pool.map(_set_many, [(dictionary, 0, half), (dictionary, 100, half)], chunksize=1)
        return (time.perf_counter() - started) * ops / (2 * half)

    try:
        return time_per_op(timed_batch, settings.ops(8_000), settings, "µs/set")
    finally:
        pool.terminate()
        pool.join()
        manager.shutdown()


ROWS: dict[str, Callable[[Settings], Measurement]] = {
    "thread_start_join": thread_start_join,
    "rlock_acquire_release": rlock_acquire_release,
    "lock_acquire_release": lock_acquire_release,
    "event_pingpong": event_pingpong,
    "locked_counter_4threads": locked_counter_4threads,
    "greenlet_switch": greenlet_switch,
    "gevent_spawn_sleep0_joinall": gevent_spawn_sleep0_joinall,
    "socketserver_threading_echo_8clients": socketserver_threading_echo_8clients,
    "socketserver_threading_connections": socketserver_threading_connections,
    "socketserver_forking_echo_8clients": socketserver_forking_echo_8clients,
    "socketserver_forking_connections": socketserver_forking_connections,
    "pool_first_result": pool_first_result,
    "pool_apply_async_callback": pool_apply_async_callback,
    "shared_array_locked_increments": shared_array_locked_increments,
    "shared_dict_sets": shared_dict_sets,
}


def main(argv: list[str]) -> int:
    # The C# side reads this stream as UTF-8 (units contain µ) whatever the locale says.
    sys.stdout.reconfigure(encoding="utf-8")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="*", metavar="row", help="rows to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="fewer and shorter batches, for a smoke run")
    parser.add_argument("--list", action="store_true", help="print the row names and exit")
    parser.add_argument("--greenlet-memory", action="store_true",
                        help="print the resident bytes per suspended greenlet (not a timed row) and exit")
    parser.add_argument("--echo-client", nargs=2, metavar=("HOST", "PORT"),
                        help="be one echo client driven over stdin/stdout (the C# side's socket-server rows use this) and exit")
    args = parser.parse_args(argv)

    if args.echo_client:
        return echo_client_process(args.echo_client[0], int(args.echo_client[1]))

    if args.greenlet_memory:
        print(f"greenlet_memory\t{greenlet_memory():.0f}\tB/greenlet")
        return 0

    if args.list:
        print("\n".join(ROWS))
        return 0

    unknown = [name for name in args.rows if name not in ROWS]
    if unknown:
        print(f"seed_bench.py: unknown row(s) {', '.join(unknown)}; valid rows: {', '.join(ROWS)}", file=sys.stderr)
        return 2

    settings = QUICK if args.quick else FULL
    for name in args.rows or list(ROWS):
        measurement = ROWS[name](settings)
        print(f"{name}\t{measurement.value:.6g}\t{measurement.unit}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
