#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script (docs/fuzzing.md): every target in Fuzz/ goes to
# $OUT with its seed corpus (seeds + regressions, zipped) and its dictionary, named the way
# the infrastructure picks them up (TARGET, TARGET_seed_corpus.zip, TARGET.dict).
#
# precompile_swift (from the base-builder-swift image) sets SWIFT6_2FLAGS: SwiftPM's own
# --sanitize flags, static Swift runtime and the sanitizer's C flags. As in scripts/fuzz,
# swiftc also needs -sanitize=fuzzer,$SANITIZER spelled out, or it keeps only one of the two.
. precompile_swift

cd "$SRC/netaio-swift"
FLAGS=($SWIFT6_2FLAGS)
if [ "$SANITIZER" != coverage ]; then
    FLAGS+=(-Xswiftc "-sanitize=fuzzer,$SANITIZER")
fi
# libsodium is not in the runner image: ship it beside the fuzzers.
FLAGS+=(-Xlinker -rpath -Xlinker '$ORIGIN')

for dir in Fuzz/*/; do
    target=$(basename "$dir")
    swift build -c release --product "$target" "${FLAGS[@]}" --scratch-path .build-oss-fuzz
    cp ".build-oss-fuzz/release/$target" "$OUT/"
    (cd Fixtures/corpus && zip -q -r "$OUT/${target}_seed_corpus.zip" "$target" $(ls -d "regressions/$target" 2>/dev/null))
    cat Fixtures/dict/netaio.dict $(ls "Fixtures/dict/$target.dict" 2>/dev/null) > "$OUT/$target.dict"
done
cp -L "$(pkg-config --variable=libdir libsodium)"/libsodium.so.* "$OUT/" 2>/dev/null || true
