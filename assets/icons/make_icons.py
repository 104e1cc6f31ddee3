#!/usr/bin/env python3
"""Draws the dxplan app icon (RGBA PNG, no dependencies beyond zlib) at the sizes Tauri needs.

A rounded navy-to-blue square with three white roadmap bars over fiscal-year columns and an
orange 'now' marker. Run: python3 assets/icons/make_icons.py (writes beside this file).
"""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def png(path, w, h, rgba):
    raw = b"".join(b"\x00" + bytes(rgba[y * w * 4:(y + 1) * w * 4]) for y in range(h))

    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)


def inside_rounded(x, y, x0, y0, x1, y1, r):
    if x < x0 or x > x1 or y < y0 or y > y1:
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def shade(u, v):
    """Colour at unit coordinates (u, v) in [0, 1], or None for transparent."""
    if not inside_rounded(u, v, 0.04, 0.04, 0.96, 0.96, 0.2):
        return None
    t = (u + v) / 2
    bg = (int(20 + 20 * t), int(48 + 70 * t), int(110 + 90 * t))
    # fiscal-year column lines
    for cx in (0.30, 0.50, 0.70):
        if abs(u - cx) < 0.006 and 0.2 < v < 0.82:
            bg = (90, 130, 200)
    bars = [(0.20, 0.62, 0.26), (0.34, 0.80, 0.44), (0.50, 0.76, 0.62)]
    for x0, x1, y0 in bars:
        if inside_rounded(u, v, x0, y0, x1, y0 + 0.11, 0.05):
            return (255, 255, 255)
    if (u - 0.30) ** 2 + (v - 0.80) ** 2 <= 0.055 ** 2:
        return (245, 158, 11)
    return bg


def draw(size, ss=4):
    out = []
    for y in range(size):
        for x in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(ss):
                for sx in range(ss):
                    c = shade((x + (sx + 0.5) / ss) / size, (y + (sy + 0.5) / ss) / size)
                    if c is not None:
                        acc[0] += c[0]
                        acc[1] += c[1]
                        acc[2] += c[2]
                        acc[3] += 255
            n = ss * ss
            a = acc[3] // n
            if a:
                covered = acc[3] // 255
                out += [acc[0] // covered, acc[1] // covered, acc[2] // covered, a]
            else:
                out += [0, 0, 0, 0]
    return out


if __name__ == "__main__":
    for name, size in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256), ("icon.png", 512)]:
        png(os.path.join(HERE, name), size, size, draw(size, 4 if size <= 256 else 2))
        print("wrote", name)
