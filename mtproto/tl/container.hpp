#pragma once
// Hand-written codecs for the MTProto objects that carry an arbitrary `Object`, which generated
// code cannot type (tl-schema/mtproto.tl keeps them as comments):
//   message msg_id:long seqno:int bytes:int body:Object = Message;
//   msg_container#73f1f8dc messages:vector<%message> = MessageContainer;
//   rpc_result#f35c6d01 req_msg_id:long result:Object = RpcResult;
//   gzip_packed#3072cfa1 packed_data:bytes = Object;
// Parsing returns views into the input so a 1 MiB upload.file answer is never copied here.
#include <cstdint>
#include <span>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "tl/gzip.hpp"
#include "tl/writer.hpp"

namespace mtp::tl {

inline constexpr std::uint32_t kMsgContainerId = 0x73f1f8dc;
inline constexpr std::uint32_t kRpcResultId = 0xf35c6d01;
inline constexpr std::uint32_t kMsgCopyId = 0xe06046b2;

// One inner message of a container. `body` is a boxed object (its first 4 bytes are its id).
struct MessageView {
  std::int64_t msg_id = 0;
  std::int32_t seqno = 0;
  ByteSpan body;
};

// The constructor id a boxed object starts with, or 0 when shorter than 4 bytes.
std::uint32_t object_id(ByteSpan object);

// Parses a whole msg_container object (starting with its id). Every inner body must be a whole
// number of 4-byte words, fit in the input, and not be a container itself.
Result<std::vector<MessageView>> parse_container(ByteSpan object);
// Writes a msg_container holding `messages` (each written with its body length).
void write_container(Writer& w, std::span<const MessageView> messages);
// Bytes a message adds to a container: msg_id + seqno + length + body.
constexpr std::size_t container_entry_size(std::size_t body_size) { return 16 + body_size; }

struct RpcResultView {
  std::int64_t req_msg_id = 0;
  ByteSpan result;  // boxed: the answer, rpc_error, or gzip_packed
};
Result<RpcResultView> parse_rpc_result(ByteSpan object);
void write_rpc_result(Writer& w, std::int64_t req_msg_id, ByteSpan result);

// gzip_packed: unpack_gzip_packed returns the inflated inner object (capped, see gzip.hpp).
Result<Bytes> unpack_gzip_packed(ByteSpan object, std::size_t max_output = kDefaultInflateCap);
void write_gzip_packed(Writer& w, ByteSpan object);

}  // namespace mtp::tl
