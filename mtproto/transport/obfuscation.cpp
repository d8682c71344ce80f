#include "transport/obfuscation.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "crypto/sha.hpp"
#include "transport/codec.hpp"

namespace mtp::transport {
namespace {

using Header = std::array<std::uint8_t, kObfuscationHeaderSize>;

bool forbidden(const Header& init) {
  if (init[0] == 0xEF) return true;
  if (first_word_of_other_protocol(wire::load_u32le(init.data()))) return true;
  return wire::load_u32le(init.data() + 4) == 0;  // would look like a full-transport seqno 0
}

// Key at [8,40) and IV at [40,56) of `bytes`; the secret, if any, is mixed into the key.
crypto::AesCtr256 stream_from(const std::uint8_t* bytes, ByteSpan secret) {
  std::array<std::uint8_t, 32> key;
  std::array<std::uint8_t, 16> iv;
  std::memcpy(key.data(), bytes + 8, 32);
  std::memcpy(iv.data(), bytes + 40, 16);
  if (!secret.empty()) key = crypto::sha256({ByteSpan(key), secret});
  return crypto::AesCtr256(key, iv);
}

Status check_secret(ByteSpan secret) {
  if (!secret.empty() && secret.size() != 16) {
    return Error::local(kErrInvalidArgument, "PROXY_SECRET_INVALID", "an MTProxy secret has 16 bytes");
  }
  return {};
}

}  // namespace

bool first_word_of_other_protocol(std::uint32_t first) {
  static constexpr std::uint32_t kOtherProtocols[] = {
      0x44414548,  // "HEAD"
      0x54534F50,  // "POST"
      0x20544547,  // "GET "
      0x4954504F,  // "OPTI"
      0x02010316,  // TLS record header
      0xDDDDDDDD,  // padded intermediate marker
      0xEEEEEEEE,  // intermediate marker
  };
  return std::find(std::begin(kOtherProtocols), std::end(kOtherProtocols), first) != std::end(kOtherProtocols);
}

Result<Obfuscation::ClientInit> Obfuscation::client(TransportKind inner, const RandomFill& random,
                                                    const ObfuscationParams& params) {
  if (inner == TransportKind::kFull) {
    return Error::local(kErrInvalidArgument, "TRANSPORT_NOT_OBFUSCATABLE", "the full transport has no obfuscation tag");
  }
  MTP_TRY(check_secret(params.secret));
  Header init;
  do {
    random(init);
  } while (forbidden(init));
  wire::store_u32le(init.data() + 56, obfuscation_tag(inner));
  if (params.dc_id != 0) {
    const auto dc = static_cast<std::uint16_t>(params.dc_id);
    init[60] = static_cast<std::uint8_t>(dc);
    init[61] = static_cast<std::uint8_t>(dc >> 8);
  }
  Header reversed = init;
  std::reverse(reversed.begin(), reversed.end());

  Obfuscation streams(stream_from(init.data(), params.secret), stream_from(reversed.data(), params.secret));
  // The header itself is the first 64 bytes of the encrypt stream; only its tail goes out encrypted
  // (the keys must stay readable for the server).
  Header encrypted = init;
  streams.encrypt(encrypted);
  Bytes header(init.begin(), init.begin() + 56);
  header.insert(header.end(), encrypted.begin() + 56, encrypted.end());
  return ClientInit{std::move(header), std::move(streams)};
}

Result<Obfuscation::ServerAccept> Obfuscation::server(ByteSpan header, ByteSpan secret) {
  if (header.size() < kObfuscationHeaderSize) {
    return Error::local(kErrInvalidArgument, "TRANSPORT_SHORT_HEADER", "an obfuscation header has 64 bytes");
  }
  MTP_TRY(check_secret(secret));
  Header received;
  std::memcpy(received.data(), header.data(), received.size());
  Header reversed = received;
  std::reverse(reversed.begin(), reversed.end());

  // Mirror image of the client: what it encrypts with, we decrypt with, and vice versa. Bytes [8,56)
  // travel in clear, so both directions' keys can be derived from the header as received.
  Obfuscation streams(stream_from(reversed.data(), secret), stream_from(received.data(), secret));
  Header decrypted = received;
  streams.decrypt(decrypted);

  const std::uint32_t tag = wire::load_u32le(decrypted.data() + 56);
  TransportKind inner;
  if (tag == 0xEFEFEFEF) {
    inner = TransportKind::kAbridged;
  } else if (tag == 0xEEEEEEEE) {
    inner = TransportKind::kIntermediate;
  } else if (tag == 0xDDDDDDDD) {
    inner = TransportKind::kPaddedIntermediate;
  } else {
    return Error::local(kErrMalformed, "TRANSPORT_UNKNOWN",
                        "neither a plain transport marker nor a valid obfuscation header");
  }
  const auto dc = static_cast<std::int16_t>(std::uint16_t{decrypted[60]} | std::uint16_t{decrypted[61]} << 8);
  return ServerAccept{inner, dc, std::move(streams)};
}

}  // namespace mtp::transport
