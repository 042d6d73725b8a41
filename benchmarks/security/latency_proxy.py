#!/usr/bin/env python3
"""A TCP proxy that delays everything the server sends by a latency read from a file.

Usage: latency_proxy.py LISTEN_PORT TARGET_PORT LATENCY_FILE

The latency (milliseconds, an integer) is read from LATENCY_FILE for each chunk the server sends, so a running
proxy can be made slow and fast again by rewriting the file. Each chunk is delivered LATENCY after it arrived, in
order (pipelined replies are not serialised: a 500 ms link costs every reply 500 ms, not 500 ms each in turn),
like the LATENCY fault of redis-starter-test's FaultProxy. Only 127.0.0.1.
"""
import asyncio
import sys
import time


def latency_seconds(path):
    try:
        with open(path) as f:
            return int(f.read().strip() or 0) / 1000.0
    except (OSError, ValueError):
        return 0.0


async def pipe(reader, writer, delay_file=None):
    queue = asyncio.Queue()

    async def deliver():
        while True:
            due, data = await queue.get()
            if data is None:
                break
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        writer.close()

    sender = asyncio.ensure_future(deliver())
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            delay = latency_seconds(delay_file) if delay_file else 0.0
            await queue.put((time.monotonic() + delay, data))
    except (ConnectionError, OSError):
        pass
    await queue.put((0, None))
    try:
        await sender
    except (ConnectionError, OSError):
        pass


async def main(listen_port, target_port, delay_file):
    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, server_writer),
                             pipe(server_reader, client_writer, delay_file),
                             return_exceptions=True)

    server = await asyncio.start_server(handle, "127.0.0.1", listen_port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]))
