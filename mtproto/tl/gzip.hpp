#pragma once
// gzip_packed support: inflation with a hard output cap (a few KiB of hostile input can otherwise
// expand to gigabytes) and deflation for the server side.
#include <cstddef>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace mtp::tl {

// gzip_packed#3072cfa1 packed_data:bytes = Object;
inline constexpr std::uint32_t kGzipPackedId = 0x3072cfa1;

// Telegram's largest objects (upload.file) are ~1 MiB; 16 MiB leaves ample room.
inline constexpr std::size_t kDefaultInflateCap = 16u << 20;

// Inflates gzip- or zlib-wrapped data. Fails with TL_GZIP (corrupt, truncated, trailing garbage)
// or TL_GZIP_TOO_LARGE (output would exceed max_output).
Result<Bytes> gunzip(ByteSpan packed, std::size_t max_output = kDefaultInflateCap);

// Deflates into the gzip format, as Telegram sends gzip_packed.
Bytes gzip(ByteSpan data, int level = 6);

}  // namespace mtp::tl
