#!/usr/bin/env python3
"""window_shot.py: compares the window's part of a screenshot with a picture.

    window_shot.py SHOT.xwd X Y W H REFERENCE.png [SAVE.png]

SHOT.xwd is the whole screen (xwd -root); X Y W H the window's rectangle on it
(xwininfo); REFERENCE.png what `packetwalk render` draws at W x H for the same
step. The window shows the whole picture, nothing cut, when the rectangle
matches the reference: over the whole window, and over each edge band (the top
bar's rows, the scrubber's rows at the bottom, the first and last columns),
where a picture laid out larger than its window is cut off. A pixel matches
when no channel differs by more than TOLERANCE; a small part of the window may
differ (the window's title and hover, anti-aliasing), so each region must match
at MIN_MATCH or more. Prints the fractions; exits 1 if a region falls short,
2 on bad input. With SAVE.png, writes the window's part as a PNG to look at.

Only the standard library: XWD and PNG are read here (8-bit PNG, RGB or RGBA,
not interlaced; XWD ZPixmap with 24 or 32 bits a pixel, as Xvfb at depth 24 gives).
"""
import struct
import sys
import zlib

TOLERANCE = 24
MIN_MATCH = {"whole": 0.97, "top": 0.95, "bottom": 0.95, "left": 0.95, "right": 0.95}
BAND = 0.06  # each edge band: this part of the window's height or width


def read_xwd(path):
    """The screen as (width, height, rows of RGB bytes)."""
    d = open(path, "rb").read()
    h = struct.unpack(">25I", d[:100])
    hsize, fmt, width, height, byte_order = h[0], h[2], h[4], h[5], h[7]
    bits, bpl, masks, ncolors = h[11], h[12], h[14:17], h[19]
    # 32 bits a pixel, or 24 packed: xwd -root gives the latter when a
    # window on the screen has another visual than the root (SDL picks a
    # DirectColor one on Xvfb), lines still padded to bytes_per_line.
    n = bits // 8
    if fmt != 2 or bits not in (24, 32) or masks != (0xff0000, 0xff00, 0xff) or bpl < width * n:
        raise ValueError("%s: not a 24- or 32-bit RGB ZPixmap XWD (format %d, %d bits a pixel, %d bytes a line)"
                         % (path, fmt, bits, bpl))
    off = hsize + ncolors * 12
    rows = []
    for y in range(height):
        line = d[off + y * bpl: off + y * bpl + width * n]
        if byte_order == 0:  # LSBFirst: B, G, R[, pad]
            r, g, b = line[2::n], line[1::n], line[0::n]
        else:  # MSBFirst: [pad,] R, G, B
            r, g, b = line[n - 3::n], line[n - 2::n], line[n - 1::n]
        rgb = bytearray(width * 3)
        rgb[0::3], rgb[1::3], rgb[2::3] = r, g, b
        rows.append(bytes(rgb))
    return width, height, rows


def read_png(path):
    """An 8-bit RGB or RGBA PNG as (width, height, rows of RGB bytes)."""
    d = open(path, "rb").read()
    if d[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("%s: not a PNG" % path)
    pos, idat, ihdr = 8, b"", None
    while pos < len(d):
        n, kind = struct.unpack(">I4s", d[pos:pos + 8])
        body = d[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    width, height, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError("%s: only 8-bit RGB or RGBA, not interlaced" % path)
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        cur = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                cur[i] = (cur[i] + cur[i - bpp]) & 255
        elif f == 2:
            for i in range(stride):
                cur[i] = (cur[i] + prev[i]) & 255
        elif f == 3:
            for i in range(stride):
                left = cur[i - bpp] if i >= bpp else 0
                cur[i] = (cur[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = cur[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                cur[i] = (cur[i] + pr) & 255
        prev = cur
        if bpp == 4:
            rgb = bytearray(width * 3)
            rgb[0::3], rgb[1::3], rgb[2::3] = cur[0::4], cur[1::4], cur[2::4]
            rows.append(bytes(rgb))
        else:
            rows.append(bytes(cur))
    return width, height, rows


def write_png(path, width, height, rows):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)
    raw = b"".join(b"\0" + r for r in rows)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def matches(a, b, x0, x1):
    """Pixels x0..x1 of two RGB rows that match within TOLERANCE."""
    sa, sb = a[x0 * 3:x1 * 3], b[x0 * 3:x1 * 3]
    if sa == sb:
        return x1 - x0
    n = 0
    for i in range(0, len(sa), 3):
        if (abs(sa[i] - sb[i]) <= TOLERANCE and abs(sa[i + 1] - sb[i + 1]) <= TOLERANCE
                and abs(sa[i + 2] - sb[i + 2]) <= TOLERANCE):
            n += 1
    return n


def main(argv):
    if len(argv) not in (7, 8):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        sw, sh, shot = read_xwd(argv[1])
        x, y, w, h = (int(v) for v in argv[2:6])
        rw, rh, ref = read_png(argv[6])
    except (OSError, ValueError, struct.error, zlib.error) as e:
        print("window_shot: %s" % e, file=sys.stderr)
        return 2
    if (rw, rh) != (w, h):
        print("window_shot: the window is %dx%d but the reference is %dx%d" % (w, h, rw, rh))
        return 1
    if x < 0 or y < 0 or x + w > sw or y + h > sh:
        print("window_shot: the window %dx%d+%d+%d is not all on the %dx%d screen" % (w, h, x, y, sw, sh))
        return 1
    win = [row[x * 3:(x + w) * 3] for row in shot[y:y + h]]
    if len(argv) == 8:
        write_png(argv[7], w, h, win)
    bh, bw = max(1, int(h * BAND)), max(1, int(w * BAND))
    regions = {
        "whole": (0, h, 0, w),
        "top": (0, bh, 0, w),
        "bottom": (h - bh, h, 0, w),
        "left": (0, h, 0, bw),
        "right": (0, h, w - bw, w),
    }
    bad = []
    report = []
    for name, (r0, r1, c0, c1) in regions.items():
        good = sum(matches(win[r], ref[r], c0, c1) for r in range(r0, r1))
        frac = good / float((r1 - r0) * (c1 - c0))
        report.append("%s %.3f" % (name, frac))
        if frac < MIN_MATCH[name]:
            bad.append("%s %.3f < %.2f" % (name, frac, MIN_MATCH[name]))
    print("window %dx%d+%d+%d against %s: %s" % (w, h, x, y, argv[6], ", ".join(report)))
    if bad:
        print("window_shot: the window does not show the whole picture: " + "; ".join(bad))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
