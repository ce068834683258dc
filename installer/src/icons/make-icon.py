#!/usr/bin/env python3
"""Draws the workstation's icon (a keyhole in a rounded square) as PNG files, with the standard library only.

Run from anywhere: writes sovereign.png (256 px) beside this script. The PNG in git is this script's output.
"""
import math
import os
import struct
import zlib

SIZE = 256
BACK = (38, 70, 83)       # deep teal
FRONT = (233, 196, 106)   # warm yellow


def inside_rounded_square(x, y, margin=12, radius=48):
    lo, hi = margin, SIZE - margin
    if x < lo or x > hi or y < lo or y > hi:
        return False
    cx = min(max(x, lo + radius), hi - radius)
    cy = min(max(y, lo + radius), hi - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def inside_keyhole(x, y):
    cx, cy, r = SIZE / 2, SIZE * 0.40, SIZE * 0.14
    if (x - cx) ** 2 + (y - cy) ** 2 <= r ** 2:
        return True
    # a trapezoid below the circle
    top, bottom = cy, SIZE * 0.78
    if top <= y <= bottom:
        t = (y - top) / (bottom - top)
        half = SIZE * (0.06 + 0.06 * t)
        return abs(x - cx) <= half
    return False


def pixel(x, y):
    # 4x supersampling for smooth edges
    samples = []
    for dy in (0.125, 0.375, 0.625, 0.875):
        for dx in (0.125, 0.375, 0.625, 0.875):
            px, py = x + dx, y + dy
            if not inside_rounded_square(px, py):
                samples.append((0, 0, 0, 0))
            elif inside_keyhole(px, py):
                samples.append(FRONT + (255,))
            else:
                samples.append(BACK + (255,))
    n = len(samples)
    alpha = sum(s[3] for s in samples)
    if alpha == 0:
        return (0, 0, 0, 0)
    rgb = tuple(round(sum(s[i] * s[3] for s in samples) / alpha) for i in range(3))
    return rgb + (round(alpha / n),)


def png(width, height, rows):
    raw = b"".join(b"\x00" + bytes(c for p in row for c in p) for row in rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    rows = [[pixel(x, y) for x in range(SIZE)] for y in range(SIZE)]
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sovereign.png")
    with open(out, "wb") as f:
        f.write(png(SIZE, SIZE, rows))
    print(out)
