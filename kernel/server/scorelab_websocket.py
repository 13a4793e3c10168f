"""The Jupyter server's kernel websocket, sending each message at once (TCP_NODELAY).

The server's websocket (Tornado) leaves Nagle's algorithm on. A small message written while
earlier bytes are still unacknowledged then waits for the browser's delayed ACK (40 ms on Linux)
or for more bytes to fill a packet. A widget's `idle` status (a few hundred bytes, right after the
busy status) is such a message, and ipywidgets sends a slider's next value only once it sees that
idle: every live frame waited for it. Set by `tools/install_kernel.py` as the venv's
`ServerApp.kernel_websocket_connection_class`.
"""
import socket

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection


class NoDelayKernelConnection(ZMQChannelsWebsocketConnection):
    """`ZMQChannelsWebsocketConnection` with TCP_NODELAY on its websocket."""

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        stream = self.websocket_handler.ws_connection.stream
        nodelay = stream.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        self.log.info("kernel websocket %s: TCP_NODELAY %d", self.kernel_id, nodelay)
        return super().connect()
