#include "tl/container.hpp"

#include <cstring>

#include "tl/reader.hpp"

namespace mtp::tl {

namespace {

Error malformed(std::string type, std::string detail) {
  return Error::local(kErrMalformed, std::move(type), std::move(detail));
}

// Reads and checks the leading constructor id.
bool expect_id(Reader& r, std::uint32_t id, const char* name) {
  std::uint32_t found = r.uint32();
  if (r.ok() && found != id) r.fail("TL_BAD_ID", std::string("expected ").append(name));
  return r.ok();
}

}  // namespace

std::uint32_t object_id(ByteSpan object) {
  std::uint32_t id = 0;
  if (object.size() >= 4) std::memcpy(&id, object.data(), 4);
  return id;
}

Result<std::vector<MessageView>> parse_container(ByteSpan object) {
  Reader r(object);
  if (!expect_id(r, kMsgContainerId, "msg_container")) return r.error();
  // Each entry takes at least 16 bytes of header and a 4-byte body id.
  std::uint32_t n = r.count(20);
  std::vector<MessageView> out;
  out.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    MessageView m;
    m.msg_id = r.int64();
    m.seqno = r.int32();
    std::int32_t length = r.int32();
    if (!r.ok()) break;
    if (length < 4 || length % 4 != 0 || std::size_t(length) > r.remaining()) {
      return malformed("TL_BAD_LENGTH", "container message " + std::to_string(i) + " has body length " +
                                            std::to_string(length));
    }
    m.body = r.raw(std::size_t(length));
    if (object_id(m.body) == kMsgContainerId) return malformed("TL_NESTED_CONTAINER", "container inside a container");
    out.push_back(m);
  }
  if (r.ok() && !r.at_end()) r.fail("TL_TRAILING", std::to_string(r.remaining()) + " bytes after the container");
  if (!r.ok()) return r.error();
  return out;
}

void write_container(Writer& w, std::span<const MessageView> messages) {
  w.uint32(kMsgContainerId);
  w.count(static_cast<std::uint32_t>(messages.size()));
  for (const auto& m : messages) {
    w.int64(m.msg_id);
    w.int32(m.seqno);
    w.int32(static_cast<std::int32_t>(m.body.size()));
    w.raw(m.body);
  }
}

Result<RpcResultView> parse_rpc_result(ByteSpan object) {
  Reader r(object);
  if (!expect_id(r, kRpcResultId, "rpc_result")) return r.error();
  RpcResultView v;
  v.req_msg_id = r.int64();
  if (!r.ok()) return r.error();
  if (r.remaining() < 4) return malformed("TL_TRUNCATED", "rpc_result without a result object");
  v.result = r.rest();
  return v;
}

void write_rpc_result(Writer& w, std::int64_t req_msg_id, ByteSpan result) {
  w.uint32(kRpcResultId);
  w.int64(req_msg_id);
  w.raw(result);
}

Result<Bytes> unpack_gzip_packed(ByteSpan object, std::size_t max_output) {
  Reader r(object);
  if (!expect_id(r, kGzipPackedId, "gzip_packed")) return r.error();
  ByteSpan packed = r.bytes_view();
  if (r.ok() && !r.at_end()) r.fail("TL_TRAILING", "bytes after gzip_packed");
  if (!r.ok()) return r.error();
  return gunzip(packed, max_output);
}

void write_gzip_packed(Writer& w, ByteSpan object) {
  w.uint32(kGzipPackedId);
  w.bytes(gzip(object));
}

}  // namespace mtp::tl
