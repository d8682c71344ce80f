#pragma once
// The body of an rpc_result as the caller wants it: the answer object, or Telegram's error.
// gzip_packed answers are inflated (with a cap) into storage the caller provides, so a plain answer
// (the common case for upload.file, which Telegram never compresses) stays a view into the
// decrypted receive buffer and is never copied.
#include <cstdint>
#include <functional>
#include <optional>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "tl/gzip.hpp"
#include "tl/object.hpp"

namespace mtp::session {

inline constexpr std::uint32_t kRpcErrorId = 0x2144ca19;

// `result` is the boxed object inside rpc_result. Returns a view of the answer object: into
// `result` itself, or into `inflated` when the answer was gzip_packed. rpc_error becomes
// Error::rpc(code, message) ({420, "FLOOD_WAIT", 17}); malformed bytes are kErrMalformed.
Result<ByteSpan> open_rpc_answer(ByteSpan result, Bytes& inflated, std::size_t max_inflated = tl::kDefaultInflateCap);

// Parses a typed answer that must span all of `object`.
template <class T>
Result<T> decode_answer(ByteSpan object) {
  return tl::parse<T>(object);
}

// upload.file#096a18d5 type:storage.FileType mtime:int bytes:bytes, read without copying `bytes`.
inline constexpr std::uint32_t kUploadFileId = 0x096a18d5;
struct FilePartView {
  std::uint32_t file_type_id = 0;  // storage.file* constructor (none of them has fields)
  std::int32_t mtime = 0;
  ByteSpan bytes;                  // a view into the answer object
};
// Fails with kErrMalformed for anything that is not a whole upload.file (e.g. upload.fileCdnRedirect
// is UNEXPECTED_ANSWER with its constructor in the detail).
Result<FilePartView> view_file_part(ByteSpan object);

// Answer handlers for Session::invoke_raw and Client::call, which see the answer as a view only
// while they run: parse a typed answer into `out`, or hand an upload.file's bytes to `on_part`.
template <class T>
std::function<Status(ByteSpan)> parse_answer_into(std::optional<T>& out) {
  return [&out](ByteSpan answer) -> Status {
    auto parsed = tl::parse<T>(answer);
    if (!parsed) return std::move(parsed).error();
    out.emplace(std::move(*parsed));
    return {};
  };
}

inline std::function<Status(ByteSpan)> file_part_handler(std::function<void(const FilePartView&)> on_part) {
  return [on_part = std::move(on_part)](ByteSpan answer) -> Status {
    auto part = view_file_part(answer);
    if (!part) return std::move(part).error();
    on_part(*part);
    return {};
  };
}

}  // namespace mtp::session
