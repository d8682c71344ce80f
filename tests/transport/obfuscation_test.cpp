// obfuscated2: VECTORS.md §6 exactly, header constraints, server-side derivation, MTProxy secrets.
#include <catch2/catch.hpp>

#include "crypto/aes_ctr.hpp"
#include "crypto/sha.hpp"
#include "test_support.hpp"
#include "transport/obfuscation.hpp"
#include "transport/transport_codec.hpp"

using namespace mtp;
using namespace mtp::transport;
using namespace mtp::transport::test;

namespace {

// Hands out the given 64-byte draws in order (VECTORS §6 uses bytes 00..3F).
RandomFill scripted(std::vector<Bytes> draws, int* count = nullptr) {
  auto state = std::make_shared<std::pair<std::vector<Bytes>, std::size_t>>(std::move(draws), 0);
  return [state, count](MutableByteSpan out) {
    const Bytes& next = state->first.at(state->second++);
    REQUIRE(out.size() == next.size());
    std::copy(next.begin(), next.end(), out.begin());
    if (count) ++*count;
  };
}

Bytes counting_init() {
  Bytes init(64);
  for (int i = 0; i < 64; ++i) init[i] = static_cast<std::uint8_t>(i);
  return init;
}

const char* kVectorHeader =
    "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
    "202122232425262728292A2B2C2D2E2F30313233343536374618255E223DFD5D";

}  // namespace

TEST_CASE("obfuscated header matches VECTORS §6", "[transport][obfuscation][vectors]") {
  auto init = Obfuscation::client(TransportKind::kIntermediate, scripted({counting_init()}));
  REQUIRE(init);
  CHECK(init->header == from_hex(kVectorHeader));

  SECTION("next bytes of the same stream: intermediate packet of 8 bytes 0x11") {
    auto codec = TransportCodec::client({TransportKind::kIntermediate, true, {}, 0, kDefaultMaxPacket,
                                         scripted({counting_init()})});
    REQUIRE(codec);
    CHECK(codec->take_preamble() == from_hex(kVectorHeader));
    CHECK(codec->take_preamble().empty());  // sent once
    Frame frame = Frame::copy_of(Bytes(8, 0x11));
    REQUIRE(codec->encode(frame));
    CHECK(to_hex(frame.wire()) == "3aa9c12829e0745033a081ac");
  }

  SECTION("the server derives the opposite streams and finds the tag") {
    auto codec = TransportCodec::server({});
    codec.feed(from_hex(kVectorHeader));
    codec.feed(from_hex("3AA9C12829E0745033A081AC"));
    auto packets = drain(codec);
    REQUIRE(packets.size() == 1);
    CHECK(packets[0].payload == Bytes(8, 0x11));
    CHECK(codec.kind() == TransportKind::kIntermediate);
    CHECK(codec.obfuscated());
  }

  SECTION("the keys are the documented slices of init and reversed init") {
    // Client decrypt key/iv = rev[8:40] / rev[40:56]; check by decrypting what the server sends.
    auto server = Obfuscation::server(from_hex(kVectorHeader));
    REQUIRE(server);
    Bytes reply(16, 0x42);
    server->streams.encrypt(reply);
    auto key = from_hex("37363534333231302F2E2D2C2B2A292827262524232221201F1E1D1C1B1A1918");
    auto iv = from_hex("17161514131211100F0E0D0C0B0A0908");
    crypto::AesCtr256 client_decrypt(std::span<const std::uint8_t, 32>(key.data(), 32),
                                     std::span<const std::uint8_t, 16>(iv.data(), 16));
    client_decrypt.apply(reply);
    CHECK(reply == Bytes(16, 0x42));
  }
}

TEST_CASE("obfuscation headers avoid other protocols' first bytes", "[transport][obfuscation]") {
  auto with_prefix = [](const char* hex) {
    Bytes b = counting_init();
    Bytes p = from_hex(hex);
    std::copy(p.begin(), p.end(), b.begin());
    return b;
  };
  std::vector<Bytes> draws = {
      with_prefix("ef"),                // abridged marker
      with_prefix("48454144"),          // HEAD
      with_prefix("504f5354"),          // POST
      with_prefix("47455420"),          // "GET "
      with_prefix("4f505449"),          // OPTI
      with_prefix("16030102"),          // TLS
      with_prefix("dddddddd"),          // padded marker
      with_prefix("eeeeeeee"),          // intermediate marker
      with_prefix("0102030400000000"),  // looks like a full-transport seqno 0
      counting_init(),
  };
  int count = 0;
  auto init = Obfuscation::client(TransportKind::kIntermediate, scripted(draws, &count));
  REQUIRE(init);
  CHECK(count == static_cast<int>(draws.size()));
  CHECK(init->header == from_hex(kVectorHeader));
}

TEST_CASE("obfuscation tags name the inner framing, full cannot be obfuscated", "[transport][obfuscation]") {
  for (auto kind : {TransportKind::kAbridged, TransportKind::kIntermediate, TransportKind::kPaddedIntermediate}) {
    auto init = Obfuscation::client(kind, seeded_random(11));
    REQUIRE(init);
    auto accepted = Obfuscation::server(init->header);
    REQUIRE(accepted);
    CHECK(accepted->inner == kind);
  }
  auto full = Obfuscation::client(TransportKind::kFull, seeded_random(11));
  REQUIRE_FALSE(full);
  CHECK(full.error().code == kErrInvalidArgument);
}

TEST_CASE("MTProxy secret: key = SHA256(key + secret) on both sides", "[transport][obfuscation]") {
  const Bytes secret = from_hex("00112233445566778899aabbccddeeff");
  auto init = Obfuscation::client(TransportKind::kPaddedIntermediate, scripted({counting_init()}),
                                  {secret, -2});
  REQUIRE(init);
  // Independent derivation of the encrypted tail from the documented rule.
  Bytes plain = counting_init();
  wire::store_u32le(plain.data() + 56, 0xDDDDDDDD);
  plain[60] = 0xFE;  // dc -2, int16 LE
  plain[61] = 0xFF;
  auto key = crypto::sha256({ByteSpan(plain).subspan(8, 32), ByteSpan(secret)});
  crypto::AesCtr256 expected(key, std::span<const std::uint8_t, 16>(plain.data() + 40, 16));
  expected.apply(plain);
  CHECK(to_hex(ByteSpan(init->header).subspan(56)) == to_hex(ByteSpan(plain).subspan(56)));

  auto with_secret = Obfuscation::server(init->header, secret);
  REQUIRE(with_secret);
  CHECK(with_secret->inner == TransportKind::kPaddedIntermediate);
  CHECK(with_secret->dc_id == -2);
  auto without = Obfuscation::server(init->header);
  REQUIRE_FALSE(without);
  CHECK(without.error().type == "TRANSPORT_UNKNOWN");
  CHECK_FALSE(Obfuscation::client(TransportKind::kIntermediate, seeded_random(1), {from_hex("0011"), 0}));
}
