#pragma once
// obfuscated2 (core.telegram.org/mtproto/mtproto-transports#transport-obfuscation): a 64-byte random
// header that carries the AES-256-CTR keys of both directions and, encrypted, the inner framing's
// tag, so the stream looks like noise to DPI. Optional MTProxy secret mixed into both keys.
#include <cstdint>
#include <optional>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "crypto/aes_ctr.hpp"
#include "transport/packet.hpp"
#include "transport/random.hpp"

namespace mtp::transport {

inline constexpr std::size_t kObfuscationHeaderSize = 64;

struct ObfuscationParams {
  ByteSpan secret;         // empty, or the 16-byte MTProxy secret (key = SHA256(key + secret))
  std::int16_t dc_id = 0;  // MTProxy only: written at offset 60 when non-zero
};

// True when a stream's first 4 bytes (LE) belong to another protocol a middlebox would recognise
// (HTTP verbs, TLS, the plain intermediate markers): obfuscation headers never start like that.
bool first_word_of_other_protocol(std::uint32_t first);

class Obfuscation {
 public:
  struct ClientInit;
  struct ServerAccept;

  // Client role: draws a header avoiding the byte patterns of other protocols (0xEF first byte,
  // HEAD/POST/GET /OPTI, TLS, the plain intermediate markers, zero bytes 4..8) and returns it ready
  // to send: init[0:56] + encrypted init[56:64]. Full framing cannot be obfuscated.
  static Result<ClientInit> client(TransportKind inner, const RandomFill& random,
                                   const ObfuscationParams& params = {});
  // Server role: derives both streams from the first 64 bytes received, decrypts the tag and learns
  // the inner framing. An unknown tag is an error (garbage or a wrong secret).
  static Result<ServerAccept> server(ByteSpan header, ByteSpan secret = {});

  // One continuous stream per direction, applied in place.
  void encrypt(MutableByteSpan data) { encrypt_.apply(data); }
  void decrypt(MutableByteSpan data) { decrypt_.apply(data); }

 private:
  Obfuscation(crypto::AesCtr256 encrypt, crypto::AesCtr256 decrypt)
      : encrypt_(std::move(encrypt)), decrypt_(std::move(decrypt)) {}

  crypto::AesCtr256 encrypt_;
  crypto::AesCtr256 decrypt_;
};

struct Obfuscation::ClientInit {
  Bytes header;  // the 64 bytes to send first
  Obfuscation streams;
};

struct Obfuscation::ServerAccept {
  TransportKind inner;
  std::int16_t dc_id;  // bytes 60..62 of the decrypted header (meaningful behind MTProxy only)
  Obfuscation streams;
};

}  // namespace mtp::transport
