"""PNGs read in plain Python, for tests: what a PNG stores, and its pixels.

scorelab deflates a figure kept in a notebook for size and a live frame for speed, with the same
filters, so two PNGs of one figure may differ in bytes while `png_parts` of both are equal, and
equal parts mean equal pixels.
"""
import struct
import zlib


def png_parts(raw):
    """(width, height, bit depth, colour type, palette bytes or None, filtered rows) of the PNG
    bytes `raw`: its header, palette and inflated image data. ValueError if it is not a PNG."""
    if not raw or raw[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, chunks, palette, header = 8, [], None, None
    while pos + 8 <= len(raw):
        length, kind = struct.unpack(">I4s", raw[pos:pos + 8])
        data = raw[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBB", data[:10])
        elif kind == b"PLTE":
            palette = data
        elif kind == b"IDAT":
            chunks.append(data)
        pos += 12 + length
    if header is None:
        raise ValueError("a PNG without a header")
    return (*header, palette, zlib.decompress(b"".join(chunks)))


def decode_png(raw):
    """(width, height, rows of RGB tuples) of an 8-bit PNG: grey, RGB, RGBA or indexed."""
    width, height, depth, color, palette, data = png_parts(raw)
    palette = palette and [tuple(palette[i:i + 3]) for i in range(0, len(palette), 3)]
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color]
    bits = depth * channels
    stride = (width * bits + 7) // 8
    bpp = max(1, bits // 8)
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind, line = data[y * (stride + 1)], bytearray(data[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if color == 3:
            per = 8 // depth
            idx = [(line[x // per] >> (8 - depth * (x % per + 1))) & ((1 << depth) - 1) for x in range(width)]
            rows.append([palette[i] for i in idx])
        elif channels >= 3:
            rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(width)])
        else:
            rows.append([(line[x * channels],) * 3 for x in range(width)])
    return width, height, rows
