#pragma once
// An outgoing packet buffer with room reserved in front of and behind the payload, so a codec
// writes its header and trailer around the payload in place and obfuscation encrypts the whole
// wire image in place: a 1 MiB encrypted message is never copied to be framed.
#include <cstddef>
#include <cstdint>

#include "core/bytes.hpp"

namespace mtp::transport {

class Frame {
 public:
  // The largest header any codec writes (full transport: length + seqno) and the largest trailer
  // (padded intermediate: up to 15 random bytes; full: CRC32).
  static constexpr std::size_t kHeadroom = 8;
  static constexpr std::size_t kTailroom = 16;

  Frame() : Frame(std::size_t{0}) {}
  // A frame whose payload is payload_size zero bytes; the caller fills payload().
  explicit Frame(std::size_t payload_size);
  static Frame copy_of(ByteSpan payload);
  // A transport error packet as the server sends it: the payload is the negative code, LE.
  static Frame transport_error(std::int32_t code);

  MutableByteSpan payload() { return {storage_.data() + kHeadroom, payload_size_}; }
  ByteSpan payload() const { return {storage_.data() + kHeadroom, payload_size_}; }
  std::size_t payload_size() const { return payload_size_; }

  // The bytes to put on the wire: payload before encoding, header + payload + trailer after.
  ByteSpan wire() const { return {storage_.data() + begin_, end_ - begin_}; }
  MutableByteSpan wire() { return {storage_.data() + begin_, end_ - begin_}; }
  bool encoded() const { return encoded_; }

  // Codec side: claim n bytes of headroom right before the wire image / tailroom right after it.
  MutableByteSpan prepend(std::size_t n);
  MutableByteSpan append(std::size_t n);
  void mark_encoded() { encoded_ = true; }
  // Resets the frame to hold exactly `data` as its (unencoded) wire image: for packets that are not
  // payload + framing, such as a server quick-ack.
  void set_raw(ByteSpan data);

 private:
  Bytes storage_;
  std::size_t payload_size_ = 0;
  std::size_t begin_ = kHeadroom;
  std::size_t end_ = kHeadroom;
  bool encoded_ = false;
};

}  // namespace mtp::transport
