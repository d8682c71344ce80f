// Transport framing: a byte stream cut in random chunks into one connection's TransportCodec.
//   byte 0, bits 0-1: framing (abridged, intermediate, padded intermediate, full)
//           bit 2: role (0: client reading what a server sends; 1: server, framing detected from
//                  the stream's own first bytes)
//           bit 3: obfuscated: the rest is the plaintext; the harness encrypts it as the peer
//                  would (after the peer's 64-byte header for a server), so the fuzzer controls
//                  the bytes the codec decrypts instead of fighting AES-CTR
//   byte 1: chunking seed. The rest: the stream.
#include <cstring>

#include "fuzz_support.hpp"
#include "transport/transport_codec.hpp"

using namespace mtp::transport;

namespace {

// Pulls every complete packet and touches each payload byte (ASan sees any over-read).
bool drain(TransportCodec& codec) {
  for (;;) {
    auto packet = codec.next();
    if (!packet) return false;
    if (!*packet) return true;
    tgget::fuzz::touch((*packet)->payload);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const auto kind = static_cast<TransportKind>(data[0] & 3);
  const bool server = (data[0] & 4) != 0;
  const bool obfuscated = (data[0] & 8) != 0 && kind != TransportKind::kFull;
  tgget::fuzz::Choices chunks(data[1]);
  mtp::Bytes stream(data + 2, data + size);
  const RandomFill random = mtp::crypto::seeded_random(7);

  std::optional<TransportCodec> codec;
  if (server) {
    codec.emplace(TransportCodec::server({}));
    if (obfuscated) {
      auto peer = Obfuscation::client(kind, random);
      TGGET_FUZZ_CHECK(peer.ok());
      peer->streams.encrypt(stream);
      stream.insert(stream.begin(), peer->header.begin(), peer->header.end());
    }
  } else {
    ClientTransportOptions options;
    options.kind = kind;
    options.obfuscated = obfuscated;
    options.random = random;
    auto client = TransportCodec::client(options);
    TGGET_FUZZ_CHECK(client.ok());
    codec.emplace(std::move(*client));
    const mtp::Bytes preamble = codec->take_preamble();
    if (obfuscated) {
      auto peer = Obfuscation::server(preamble);
      TGGET_FUZZ_CHECK(peer.ok());
      peer->streams.encrypt(stream);
    }
  }
  for (std::size_t at = 0; at < stream.size();) {
    const std::size_t n = std::min<std::size_t>(stream.size() - at, 1 + chunks.next() % (std::size_t{1} << (chunks.next() % 12)));
    codec->feed(mtp::ByteSpan(stream).subspan(at, n));
    at += n;
    if (!drain(*codec)) break;
  }
  return 0;
}
