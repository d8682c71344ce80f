#include "hostile.hpp"

#include <zlib.h>

#include <array>
#include <cstring>
#include <functional>
#include <string_view>

#include "session/rpc_result.hpp"
#include "tl/container.hpp"
#include "tl/gzip.hpp"
#include "tl/mtproto.hpp"
#include "tl/reader.hpp"
#include "tl/writer.hpp"

namespace testdc {

namespace {

constexpr std::array kDecoyKinds{Hostility::kMsgIdPast,  Hostility::kMsgIdFuture, Hostility::kNestedContainer,
                                 Hostility::kLyingBytes, Hostility::kHugeVector,  Hostility::kGzipBomb};
constexpr std::int64_t kPastS = 600;    // well over the 300 s a receiver must accept
constexpr std::int64_t kFutureS = 120;  // well over the 30 s
constexpr std::uint32_t kLyingLength = 0xffffff;  // TL's longest length prefix (254 + 3 bytes)
constexpr std::uint32_t kHugeCount = 0x7fffffff;

std::uint32_t load32(const mtp::Bytes& b, std::size_t at) {
  std::uint32_t v;
  std::memcpy(&v, b.data() + at, 4);
  return v;
}

mtp::Bytes rpc_result(std::int64_t req_msg_id, mtp::ByteSpan object) {
  mtp::tl::Writer w;
  mtp::tl::write_rpc_result(w, req_msg_id, object);
  return w.take();
}

// Where upload.file's bytes are: [offset, offset + length) of `result`, or nullopt.
std::optional<std::pair<std::size_t, std::size_t>> file_bytes(const mtp::Bytes& result) {
  if (mtp::tl::object_id(result) != mtp::session::kUploadFileId) return std::nullopt;
  mtp::tl::Reader r(result);
  r.uint32();  // upload.file
  r.uint32();  // storage.FileType (no fields)
  r.int32();   // mtime
  mtp::ByteSpan bytes = r.bytes_view();
  if (!r.ok()) return std::nullopt;
  return std::pair{static_cast<std::size_t>(bytes.data() - result.data()), bytes.size()};
}

// A well-formed answer that is not the real one: accepting it is a visible mistake.
mtp::Bytes wrong_answer(const mtp::Bytes& result) {
  if (auto bytes = file_bytes(result); bytes && bytes->second > 0) {
    mtp::Bytes inverted = result;
    for (std::size_t i = 0; i < bytes->second; ++i) inverted[bytes->first + i] ^= 0xff;
    return inverted;
  }
  return mtp::tl::serialize(mtp::tl::mt::rpc_error{400, "HOSTILE_DECOY"});
}

// A TL bytes field claiming kLyingLength bytes, followed by only a few.
void write_lying_bytes(mtp::tl::Writer& w) {
  w.uint32(254u | (kLyingLength << 8));
  w.raw(mtp::Bytes(16, 0xab));
}

mtp::Bytes lying_object(const mtp::Bytes& result) {
  mtp::tl::Writer w;
  if (file_bytes(result)) {
    w.raw(mtp::ByteSpan(result).first(12));  // upload.file, its type and mtime as they are
  } else {
    w.uint32(mtp::tl::kGzipPackedId);
  }
  write_lying_bytes(w);
  return w.take();
}

mtp::Bytes huge_vector_object(const mtp::Bytes& result) {
  if (!file_bytes(result)) {
    for (std::size_t at = 0; at + 8 <= result.size(); at += 4) {
      if (load32(result, at) != mtp::tl::kVectorId) continue;
      mtp::Bytes cut(result.begin(), result.begin() + static_cast<std::ptrdiff_t>(std::min(result.size(), at + 8 + 64)));
      std::memcpy(cut.data() + at + 4, &kHugeCount, 4);
      return cut;
    }
  }
  mtp::tl::Writer w;
  w.uint32(mtp::tl::kVectorId);
  w.uint32(kHugeCount);
  w.int64(0);
  return w.take();
}

mtp::Bytes gzip_bomb_object() {
  mtp::tl::Writer w;
  w.uint32(mtp::tl::kGzipPackedId);
  w.bytes(gzip_bomb());
  return w.take();
}

// container { one message: `body` } as a message body.
mtp::Bytes container_of(std::int64_t msg_id, std::int32_t seq_no, mtp::ByteSpan body) {
  const mtp::tl::MessageView m{msg_id, seq_no, body};
  mtp::tl::Writer w;
  mtp::tl::write_container(w, std::span<const mtp::tl::MessageView>(&m, 1));
  return w.take();
}

std::uint64_t hash_of(mtp::ByteSpan bytes) {
  return std::hash<std::string_view>{}(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace

std::vector<Decoy> HostileServer::decoys(ServerSession& session, std::int64_t req_msg_id, mtp::ByteSpan query,
                                         const std::string& method, const mtp::Bytes& result, std::int64_t now_s) {
  std::vector<Hostility> kinds;
  for (Hostility h : kDecoyKinds) {
    if (on(h)) kinds.push_back(h);
  }
  if (kinds.empty() || method.rfind("auth.", 0) == 0) return {};
  if (!answered_.insert(hash_of(query)).second) return {};  // a repeat: answered straight
  const Hostility kind = kinds[turn_++ % kinds.size()];

  OutMessage m;
  m.decoy = true;
  m.is_answer = true;
  switch (kind) {
    case Hostility::kMsgIdPast:
    case Hostility::kMsgIdFuture: {
      m.head = rpc_result(req_msg_id, wrong_answer(result));
      const std::int64_t seconds = kind == Hostility::kMsgIdPast ? now_s - kPastS : now_s + kFutureS;
      // A server's answer id: 1 mod 4; a fraction that differs per decoy.
      m.forced_msg_id = (seconds << 32) | ((static_cast<std::int64_t>(turn_) << 2) & 0xfffffffc) | 1;
      break;
    }
    case Hostility::kNestedContainer: {
      const mtp::Bytes answer = rpc_result(req_msg_id, wrong_answer(result));
      const mtp::Bytes inner = container_of(session.next_msg_id(true), session.next_seq_no(true), answer);
      m.head = container_of(session.next_msg_id(false), session.next_seq_no(false), inner);
      m.content_related = false;
      m.is_answer = false;
      break;
    }
    case Hostility::kLyingBytes: m.head = rpc_result(req_msg_id, lying_object(result)); break;
    case Hostility::kHugeVector: m.head = rpc_result(req_msg_id, huge_vector_object(result)); break;
    case Hostility::kGzipBomb: m.head = rpc_result(req_msg_id, gzip_bomb_object()); break;
    default: return {};
  }
  note(kind);
  std::vector<Decoy> out;
  out.push_back(Decoy{std::move(m), kind});
  return out;
}

std::optional<std::string> HostileServer::damage(mtp::transport::Frame& frame) {
  if (!on(Hostility::kMsgKeyMismatch)) return std::nullopt;
  const int n = ++packets_;
  if (n % 5 != 3) return std::nullopt;
  auto payload = frame.payload();
  if (payload.size() < 24 + 16) return std::nullopt;
  note(Hostility::kMsgKeyMismatch);
  if (damaged_++ % 2 == 0) {
    payload[8] ^= 0x01;  // first byte of msg_key
    return "msg_key of packet " + std::to_string(n);
  }
  payload[payload.size() - 1] ^= 0x01;  // last byte of the AES-IGE ciphertext
  return "ciphertext of packet " + std::to_string(n);
}

int HostileServer::applied(Hostility h) const {
  auto it = applied_.find(h);
  return it == applied_.end() ? 0 : it->second;
}

std::optional<mtp::transport::Frame> PacketReplayer::before_answer(const mtp::transport::Frame& next) {
  if (held_) {
    std::optional<mtp::transport::Frame> out = std::move(held_);
    held_.reset();
    return out;
  }
  held_ = mtp::transport::Frame::copy_of(next.payload());
  return std::nullopt;
}

const mtp::Bytes& gzip_bomb() {
  static const mtp::Bytes bomb = [] {
    constexpr std::size_t kChunk = std::size_t{1} << 20;
    const mtp::Bytes zeros(kChunk, 0);
    z_stream zs{};
    deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
    auto flushed_chunk = [&] {
      mtp::Bytes out(deflateBound(&zs, kChunk) + 64);
      zs.next_in = const_cast<Bytef*>(zeros.data());
      zs.avail_in = static_cast<uInt>(zeros.size());
      zs.next_out = out.data();
      zs.avail_out = static_cast<uInt>(out.size());
      deflate(&zs, Z_FULL_FLUSH);
      out.resize(out.size() - zs.avail_out);
      return out;
    };
    mtp::Bytes stream = flushed_chunk();       // gzip header + the block
    const mtp::Bytes block = flushed_chunk();  // the same block, without the header
    deflateEnd(&zs);
    uLong crc_chunk = crc32(0, zeros.data(), static_cast<uInt>(zeros.size()));
    uLong crc = crc_chunk;
    for (std::uint64_t done = kChunk; done < kGzipBombInflatedSize; done += kChunk) {
      stream.insert(stream.end(), block.begin(), block.end());
      crc = crc32_combine(crc, crc_chunk, static_cast<z_off_t>(kChunk));
    }
    const std::uint32_t crc32_le = static_cast<std::uint32_t>(crc);
    const std::uint32_t size_le = static_cast<std::uint32_t>(kGzipBombInflatedSize & 0xffffffffu);
    const std::uint8_t final_block[] = {0x03, 0x00};  // an empty final fixed-Huffman block
    stream.insert(stream.end(), std::begin(final_block), std::end(final_block));
    for (std::uint32_t v : {crc32_le, size_le}) {
      for (int i = 0; i < 4; ++i) stream.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    return stream;
  }();
  return bomb;
}

}  // namespace testdc
