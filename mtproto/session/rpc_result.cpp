#include "session/rpc_result.hpp"

#include <cstdio>
#include <string>

#include "tl/container.hpp"
#include "tl/reader.hpp"

namespace mtp::session {

Result<ByteSpan> open_rpc_answer(ByteSpan result, Bytes& inflated, std::size_t max_inflated) {
  const std::uint32_t id = tl::object_id(result);
  if (id == kRpcErrorId) {
    tl::Reader r(result);
    r.uint32();
    const std::int32_t code = r.int32();
    std::string message = r.string();
    if (!r.ok()) return r.error();
    return Error::rpc(code, message);
  }
  if (id == tl::kGzipPackedId) {
    auto unpacked = tl::unpack_gzip_packed(result, max_inflated);
    if (!unpacked) return std::move(unpacked).error();
    inflated = std::move(*unpacked);
    // A packed rpc_error is legal too; nested gzip_packed is not (the inner id check rejects it).
    if (tl::object_id(inflated) == tl::kGzipPackedId)
      return Error::local(kErrMalformed, "NESTED_GZIP", "gzip_packed inside gzip_packed");
    if (tl::object_id(inflated) == kRpcErrorId) {
      Bytes unused;
      return open_rpc_answer(inflated, unused, 0);
    }
    return ByteSpan(inflated);
  }
  if (result.size() < 4) return Error::local(kErrMalformed, "TL_TRUNCATED", "rpc_result without an object");
  return result;
}

Result<FilePartView> view_file_part(ByteSpan object) {
  tl::Reader r(object);
  const std::uint32_t id = r.uint32();
  if (r.ok() && id != kUploadFileId) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "%08x", id);
    return Error::local(kErrMalformed, "UNEXPECTED_ANSWER", std::string("expected upload.file, got #").append(hex));
  }
  FilePartView view;
  view.file_type_id = r.uint32();
  view.mtime = r.int32();
  view.bytes = r.bytes_view();
  if (r.ok() && !r.at_end()) r.fail("TL_TRAILING", "bytes after upload.file");
  if (!r.ok()) return r.error();
  return view;
}

}  // namespace mtp::session
