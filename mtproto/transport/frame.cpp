#include "transport/frame.hpp"

#include <cstring>
#include <stdexcept>

namespace mtp::transport {

Frame::Frame(std::size_t payload_size)
    : storage_(kHeadroom + payload_size + kTailroom),
      payload_size_(payload_size),
      end_(kHeadroom + payload_size) {}

Frame Frame::copy_of(ByteSpan payload) {
  Frame f(payload.size());
  if (!payload.empty()) std::memcpy(f.payload().data(), payload.data(), payload.size());
  return f;
}

Frame Frame::transport_error(std::int32_t code) {
  Frame f(4);
  auto u = static_cast<std::uint32_t>(code);
  for (int i = 0; i < 4; ++i) f.payload()[i] = static_cast<std::uint8_t>(u >> (8 * i));
  return f;
}

// Running out of head- or tailroom is a codec bug, not a peer's fault: exceptions are fine here.
MutableByteSpan Frame::prepend(std::size_t n) {
  if (n > begin_) throw std::logic_error("Frame::prepend: headroom exhausted");
  begin_ -= n;
  return {storage_.data() + begin_, n};
}

MutableByteSpan Frame::append(std::size_t n) {
  if (end_ + n > storage_.size()) throw std::logic_error("Frame::append: tailroom exhausted");
  MutableByteSpan out{storage_.data() + end_, n};
  end_ += n;
  return out;
}

void Frame::set_raw(ByteSpan data) {
  storage_.assign(kHeadroom + data.size() + kTailroom, 0);
  if (!data.empty()) std::memcpy(storage_.data() + kHeadroom, data.data(), data.size());
  payload_size_ = data.size();
  begin_ = kHeadroom;
  end_ = kHeadroom + data.size();
  encoded_ = false;
}

}  // namespace mtp::transport
