#include "tl/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <stdexcept>

namespace mtp::tl {

namespace {
Error gzip_error(std::string detail) {
  return Error::local(kErrMalformed, "TL_GZIP", std::move(detail));
}
}  // namespace

Result<Bytes> gunzip(ByteSpan packed, std::size_t max_output) {
  z_stream zs{};
  // 15 + 32: maximum window, and detect gzip or zlib header automatically.
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return gzip_error("inflateInit2 failed");
  zs.next_in = const_cast<Bytef*>(packed.data());
  zs.avail_in = static_cast<uInt>(packed.size());

  Bytes out;
  // Grow geometrically but never past the cap (+1 byte so "exactly at the cap" is distinguishable
  // from "over the cap").
  std::size_t limit = max_output + 1;
  out.resize(std::min<std::size_t>(limit, std::max<std::size_t>(packed.size() * 4, 4096)));
  int rc = Z_OK;
  std::size_t produced = 0;
  for (;;) {
    zs.next_out = out.data() + produced;
    zs.avail_out = static_cast<uInt>(out.size() - produced);
    rc = inflate(&zs, Z_NO_FLUSH);
    produced = out.size() - zs.avail_out;
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) break;
    if (zs.avail_out == 0) {
      if (out.size() >= limit) break;  // the cap is reached and more output is pending
      out.resize(std::min(limit, out.size() * 2));
      continue;
    }
    // Output space left but no progress possible: the input ended early.
    if (zs.avail_in == 0) { rc = Z_DATA_ERROR; break; }
  }
  std::size_t trailing = zs.avail_in;
  inflateEnd(&zs);

  if (produced > max_output || (rc != Z_STREAM_END && produced >= limit)) {
    return Error::local(kErrMalformed, "TL_GZIP_TOO_LARGE",
                        "inflated size exceeds " + std::to_string(max_output) + " bytes");
  }
  if (rc != Z_STREAM_END) return gzip_error("corrupt or truncated stream (zlib " + std::to_string(rc) + ")");
  if (trailing != 0) return gzip_error(std::to_string(trailing) + " bytes after the stream end");
  out.resize(produced);
  return out;
}

Bytes gzip(ByteSpan data, int level) {
  z_stream zs{};
  // 15 + 16: gzip wrapper.
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  Bytes out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(out.size() - zs.avail_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

}  // namespace mtp::tl
