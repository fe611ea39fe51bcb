#!/bin/sh
# Build the compressed and archived fixtures in fixtures/archives/ from the
# small dataset in fixtures/archives/src/ (fictitious personal data).
#
# usage: tools/make-archive-fixtures.sh      (from anywhere; rewrites the outputs)
#
# The outputs are committed; this script documents how they were made and
# rebuilds them byte for byte with the same tool versions: archive members
# come from mtree manifests (fixed owner, mode and mtime, sorted), gzip runs
# with -n (no name, no timestamp), and nothing depends on the clock or on
# the machine. Needs gzip bzip2 xz zstd lz4 bsdtar (libarchive-tools) ar python3.
set -eu

cd "$(dirname "$0")/../fixtures/archives"
SRC=src
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TZ=UTC LC_ALL=C
MTIME=1704067200 # 2024-01-01T00:00:00Z

for tool in gzip bzip2 xz zstd lz4 bsdtar ar python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$0: $tool is missing" >&2; exit 1; }
done

# mtree header: every member owned by root, fixed mtime.
mtree_head() {
    printf '#mtree\n/set uid=0 gid=0 uname=root gname=root time=%s.0\n' "$MTIME"
}
# mtree_file NAME CONTENTS, mtree_dir NAME (enters it), mtree_up (leaves it).
# Names are relative to the current mtree directory, so members are stored as
# "data/people.csv", without a leading "./".
mtree_file() { printf '%s type=file mode=0644 contents=%s\n' "$1" "$2"; }
mtree_dir() { printf '%s type=dir mode=0755\n' "$1"; }
mtree_up() { printf '..\n'; }

# 1. each file compressed alone
for f in people.csv events.jsonl notes.txt; do
    gzip -n -9 -c "$SRC/$f" >"$f.gz"
    bzip2 -9 -c "$SRC/$f" >"$f.bz2"
    xz -6 -c "$SRC/$f" >"$f.xz"
    zstd -q -19 -c "$SRC/$f" >"$f.zst"
    lz4 -q -9 -c "$SRC/$f" >"$f.lz4"
done

# 2. the three files in every archive format: data/ (a directory entry),
#    data/events.jsonl, data/people.csv, notes.txt
{
    mtree_head
    mtree_dir data
    mtree_file events.jsonl "$SRC/events.jsonl"
    mtree_file people.csv "$SRC/people.csv"
    mtree_up
    mtree_file notes.txt "$SRC/notes.txt"
} >"$T/all.mtree"
bsdtar -cf all.tar --format=ustar "@$T/all.mtree"
gzip -n -9 -c all.tar >all.tar.gz
zstd -q -19 -c all.tar >all.tar.zst
bsdtar -cf all.zip --format=zip "@$T/all.mtree"
bsdtar -cf all.7z --format=7zip "@$T/all.mtree"
bsdtar -cf all.cpio --format=odc "@$T/all.mtree"
# ar (flat, short names); D: deterministic (no dates, owners or modes)
cp "$SRC/people.csv" "$SRC/notes.txt" "$T/"
rm -f all.a
(cd "$T" && ar rcD all.a notes.txt people.csv) && mv "$T/all.a" all.a

# 3. nesting: a zip inside a tar.gz, a tar.gz inside a zip
{
    mtree_head
    mtree_file events.jsonl "$SRC/events.jsonl"
    mtree_file people.csv "$SRC/people.csv"
} >"$T/inner-zip.mtree"
bsdtar -cf "$T/inner.zip" --format=zip "@$T/inner-zip.mtree"
{
    mtree_head
    mtree_dir dir
    mtree_file inner.zip "$T/inner.zip"
    mtree_up
    mtree_file notes.txt "$SRC/notes.txt"
} >"$T/nested-tgz.mtree"
bsdtar -cf "$T/nested.tar" --format=ustar "@$T/nested-tgz.mtree"
gzip -n -9 -c "$T/nested.tar" >nested.tar.gz

{
    mtree_head
    mtree_file notes.txt "$SRC/notes.txt"
    mtree_file people.csv "$SRC/people.csv"
} >"$T/inner-tgz.mtree"
bsdtar -cf "$T/inner.tar" --format=ustar "@$T/inner-tgz.mtree"
gzip -n -9 -c "$T/inner.tar" >"$T/inner.tar.gz"
{
    mtree_head
    mtree_file inner.tar.gz "$T/inner.tar.gz"
} >"$T/nested-zip.mtree"
bsdtar -cf nested.zip --format=zip "@$T/nested-zip.mtree"

# a 7z inside a tar: 7z needs random access, which a member cannot give
{
    mtree_head
    mtree_file all.7z all.7z
} >"$T/nested-7z.mtree"
bsdtar -cf nested-7z.tar --format=ustar "@$T/nested-7z.mtree"

# member names that are not plain ASCII: UTF-8 ("données/café.txt") and a
# control character (ESC), in a zip (UTF-8 flag set) and a tar (raw bytes)
{
    mtree_head
    printf 'donn\\303\\251es type=dir mode=0755\n'
    printf 'caf\\303\\251.txt type=file mode=0644 contents=%s\n' "$SRC/notes.txt"
    mtree_up
    printf 'esc\\033name.txt type=file mode=0644 contents=%s\n' "$SRC/notes.txt"
} >"$T/names.mtree"
LC_ALL=C.UTF-8 bsdtar -cf names.zip --format=zip "@$T/names.mtree"
LC_ALL=C.UTF-8 bsdtar -cf names.tar --format=ustar "@$T/names.mtree"

# 4. entries that are not data: a symbolic link and a hard link in a tar
mkdir "$T/links"
cp "$SRC/notes.txt" "$T/links/notes.txt"
ln "$T/links/notes.txt" "$T/links/hard.txt"
ln -s notes.txt "$T/links/soft.txt"
touch -h -d "@$MTIME" "$T/links/notes.txt" "$T/links/hard.txt" "$T/links/soft.txt"
chmod 0644 "$T/links/notes.txt"
(cd "$T/links" && bsdtar -cf - --format=ustar --uid 0 --gid 0 --uname root --gname root \
    notes.txt hard.txt soft.txt) >links.tar

# 5. broken inputs
mkdir -p broken
size() { wc -c <"$1" | tr -d ' '; }
head -c $(($(size people.csv.gz) / 2)) people.csv.gz >broken/truncated.csv.gz
head -c $(($(size people.csv.zst) / 2)) people.csv.zst >broken/truncated.csv.zst
head -c $(($(size all.zip) / 2)) all.zip >broken/truncated.zip
# corrupt 7z: overwrite 64 bytes in the middle of the packed stream
python3 - all.7z broken/corrupt.7z <<'EOF'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
mid = len(data) // 2
data[mid:mid + 64] = bytes((b ^ 0x5A) for b in data[mid:mid + 64])
open(sys.argv[2], "wb").write(data)
EOF
# encrypted zip: a stored zip whose member has the "encrypted" flag set (bit 0
# of the general purpose flags, in the local and the central header). Real
# encryption writes a random header, so it could not be rebuilt identically.
{
    mtree_head
    mtree_file secret.csv "$SRC/people.csv"
} >"$T/enc.mtree"
bsdtar -cf "$T/plain.zip" --format=zip --options zip:compression=store "@$T/enc.mtree"
python3 - "$T/plain.zip" broken/encrypted.zip <<'EOF'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
    at = data.find(sig)
    assert at >= 0
    flags, = struct.unpack_from("<H", data, at + off)
    struct.pack_into("<H", data, at + off, flags | 1)
open(sys.argv[2], "wb").write(data)
EOF

echo "fixtures/archives: rebuilt"
