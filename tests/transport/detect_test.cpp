// Server-side transport detection from the first bytes, as Telegram does it.
#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "transport/detect.hpp"
#include "transport/transport_codec.hpp"

using namespace mtp;
using namespace mtp::transport;
using namespace mtp::transport::test;

TEST_CASE("plain markers are recognised and consumed", "[transport][detect]") {
  struct Case { const char* hex; TransportKind kind; std::size_t consumed; };
  for (const Case& c : {Case{"ef05", TransportKind::kAbridged, 1},
                        Case{"eeeeeeee14000000", TransportKind::kIntermediate, 4},
                        Case{"dddddddd14000000", TransportKind::kPaddedIntermediate, 4},
                        Case{"3400000000000000aabbccdd", TransportKind::kFull, 0}}) {
    INFO(c.hex);
    auto step = detect_transport(from_hex(c.hex));
    REQUIRE(step);
    REQUIRE(step->detected);
    CHECK(step->detected->kind == c.kind);
    CHECK(step->detected->consumed == c.consumed);
    CHECK_FALSE(step->detected->obfuscation);
  }
}

TEST_CASE("a detector that needs more bytes says how many", "[transport][detect]") {
  struct Case { const char* hex; std::size_t needed; };
  for (const Case& c : {Case{"", 1}, Case{"ee", 4}, Case{"eeeeee", 4}, Case{"dd", 4}, Case{"34000000", 8},
                        Case{"3400000000", 8}, Case{"0102030405060708", 64}}) {
    INFO(c.hex);
    auto step = detect_transport(from_hex(c.hex));
    REQUIRE(step);
    CHECK_FALSE(step->detected);
    CHECK(step->needed == c.needed);
  }
}

TEST_CASE("an obfuscated header is detected with its inner framing", "[transport][detect]") {
  for (auto kind : {TransportKind::kAbridged, TransportKind::kIntermediate, TransportKind::kPaddedIntermediate}) {
    auto init = Obfuscation::client(kind, seeded_random(42));
    REQUIRE(init);
    auto partial = detect_transport(ByteSpan(init->header).first(63));
    REQUIRE(partial);
    CHECK_FALSE(partial->detected);
    CHECK(partial->needed == 64);
    auto step = detect_transport(init->header);
    REQUIRE(step);
    REQUIRE(step->detected);
    CHECK(step->detected->kind == kind);
    CHECK(step->detected->consumed == 64);
    CHECK(step->detected->obfuscation);
  }
}

TEST_CASE("garbage is rejected, not waited on", "[transport][detect]") {
  SECTION("64 random bytes") {
    std::mt19937_64 rng(5);
    int rejected = 0;
    for (int i = 0; i < 50; ++i) {
      Bytes noise = random_bytes(rng, 64);
      if (noise[0] == 0xEF) continue;
      auto step = detect_transport(noise);
      // Random bytes only pass as obfuscation with a 3/2^32 chance; never as "need more".
      if (!step) {
        CHECK(step.error().type == "TRANSPORT_UNKNOWN");
        ++rejected;
      } else {
        CHECK(step->detected);
      }
    }
    CHECK(rejected >= 45);
  }
  SECTION("an HTTP request") {
    std::string http = "POST /api HTTP/1.1\r\nHost: example.org\r\nContent-Length: 100\r\n\r\n";
    // Decided from the first 4 bytes: no waiting for a 64-byte header.
    auto step = detect_transport(as_bytes(http).first(4));
    REQUIRE_FALSE(step);
    CHECK(step.error().code == kErrMalformed);
    CHECK(step.error().type == "TRANSPORT_UNSUPPORTED");
    std::string tls("\x16\x03\x01\x02", 4);
    CHECK(detect_transport(as_bytes(tls)).error().type == "TRANSPORT_UNSUPPORTED");
  }
  SECTION("seqno 0 with an implausible full length") {
    for (const char* hex : {"0700000000000000", "0c00000000000000", "ffffff7f00000000"}) {
      INFO(hex);
      CHECK_FALSE(detect_transport(from_hex(hex)));
    }
  }
  SECTION("through the codec: the error is sticky") {
    auto codec = TransportCodec::server({});
    codec.feed(as_bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
    CHECK_FALSE(codec.next());
    CHECK_FALSE(codec.next());
    CHECK_FALSE(codec.kind());
  }
}

TEST_CASE("bytes after the marker stay in the stream", "[transport][detect]") {
  auto client = TransportCodec::client({TransportKind::kAbridged, true, {}, 0, kDefaultMaxPacket, seeded_random(8)});
  REQUIRE(client);
  Frame frame = Frame::copy_of(Bytes(40, 0x5A));
  REQUIRE(client->encode(frame));
  Bytes wire = concat(client->take_preamble(), frame.wire());
  // Detection happens on a buffer that already holds the first packet's bytes.
  auto server = TransportCodec::server({});
  server.feed(wire);
  auto packets = drain(server);
  REQUIRE(packets.size() == 1);
  CHECK(packets[0].payload == Bytes(40, 0x5A));
  CHECK(server.kind() == TransportKind::kAbridged);
}
