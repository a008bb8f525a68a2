"""Write a damaged copy of a TrueType font, for the font tests.

usage: damage_font.py SRC DST HOW

HOW is one of
  cut        the file cut short at nine tenths (its last tables end past it)
  no-upem    the 'head' table's units per em set to 0
  no-cmap    the 'cmap' table zeroed: no character map
  no-name    the 'name' table zeroed (libharu refuses it when loading)
  bad-loca   the 'loca' table filled with the bytes of a seeded generator:
             the font loads, and its glyphs point anywhere (libharu finds
             out when a document uses them)
"""
import random
import struct
import sys


def tables(data):
    """Tag -> (offset, length) of the font's table directory."""
    count = struct.unpack(">H", data[4:6])[0]
    out = {}
    for i in range(count):
        tag, _, off, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        out[tag.decode("latin-1")] = (off, length)
    return out


def fill(data, tag, byte_at):
    off, length = tables(data)[tag]
    data[off:off + length] = bytes(byte_at(i) for i in range(length))


def main():
    src, dst, how = sys.argv[1:4]
    data = bytearray(open(src, "rb").read())
    if how == "cut":
        data = data[:len(data) * 9 // 10]
    elif how == "no-upem":
        off = tables(data)["head"][0]
        data[off + 18:off + 20] = b"\0\0"
    elif how in ("no-cmap", "no-name"):
        fill(data, how[3:], lambda i: 0)
    elif how == "bad-loca":
        # getrandbits() of a seeded Random gives the same bytes in every
        # Python 3.
        gen = random.Random(1)
        fill(data, "loca", lambda i: gen.getrandbits(8))
    else:
        sys.exit("damage_font.py: unknown damage '%s'" % how)
    open(dst, "wb").write(data)


main()
