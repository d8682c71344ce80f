#include "transport/transport_codec.hpp"

#include <algorithm>
#include <cstring>

namespace mtp::transport {

TransportCodec::TransportCodec(Role role, std::size_t max_packet, RandomFill random)
    : role_(role), max_packet_(max_packet), random_(random ? std::move(random) : system_random()) {}

TransportCodec::TransportCodec(TransportCodec&&) noexcept = default;
TransportCodec& TransportCodec::operator=(TransportCodec&&) noexcept = default;
TransportCodec::~TransportCodec() = default;

Result<TransportCodec> TransportCodec::client(const ClientTransportOptions& options) {
  TransportCodec codec(Role::kClient, options.max_packet, options.random);
  codec.framing_ = make_frame_codec(options.kind, Role::kClient, {options.max_packet, codec.random_});
  if (options.obfuscated || !options.secret.empty()) {
    auto init = Obfuscation::client(options.kind, codec.random_, {options.secret, options.dc_id});
    if (!init) return std::move(init).error();
    codec.preamble_ = std::move(init->header);
    codec.obfuscation_.emplace(std::move(init->streams));
  } else {
    ByteSpan marker = plain_marker(options.kind);
    codec.preamble_.assign(marker.begin(), marker.end());
  }
  return codec;
}

TransportCodec TransportCodec::server(const ServerTransportOptions& options) {
  TransportCodec codec(Role::kServer, options.max_packet, options.random);
  codec.server_secret_ = options.secret;
  return codec;
}

std::optional<TransportKind> TransportCodec::kind() const {
  if (!framing_) return std::nullopt;
  return framing_->kind();
}

Bytes TransportCodec::take_preamble() { return std::exchange(preamble_, {}); }

Status TransportCodec::encode(Frame& frame, bool quick_ack) {
  if (!framing_) return Error::local(kErrInvalidArgument, "TRANSPORT_NOT_READY", "transport not detected yet");
  if (frame.encoded()) return Error::local(kErrInvalidArgument, "TRANSPORT_REENCODE", "frame already encoded");
  MTP_TRY(framing_->encode(frame, quick_ack));
  if (obfuscation_) obfuscation_->encrypt(frame.wire());
  return {};
}

Status TransportCodec::encode_quick_ack(Frame& frame, std::uint32_t token) {
  if (!framing_) return Error::local(kErrInvalidArgument, "TRANSPORT_NOT_READY", "transport not detected yet");
  MTP_TRY(framing_->encode_quick_ack(frame, token));
  if (obfuscation_) obfuscation_->encrypt(frame.wire());
  return {};
}

MutableByteSpan TransportCodec::prepare(std::size_t min_size) {
  if (read_pos_ == write_pos_) read_pos_ = write_pos_ = 0;
  const std::size_t have = write_pos_ - read_pos_;
  const std::size_t want = std::max(min_size, needed_ > have ? needed_ - have : 0);
  if (capacity_ - write_pos_ < want) {
    // Move the unconsumed tail to the front (this is what invalidates old packet views), then grow
    // if the pending packet still does not fit. needed_ is bounded by max_packet.
    if (read_pos_ > 0) {
      std::memmove(buffer_.get(), buffer_.get() + read_pos_, have);
      read_pos_ = 0;
      write_pos_ = have;
    }
    if (capacity_ - write_pos_ < want) {
      const std::size_t new_capacity = std::max(write_pos_ + want, capacity_ + capacity_ / 2);
      std::unique_ptr<std::uint8_t[]> bigger(new std::uint8_t[new_capacity]);
      if (write_pos_ > 0) std::memcpy(bigger.get(), buffer_.get(), write_pos_);
      buffer_ = std::move(bigger);
      capacity_ = new_capacity;
    }
  }
  return {buffer_.get() + write_pos_, capacity_ - write_pos_};
}

void TransportCodec::commit(std::size_t n) {
  // Before detection the server keeps raw bytes; detect() decrypts them once it knows the keys.
  if (obfuscation_) obfuscation_->decrypt(MutableByteSpan(buffer_.get() + write_pos_, n));
  write_pos_ += n;
}

void TransportCodec::feed(ByteSpan data) {
  if (data.empty()) return;
  MutableByteSpan space = prepare(data.size());
  std::memcpy(space.data(), data.data(), data.size());
  commit(data.size());
}

Status TransportCodec::detect() {
  auto step = detect_transport(ByteSpan(buffer_.get() + read_pos_, write_pos_ - read_pos_),
                               {server_secret_, max_packet_});
  if (!step) return std::move(step).error();
  if (!step->detected) {
    needed_ = step->needed;
    return {};
  }
  Detected& detected = *step->detected;
  framing_ = make_frame_codec(detected.kind, Role::kServer, {max_packet_, random_});
  read_pos_ += detected.consumed;
  dc_id_ = detected.dc_id;
  if (detected.obfuscation) {
    obfuscation_.emplace(std::move(*detected.obfuscation));
    obfuscation_->decrypt(MutableByteSpan(buffer_.get() + read_pos_, write_pos_ - read_pos_));
  }
  needed_ = 0;
  return {};
}

Result<std::optional<Packet>> TransportCodec::next() {
  if (error_) return *error_;
  if (!framing_) {
    if (auto detected = detect(); !detected) {
      error_ = detected.error();
      return *error_;
    }
    if (!framing_) return std::optional<Packet>{};
  }
  auto step = framing_->parse(MutableByteSpan(buffer_.get() + read_pos_, write_pos_ - read_pos_));
  if (!step) {
    error_ = step.error();
    return *error_;
  }
  if (step->consumed == 0) {
    needed_ = step->needed;
    return std::optional<Packet>{};
  }
  read_pos_ += step->consumed;
  needed_ = 0;
  return std::optional<Packet>{step->packet};
}

}  // namespace mtp::transport
