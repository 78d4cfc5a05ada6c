"""The HTTP server's accepted connections answer keep-alive requests without Nagle's delay."""

from __future__ import annotations

import asyncio
import socket

import httpx
from fastapi import FastAPI

from pingan.run.supervisor import bind, http_server, serve_until


async def test_an_accepted_connection_has_tcp_nodelay() -> None:
    app = FastAPI()

    @app.get("/ping")
    def ping() -> dict[str, bool]:
        return {"ok": True}

    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = http_server(app)
    stop = asyncio.Event()
    running = asyncio.create_task(serve_until(stop, server=server, sock=sock))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            first = await http.get("/ping")
            again = await http.get("/ping")
            accepted = [
                conn.transport.get_extra_info("socket") for conn in server.server_state.connections
            ]
            options = [s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in accepted]
    finally:
        stop.set()
        await running

    assert (first.status_code, again.status_code) == (200, 200)
    assert len(accepted) == 1
    assert options == [1] and all(s.proto == socket.IPPROTO_TCP for s in accepted)
