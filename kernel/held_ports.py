"""A kernel's own TCP ports, held from its first moment until ipykernel binds them.

Jupyter picks a kernel's ports by binding port 0 and closing the socket, so until the kernel
binds them, any new socket on the machine may be given one. The wrapper kernel opens sockets
before ipykernel binds its own: evcxr's ports, and its client's connections to them. Had one of
those taken a port of the kernel's, ipykernel would fail with "Address already in use" and
Jupyter would report a dead kernel. A port held here is bound (not listened on), so the system
hands it to no other socket; it is released just before ipykernel binds it.
"""
import socket

from jupyter_client.connect import port_names


class HeldPorts:
    """The ports named in a connection file's `connection` (a dict), held until released."""

    def __init__(self, connection):
        self.sockets = {}
        if connection.get("transport", "tcp") != "tcp":
            return
        ip = connection.get("ip", "127.0.0.1")
        for name in port_names:
            port = connection.get(name)
            if not port:
                continue
            held = socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET)
            try:
                held.bind(("0.0.0.0" if ip == "*" else ip, port))
            except OSError:
                # Taken before this kernel started: ipykernel's bind reports it.
                held.close()
                continue
            self.sockets[name] = held

    def release(self, *names):
        """Releases the named ports."""
        for name in names:
            held = self.sockets.pop(name, None)
            if held is not None:
                held.close()
