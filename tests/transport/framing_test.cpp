// Framing codecs on plain buffers: VECTORS.md §7 bytes, quick acks, transport errors, limits and
// malformed streams.
#include <catch2/catch.hpp>

#include <set>

#include "test_support.hpp"
#include "transport/codec.hpp"
#include "transport/transport_codec.hpp"

using namespace mtp;
using namespace mtp::transport;
using namespace mtp::transport::test;

namespace {

const Bytes kPayload = from_hex("0102030405060708090A0B0C0D0E0F1000000000");  // VECTORS §7

Bytes encode_client(TransportKind kind, ByteSpan payload, bool quick_ack = false, Bytes* preamble = nullptr) {
  auto codec = TransportCodec::client({kind, false, {}, 0, kDefaultMaxPacket, seeded_random(1)});
  REQUIRE(codec);
  if (preamble) *preamble = codec->take_preamble();
  Frame frame = Frame::copy_of(payload);
  REQUIRE(codec->encode(frame, quick_ack));
  return Bytes(frame.wire().begin(), frame.wire().end());
}

TransportCodec server_codec(std::size_t max_packet = kDefaultMaxPacket) {
  return TransportCodec::server({{}, max_packet, seeded_random(2)});
}

TransportCodec client_decoder(TransportKind kind, std::size_t max_packet = kDefaultMaxPacket) {
  auto codec = TransportCodec::client({kind, false, {}, 0, max_packet, seeded_random(3)});
  REQUIRE(codec);
  return std::move(*codec);
}

}  // namespace

TEST_CASE("abridged framing matches VECTORS §7", "[transport][vectors]") {
  Bytes preamble;
  CHECK(to_hex(encode_client(TransportKind::kAbridged, kPayload, false, &preamble)) ==
        cat("05", to_hex(kPayload)));
  CHECK(to_hex(preamble) == "ef");
  CHECK(to_hex(encode_client(TransportKind::kAbridged, kPayload, true)) == cat("85", to_hex(kPayload)));
}

TEST_CASE("intermediate framing matches VECTORS §7", "[transport][vectors]") {
  Bytes preamble;
  CHECK(to_hex(encode_client(TransportKind::kIntermediate, kPayload, false, &preamble)) ==
        cat("14000000", to_hex(kPayload)));
  CHECK(to_hex(preamble) == "eeeeeeee");
  CHECK(to_hex(encode_client(TransportKind::kIntermediate, kPayload, true)) == cat("14000080", to_hex(kPayload)));
}

TEST_CASE("full framing matches VECTORS §7 and counts seqno per direction", "[transport][vectors]") {
  Bytes preamble;
  CHECK(to_hex(encode_client(TransportKind::kFull, kPayload, false, &preamble)) ==
        cat("2000000000000000", to_hex(kPayload), "3742a162"));
  CHECK(preamble.empty());

  auto codec = client_decoder(TransportKind::kFull);
  Frame first = Frame::copy_of(kPayload), second = Frame::copy_of(kPayload);
  REQUIRE(codec.encode(first));
  REQUIRE(codec.encode(second));
  CHECK(to_hex(second.wire().subspan(4, 4)) == "01000000");
  Frame quick = Frame::copy_of(kPayload);
  CHECK(codec.encode(quick, true).error().code == kErrUnsupported);
}

TEST_CASE("padded intermediate adds 0-15 random bytes counted in the length", "[transport]") {
  auto codec = TransportCodec::client({TransportKind::kPaddedIntermediate, false, {}, 0, kDefaultMaxPacket,
                                       seeded_random(7)});
  REQUIRE(codec);
  CHECK(to_hex(codec->take_preamble()) == "dddddddd");
  std::set<std::size_t> paddings;
  for (int i = 0; i < 200; ++i) {
    Frame frame = Frame::copy_of(kPayload);
    REQUIRE(codec->encode(frame));
    ByteSpan w = frame.wire();
    const std::size_t length = wire::load_u32le(w.data());
    REQUIRE(length + 4 == w.size());
    REQUIRE(length >= kPayload.size());
    REQUIRE(length <= kPayload.size() + 15);
    CHECK(std::equal(kPayload.begin(), kPayload.end(), w.begin() + 4));
    paddings.insert(length - kPayload.size());
  }
  CHECK(paddings.size() == 16);  // every padding length 0..15 occurs
}

TEST_CASE("servers decode the VECTORS §7 byte streams", "[transport][vectors]") {
  for (const char* stream : {"ef05", "eeeeeeee14000000", "2000000000000000"}) {
    const bool full = std::string_view(stream) == "2000000000000000";
    Bytes bytes = from_hex(stream);
    bytes.insert(bytes.end(), kPayload.begin(), kPayload.end());
    if (full) {
      auto crc = from_hex("3742a162");
      bytes.insert(bytes.end(), crc.begin(), crc.end());
    }
    INFO(stream);
    auto codec = server_codec();
    codec.feed(bytes);
    auto packets = drain(codec);
    REQUIRE(packets.size() == 1);
    CHECK(packets[0].payload == kPayload);
    CHECK_FALSE(packets[0].quick_ack_requested);
  }
}

TEST_CASE("quick acks: requested by the client, answered by the server", "[transport]") {
  for (auto kind : {TransportKind::kAbridged, TransportKind::kIntermediate, TransportKind::kPaddedIntermediate}) {
    INFO(to_string(kind));
    auto client = TransportCodec::client({kind, false, {}, 0, kDefaultMaxPacket, seeded_random(9)});
    REQUIRE(client);
    auto server = server_codec();
    Frame frame = Frame::copy_of(kPayload);
    REQUIRE(client->encode(frame, true));
    server.feed(client->take_preamble());
    server.feed(frame.wire());
    auto received = drain(server);
    REQUIRE(received.size() == 1);
    CHECK(received[0].quick_ack_requested);
    CHECK(std::equal(kPayload.begin(), kPayload.end(), received[0].payload.begin()));

    Frame ack;
    REQUIRE(server.encode_quick_ack(ack, 0x81234567u));
    Frame answer = Frame::copy_of(kPayload);
    REQUIRE(server.encode(answer));
    client->feed(ack.wire());
    client->feed(answer.wire());
    auto replies = drain(*client);
    REQUIRE(replies.size() == 2);
    CHECK(replies[0].type == Packet::Type::kQuickAck);
    CHECK(replies[0].token == 0x81234567u);
    CHECK(replies[1].type == Packet::Type::kData);
    // Clients cannot send quick-ack tokens; servers do not request them.
    Frame bad;
    CHECK_FALSE(client->encode_quick_ack(bad, 1));
    Frame bad2 = Frame::copy_of(kPayload);
    CHECK_FALSE(server.encode(bad2, true));
  }
}

TEST_CASE("abridged quick-ack token is big-endian on the wire", "[transport]") {
  auto client = client_decoder(TransportKind::kAbridged);
  client.feed(from_hex("81234567"));
  auto packets = drain(client);
  REQUIRE(packets.size() == 1);
  CHECK(packets[0].type == Packet::Type::kQuickAck);
  CHECK(packets[0].token == 0x81234567u);
}

TEST_CASE("transport error packets are recognised by clients on every framing", "[transport]") {
  for (auto kind : {TransportKind::kAbridged, TransportKind::kIntermediate, TransportKind::kPaddedIntermediate,
                    TransportKind::kFull}) {
    for (std::int32_t code : {-404, -429, -444}) {
      INFO(to_string(kind) << " " << code);
      auto client = TransportCodec::client({kind, false, {}, 0, kDefaultMaxPacket, seeded_random(5)});
      REQUIRE(client);
      auto server = server_codec();
      Frame hello = Frame::copy_of(kPayload);
      REQUIRE(client->encode(hello));
      server.feed(client->take_preamble());
      server.feed(hello.wire());
      REQUIRE(drain(server).size() == 1);

      Frame error = Frame::transport_error(code);
      REQUIRE(server.encode(error));
      client->feed(error.wire());
      auto packets = drain(*client);
      REQUIRE(packets.size() == 1);
      CHECK(packets[0].type == Packet::Type::kTransportError);
      CHECK(packets[0].error_code == code);
    }
  }
}

TEST_CASE("length fields above the limit are rejected before any buffering", "[transport][limits]") {
  SECTION("intermediate") {
    auto codec = client_decoder(TransportKind::kIntermediate);
    codec.feed(from_hex("04000001"));  // 16 MiB + 4
    auto r = codec.next();
    REQUIRE_FALSE(r);
    CHECK(r.error().type == "TRANSPORT_PACKET_TOO_LARGE");
    CHECK(r.error().code == kErrMalformed);
  }
  SECTION("abridged, 3-byte length") {
    auto codec = client_decoder(TransportKind::kAbridged);
    codec.feed(from_hex("7fffffff"));  // 64 MiB - 4
    CHECK(codec.next().error().type == "TRANSPORT_PACKET_TOO_LARGE");
  }
  SECTION("full") {
    auto codec = client_decoder(TransportKind::kFull);
    codec.feed(from_hex("ffffff7f"));
    CHECK(codec.next().error().type == "TRANSPORT_PACKET_TOO_LARGE");
  }
  SECTION("custom limit: exactly the limit passes, one word more fails") {
    auto ok = client_decoder(TransportKind::kIntermediate, 1024);
    ok.feed(from_hex("00040000"));
    auto r = ok.next();
    REQUIRE(r);
    CHECK_FALSE(*r);  // waiting for 1024 bytes
    auto big = client_decoder(TransportKind::kIntermediate, 1024);
    big.feed(from_hex("04040000"));
    CHECK_FALSE(big.next());
  }
}

TEST_CASE("malformed streams are errors and stay errors", "[transport][malformed]") {
  SECTION("zero-length packets") {
    auto a = client_decoder(TransportKind::kAbridged);
    a.feed(from_hex("00"));
    CHECK(a.next().error().type == "TRANSPORT_BAD_LENGTH");
    auto i = client_decoder(TransportKind::kIntermediate);
    i.feed(from_hex("00000000"));
    CHECK(i.next().error().type == "TRANSPORT_BAD_LENGTH");
    auto f = client_decoder(TransportKind::kFull);
    f.feed(from_hex("0c000000"));
    CHECK(f.next().error().type == "TRANSPORT_BAD_LENGTH");
  }
  SECTION("full: wrong CRC") {
    Bytes wire = encode_client(TransportKind::kFull, kPayload);
    wire[10] ^= 0x01;
    auto server = server_codec();
    server.feed(wire);
    auto r = server.next();
    REQUIRE_FALSE(r);
    CHECK(r.error().type == "TRANSPORT_BAD_CRC");
    CHECK(server.next().error().type == "TRANSPORT_BAD_CRC");  // sticky
    server.feed(encode_client(TransportKind::kFull, kPayload));
    CHECK_FALSE(server.next());
  }
  SECTION("full: a skipped packet breaks the seqno") {
    auto client = client_decoder(TransportKind::kFull);
    Frame first = Frame::copy_of(kPayload), second = Frame::copy_of(kPayload);
    REQUIRE(client.encode(first));
    REQUIRE(client.encode(second));
    auto server = server_codec();
    server.feed(second.wire());  // seqno 1 as the first packet: not taken for full, waits for 64 bytes
    auto pending = server.next();
    REQUIRE(pending);
    CHECK_FALSE(*pending);

    auto server2 = server_codec();
    server2.feed(first.wire());
    server2.feed(first.wire());  // a replayed seqno 0
    auto ok = server2.next();
    REQUIRE(ok);
    REQUIRE(*ok);
    auto r = server2.next();
    REQUIRE_FALSE(r);
    CHECK(r.error().type == "TRANSPORT_BAD_SEQNO");
  }
  SECTION("encoding: abridged needs multiples of 4, nothing takes empty payloads") {
    auto codec = client_decoder(TransportKind::kAbridged);
    Frame odd(6), empty;
    CHECK(codec.encode(odd).error().code == kErrInvalidArgument);
    CHECK_FALSE(codec.encode(empty));
  }
}

TEST_CASE("abridged switches to the 4-byte header at 127 words", "[transport]") {
  for (std::size_t words : {std::size_t{126}, std::size_t{127}, std::size_t{128}, std::size_t{70000}}) {
    Bytes payload(words * 4, 0xAB);
    Bytes wire = encode_client(TransportKind::kAbridged, payload);
    if (words < 127) {
      CHECK(wire.size() == payload.size() + 1);
      CHECK(wire[0] == words);
    } else {
      CHECK(wire.size() == payload.size() + 4);
      CHECK(wire[0] == 0x7F);
      CHECK((wire[1] | wire[2] << 8 | wire[3] << 16) == static_cast<int>(words));
    }
    auto server = server_codec();
    server.feed(from_hex("ef"));
    server.feed(wire);
    auto packets = drain(server);
    REQUIRE(packets.size() == 1);
    CHECK(packets[0].payload == payload);
  }
}
